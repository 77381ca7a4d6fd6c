from django.db import models


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.policies import applications_visible_to

        # NOTE: the scope is subqueries, never a join to memberships, so no
        # DISTINCT: the page, its COUNT and the status counts use the indexes.
        return self.filter(applications_visible_to(user))

    def submitted(self):
        return self.exclude(status__in=[self.model.Status.DRAFT, self.model.Status.WITHDRAWN])
