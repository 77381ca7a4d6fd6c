"""Model-building findings (成果, ノウハウ, 課題, 提言) and model report jobs.

Staff distil findings from the reports handed in: a Finding states what was
learnt, carries evidence (quoted passages of reports and indicator results)
and tags (programme, theme, target groups, feature tags, prefectures, fiscal
year) so the oversight dashboard and the model report can group them.
Every write goes through reporting/findings/services.py and leaves a
FindingEvent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import EventModel, TimeStampedModel


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.policies import findings_visible_to

        return self.filter(findings_visible_to(user))


class Finding(TimeStampedModel):
    """One thing learnt from the funded projects, with its evidence."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", _("Outcome (成果)")
        KNOW_HOW = "know_how", _("Know-how (ノウハウ)")
        PROBLEM = "problem", _("Problem (課題)")
        RECOMMENDATION = "recommendation", _("Recommendation (提言)")

    kind = models.CharField(_("type"), max_length=20, choices=Kind, db_index=True)
    statement = models.TextField(_("statement"))
    programme = models.ForeignKey(
        "grants.Programme", verbose_name=_("programme"),
        on_delete=models.PROTECT, related_name="findings",
    )
    theme = models.ForeignKey(
        "grants.Theme", verbose_name=_("theme"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="findings",
    )
    # The project the finding comes from; empty for findings drawn across
    # several projects (their evidence names the reports).
    award = models.ForeignKey(
        "awards.Award", verbose_name=_("award"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="findings",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), db_index=True)
    target_groups = models.ManyToManyField(
        "grants.TargetGroup", verbose_name=_("target groups"), blank=True, related_name="+"
    )
    feature_tags = models.ManyToManyField(
        "reporting.FeatureTag", verbose_name=_("features"), blank=True, related_name="findings"
    )
    prefectures = models.JSONField(_("prefectures"), default=list, blank=True)
    lock_version = models.PositiveIntegerField(_("edit version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last edited by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-fiscal_year", "programme", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000) & Q(fiscal_year__lte=2100),
                name="finding_fiscal_year_range",
            ),
        ]

    def __str__(self) -> str:
        text = self.statement.strip().splitlines()[0] if self.statement.strip() else ""
        return f"{self.get_kind_display()}: {text[:60]}"


class FindingEvidence(models.Model):
    """A quoted passage of a report, or an indicator result, behind a finding."""

    class Field(models.TextChoices):
        SUMMARY = "summary", _("Summary of the period")
        OUTCOMES = "outcomes", _("Outcomes (成果)")
        KNOW_HOW = "know_how", _("Know-how (ノウハウ)")
        PROBLEMS = "problems", _("Problems (課題)")
        EPISODES = "episodes", _("Episodes")
        VOICES = "voices", _("Participants' voices")
        SUSTAINABILITY_PLAN = "sustainability_plan", _("Plan to continue after the grant")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    report = models.ForeignKey(
        "reporting.ProgressReport", verbose_name=_("report"),
        on_delete=models.CASCADE, related_name="finding_evidence",
    )
    field = models.CharField(_("part of the report"), max_length=30, choices=Field, blank=True)
    quote = models.TextField(_("quoted passage"), blank=True)
    indicator_actual = models.ForeignKey(
        "reporting.IndicatorActual", verbose_name=_("indicator result"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="finding_evidence",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("finding evidence")
        verbose_name_plural = _("finding evidence")
        ordering = ["finding", "sort_order", "id"]
        constraints = [
            # Either a passage (field and quote) or an indicator result.
            models.CheckConstraint(
                condition=(
                    Q(indicator_actual__isnull=True) & ~Q(field="") & ~Q(quote="")
                ) | (Q(indicator_actual__isnull=False) & Q(field="") & Q(quote="")),
                name="finding_evidence_passage_or_indicator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding_id} ← {self.report_id} {self.field or self.indicator_actual_id}"

    @property
    def is_indicator(self) -> bool:
        return self.indicator_actual_id is not None


class FindingEvent(EventModel):
    """History of a finding. Kept when the finding is deleted (the finding's
    id and statement stay in `finding_number` and `changes`)."""

    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    finding_number = models.PositiveBigIntegerField(_("finding number"), db_index=True)

    class Action(models.TextChoices):
        CREATED = "created", _("Finding created")
        UPDATED = "updated", _("Finding edited")
        DELETED = "deleted", _("Finding deleted")
        EVIDENCE_ADDED = "evidence_added", _("Evidence added")
        EVIDENCE_REMOVED = "evidence_removed", _("Evidence removed")

    action = models.CharField(_("action"), max_length=40, choices=Action)

    class Meta(EventModel.Meta):
        verbose_name = _("finding event")
        verbose_name_plural = _("finding events")


# At module level so that the model's Meta constraints can name the members.
class ModelReportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ModelReportJob(TimeStampedModel):
    """The model report PDF of a programme and fiscal year, built in the
    background; progress is `progress_done` of `progress_total` steps."""

    Status = ModelReportJobStatus

    ACTIVE = frozenset({Status.QUEUED, Status.RUNNING})

    programme = models.ForeignKey(
        "grants.Programme", verbose_name=_("programme"),
        on_delete=models.CASCADE, related_name="model_report_jobs",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.QUEUED, db_index=True
    )
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps in all"), default=0)
    file = models.FileField(_("file"), upload_to="model_reports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("model report job")
        verbose_name_plural = _("model report jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One job at a time per programme and year: asking again while
            # one is queued or running returns that job.
            models.UniqueConstraint(
                fields=["programme", "fiscal_year"],
                condition=Q(status__in=[ModelReportJobStatus.QUEUED, ModelReportJobStatus.RUNNING]),
                name="model_report_one_active_job",
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")),
                name="model_report_progress_lte_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} FY{self.fiscal_year} {self.status}"

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return self.progress_done * 100 // self.progress_total

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)


__all__ = ["Finding", "FindingEvidence", "FindingEvent", "ModelReportJob"]
