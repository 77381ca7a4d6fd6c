"""A round's defaults for the reporting schedule of its awards (the awards
app reads them when it creates an award's report deadlines)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ReportingDefaults(TimeStampedModel):
    """Round defaults for the reporting schedule of its awards. Without a row
    the built-in defaults below apply (`ReportingDefaults.for_round`)."""

    funding_round = models.OneToOneField(
        "grants.FundingRound", on_delete=models.CASCADE, related_name="reporting_defaults"
    )
    interim_due_month = models.PositiveSmallIntegerField(_("interim report due month"), default=10)
    interim_due_day = models.PositiveSmallIntegerField(_("interim report due day"), default=31)
    annual_due_days = models.PositiveSmallIntegerField(
        _("annual report due (days after the fiscal year ends)"), default=30
    )
    final_due_days = models.PositiveSmallIntegerField(
        _("final report due (days after the award ends)"), default=61
    )
    reminder_days_before = models.JSONField(
        _("reminders (days before the due date)"), default=list, blank=True,
        help_text=_("For example [14, 3]."),
    )
    expense_variance_percent = models.PositiveSmallIntegerField(
        _("explain expenses differing by more than (%)"), default=20
    )

    DEFAULT_REMINDER_DAYS = (14, 3)

    class Meta:
        verbose_name = _("reporting defaults")
        verbose_name_plural = _("reporting defaults")
        constraints = [
            models.CheckConstraint(
                condition=Q(interim_due_month__gte=1) & Q(interim_due_month__lte=12)
                & Q(interim_due_day__gte=1) & Q(interim_due_day__lte=31),
                name="reporting_defaults_interim_date",
            ),
        ]

    def __str__(self) -> str:
        return str(self.funding_round_id)

    @classmethod
    def for_round(cls, funding_round) -> "ReportingDefaults":
        """The round's saved defaults, or unsaved built-in ones."""
        try:
            return funding_round.reporting_defaults
        except cls.DoesNotExist:
            return cls(funding_round=funding_round)

    @property
    def reminder_days(self) -> list[int]:
        """Days before the due date, largest first."""
        days = self.reminder_days_before or self.DEFAULT_REMINDER_DAYS
        return sorted({int(d) for d in days if int(d) > 0}, reverse=True)
