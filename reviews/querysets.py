"""Chainable filters for reviews; scopes come from core.policies."""

from django.db import models
from django.db.models import Count, Sum


class ReviewerProfileQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True, user__role="reviewer")


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.policies import assignments_visible_to

        return self.filter(assignments_visible_to(user))

    def active(self):
        return self.filter(status=self.model.Status.ACTIVE)

    def in_round(self, funding_round):
        return self.filter(application__funding_round=funding_round)


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.policies import reviews_visible_to

        return self.filter(reviews_visible_to(user))

    def submitted(self):
        return self.filter(status=self.model.Status.SUBMITTED)

    def counted(self):
        """Submitted reviews of active, unconflicted assignments: the only
        reviews that count (drafts are never counted as zeros)."""
        from .models import Assignment, ConflictOfInterest

        conflicted = ConflictOfInterest.objects.filter(
            application_id=models.OuterRef("assignment__application_id"),
            reviewer_id=models.OuterRef("assignment__reviewer_id"),
        )
        return self.filter(
            status=self.model.Status.SUBMITTED, assignment__status=Assignment.Status.ACTIVE
        ).exclude(models.Exists(conflicted))


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.policies import decisions_visible_to

        return self.filter(decisions_visible_to(user))

    def awarded(self):
        return self.filter(outcome=self.model.Outcome.AWARDED)

    def committed_yen(self) -> int:
        """The money these decisions have awarded: the one committed-budget
        query, for the decision checks and the proposed selection."""
        return self.awarded().aggregate(total=Sum("amount_yen"))["total"] or 0

    def awarded_by_theme(self) -> dict:
        """{theme id: number of awards} over these decisions."""
        return dict(
            self.awarded().order_by().values("application__theme_id")
            .annotate(n=Count("id")).values_list("application__theme_id", "n")
        )
