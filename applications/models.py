"""Applications (申請) to a funding round. Issue 3 fills this app in."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Application(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    funding_round = models.ForeignKey(
        "grants.FundingRound", on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    theme = models.ForeignKey(
        "grants.Theme", on_delete=models.PROTECT, related_name="applications", null=True, blank=True
    )
    tier = models.ForeignKey(
        "grants.ScaleTier", on_delete=models.PROTECT, related_name="applications", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
