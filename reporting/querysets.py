from django.db import models


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.policies import reports_visible_to

        return self.filter(reports_visible_to(user))

    def handed_in(self):
        """Submitted at least once (submitted, in revision or accepted)."""
        return self.exclude(status=self.model.Status.DRAFT)

    def accepted(self):
        return self.filter(status=self.model.Status.ACCEPTED)

    def in_fiscal_year(self, year: int):
        return self.filter(fiscal_year=year)
