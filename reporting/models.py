"""Progress reports (中間報告, 実績報告, final) of awards and their reminders.

A ProgressReport answers one grants.ReportDeadline. Its structured parts
(activities with cumulative participants by target group, indicator actuals,
expense actuals, feature tags) feed the model-building findings; the free
text holds outcomes (成果), know-how (ノウハウ) and problems (課題). Each
submission freezes a ReportVersion. Every write goes through services.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.models import ReportDeadline
from core.models import EventModel, ManagedListItem, TimeStampedModel

from .querysets import ProgressReportQuerySet


class FeatureTag(ManagedListItem):
    """Managed list of activity features: ゆるやかな参加, 多世代交流 …"""

    class Meta(ManagedListItem.Meta):
        verbose_name = _("feature tag")
        verbose_name_plural = _("feature tags")


class ProgressReport(TimeStampedModel):
    """One report of an award for one deadline."""

    Kind = ReportDeadline.Kind

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REVISION_REQUESTED = "revision_requested", _("Revision requested")
        ACCEPTED = "accepted", _("Accepted")

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.REVISION_REQUESTED},
        Status.REVISION_REQUESTED: {Status.SUBMITTED},
    }
    EDITABLE = frozenset({Status.DRAFT, Status.REVISION_REQUESTED})
    # Statuses in which the organisation has handed the report in at least once.
    HANDED_IN = frozenset({Status.SUBMITTED, Status.REVISION_REQUESTED, Status.ACCEPTED})

    award = models.ForeignKey(
        "awards.Award", verbose_name=_("award"), on_delete=models.CASCADE, related_name="reports"
    )
    deadline = models.OneToOneField(
        "awards.ReportDeadline", verbose_name=_("deadline"),
        on_delete=models.PROTECT, related_name="report",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    lock_version = models.PositiveIntegerField(_("edit version"), default=1)

    summary = models.TextField(_("summary of the period"), blank=True)
    outcomes = models.TextField(_("outcomes (成果)"), blank=True)
    know_how = models.TextField(_("know-how (ノウハウ)"), blank=True)
    problems = models.TextField(_("problems (課題)"), blank=True)
    episodes = models.TextField(_("episodes"), blank=True)
    voices = models.TextField(
        _("participants' voices (anonymous, one per line)"), blank=True
    )
    sustainability_plan = models.TextField(_("plan to continue after the grant"), blank=True)
    feature_tags = models.ManyToManyField(
        FeatureTag, verbose_name=_("features"), blank=True, related_name="reports"
    )
    # The groups the report reaches, named even where no activity splits its
    # participants by group; a new report starts with the award's groups.
    target_groups = models.ManyToManyField(
        "grants.TargetGroup", verbose_name=_("target groups"), blank=True, related_name="reports"
    )

    # SECURITY: personal data found in free text blocks submission unless
    # programme staff accepted exactly these findings (recorded as an event).
    personal_data_accepted = models.JSONField(
        _("personal data accepted by staff"), default=list, blank=True
    )
    review_comment = models.TextField(_("comment from staff"), blank=True)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["award", "fiscal_year", "kind", "id"]
        indexes = [models.Index(fields=["award", "status"])]

    def __str__(self) -> str:
        return f"{self.award_id} {self.get_kind_display()} FY{self.fiscal_year}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def has_expenses(self) -> bool:
        """Final reports tell outcomes; money is reported per fiscal year."""
        return self.kind != self.Kind.FINAL


class ReportActivity(models.Model):
    """One sub-activity: sessions held and cumulative participants (延べ人数)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sessions_held = models.PositiveIntegerField(_("sessions held"), default=0)
    participants_total = models.PositiveIntegerField(
        _("cumulative participants (延べ人数)"), default=0
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("report activity")
        verbose_name_plural = _("report activities")
        ordering = ["report", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class ActivityParticipantCount(models.Model):
    """Cumulative participants of an activity from one target group."""

    activity = models.ForeignKey(
        ReportActivity, on_delete=models.CASCADE, related_name="participant_counts"
    )
    target_group = models.ForeignKey(
        "grants.TargetGroup", verbose_name=_("target group"),
        on_delete=models.PROTECT, related_name="+",
    )
    count = models.PositiveIntegerField(_("cumulative participants"))

    class Meta:
        verbose_name = _("participant count")
        verbose_name_plural = _("participant counts")
        ordering = ["activity", "target_group__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "target_group"], name="participant_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.target_group_id}: {self.count}"


class IndicatorActual(models.Model):
    """The actual value of a planned indicator (target copied at creation)."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="indicator_actuals"
    )
    indicator = models.ForeignKey(
        "applications.Indicator", verbose_name=_("planned indicator"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    target = models.PositiveIntegerField(_("target"), null=True, blank=True)
    actual = models.PositiveIntegerField(_("actual"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("indicator actual")
        verbose_name_plural = _("indicator actuals")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.actual}/{self.target}"


class ExpenseActual(models.Model):
    """Money spent in one expense category, against the approved budget."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="expense_actuals"
    )
    expense_category = models.ForeignKey(
        "grants.ExpenseCategory", verbose_name=_("expense category"),
        on_delete=models.PROTECT, related_name="+",
    )
    actual_yen = models.PositiveBigIntegerField(_("actual (yen)"), default=0)
    explanation = models.TextField(_("explanation of the difference"), blank=True)

    class Meta:
        verbose_name = _("expense actual")
        verbose_name_plural = _("expense actuals")
        ordering = ["report", "expense_category__sort_order", "expense_category__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "expense_category"], name="expense_actual_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.expense_category_id}: {self.actual_yen}"


class ReportVersion(models.Model):
    """The frozen content of one submission (1, 2, … per report)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class ReportEvent(EventModel):
    """History of a report: saves, submissions, reviews, privacy acceptance."""

    # NOTE: not the field's choices: the notice tasks (reporting/tasks.py) also
    # store per-notice markers, `notified_submitted_<version>` and
    # `notified_review_<event id>`, so a redelivered task sends nothing twice.
    class Action(models.TextChoices):
        CREATED = "created", _("Report started")
        STATUS = "status", _("Status changed")
        PERSONAL_DATA_ACCEPTED = "personal_data_accepted", _("Personal data accepted by staff")

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="events")

    class Meta(EventModel.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def status_choices(self):
        return ProgressReport.Status


class ReminderLog(models.Model):
    """A reminder sent for a deadline. The unique key makes the beat task
    idempotent: each kind goes out once per due date, never again."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the due date")
        DUE_TODAY = "due_today", _("On the due date")
        OVERDUE_ORGANISATION = "overdue_org", _("Overdue (organisation)")
        OVERDUE_STAFF = "overdue_staff", _("Overdue (staff)")

    deadline = models.ForeignKey(
        "awards.ReportDeadline", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # Days before the due date for BEFORE reminders, 0 otherwise.
    days_before = models.PositiveSmallIntegerField(_("days before"), default=0)
    due_on = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["deadline", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "days_before", "due_on"], name="reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(kind="before", days_before__gt=0) | (~Q(kind="before") & Q(days_before=0)),
                name="reminder_days_before_only_for_before",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} {self.kind} {self.days_before} {self.due_on}"


# Django registers the models of the modules `reporting.models` imports. The
# findings and the managed lists keep theirs in their own modules; import
# them from there.
from .findings.models import Finding, FindingEvent, FindingEvidence, ModelReportJob  # noqa: E402,F401
from .managed_list_models import ManagedList, ManagedListEvent  # noqa: E402,F401
