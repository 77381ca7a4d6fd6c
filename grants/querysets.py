from django.db import models
from django.utils import timezone


class FundingRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.policies import rounds_visible_to

        return self.filter(rounds_visible_to(user))

    def published(self):
        return self.exclude(status=self.model.Status.DRAFT)

    def open_or_upcoming(self):
        return self.filter(status=self.model.Status.OPEN, closes_at__gt=timezone.now())

    def in_fiscal_year(self, year: int):
        return self.filter(fiscal_year=year)
