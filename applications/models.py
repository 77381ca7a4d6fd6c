"""Applications (申請) to a funding round: the proposal, its multi-year budget,
indicators, consortium members, attachments, frozen versions and history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import EventModel, TimeStampedModel
from core.vocab import LegalForm

from .querysets import ApplicationQuerySet


class Application(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Ineligible")
        UNDER_REVIEW = "under_review", _("Under review")
        AWARDED = "awarded", _("Awarded")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Handed in and not yet decided: what review and decisions work on.
    UNDECIDED_STATUSES = (Status.SUBMITTED, Status.ELIGIBLE, Status.UNDER_REVIEW)

    # Allowed moves; services refuse anything not listed.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {
            Status.RETURNED, Status.ELIGIBLE, Status.INELIGIBLE, Status.UNDER_REVIEW,
            Status.WITHDRAWN,
        },
        Status.RETURNED: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.ELIGIBLE: {Status.UNDER_REVIEW, Status.WITHDRAWN},
        Status.UNDER_REVIEW: {Status.AWARDED, Status.DECLINED, Status.WITHDRAWN},
    }
    # Statuses the applicant may still edit.
    EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})

    funding_round = models.ForeignKey(
        "grants.FundingRound", verbose_name=_("funding round"),
        on_delete=models.PROTECT, related_name="applications",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"),
        on_delete=models.PROTECT, related_name="applications",
    )
    theme = models.ForeignKey(
        "grants.Theme", verbose_name=_("theme"), on_delete=models.PROTECT,
        related_name="applications", null=True, blank=True,
    )
    tier = models.ForeignKey(
        "grants.ScaleTier", verbose_name=_("scale tier"), on_delete=models.PROTECT,
        related_name="applications", null=True, blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )

    title = models.CharField(_("project title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    background = models.TextField(_("background and need"), blank=True)
    target_groups = models.ManyToManyField(
        "grants.TargetGroup", verbose_name=_("target groups"), blank=True,
        related_name="applications",
    )
    target_groups_other = models.CharField(_("other target group"), max_length=200, blank=True)
    is_nationwide = models.BooleanField(_("nationwide"), default=False)
    prefectures = models.JSONField(
        _("prefectures of activity"), default=list, blank=True,
        help_text=_("JIS X 0401 codes, e.g. [\"13\", \"14\"]."),
    )
    municipalities = models.CharField(_("municipalities"), max_length=500, blank=True)
    planned_activities = models.TextField(_("planned activities"), blank=True)
    sustainability = models.TextField(_("sustainability after the grant"), blank=True)
    is_consortium = models.BooleanField(_("consortium application"), default=False)

    # Sum of the budget lines, kept by the services for filtering and ranking.
    requested_yen = models.PositiveBigIntegerField(_("requested amount (yen)"), default=0)
    # Optimistic lock: every saved edit increments it; a stale save is refused.
    lock_version = models.PositiveIntegerField(_("edit version"), default=1)

    # Given at the first submission: <PROGRAMME>-<fiscal year>-<sequence>.
    receipt_number = models.CharField(
        _("receipt number"), max_length=50, blank=True, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    screening_note = models.TextField(_("screening note"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt_number"], condition=~Q(receipt_number=""),
                name="application_receipt_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["funding_round", "status"]),
            # The staff list and the API sort by these (issue 12); the list's
            # default order is newest submitted first.
            models.Index(fields=["-submitted_at", "-id"], name="application_submitted_idx"),
            models.Index(fields=["requested_yen", "id"], name="application_requested_idx"),
            models.Index(fields=["title", "id"], name="application_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title or str(_("(untitled application)"))

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class BudgetLine(models.Model):
    """One line of the multi-year budget: fiscal year × expense category."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    expense_category = models.ForeignKey(
        "grants.ExpenseCategory", verbose_name=_("expense category"),
        on_delete=models.PROTECT, related_name="+",
    )
    amount_yen = models.PositiveBigIntegerField(_("amount (yen)"))
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["fiscal_year", "expense_category__sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_yen__gt=0), name="budget_line_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.expense_category_id}: {self.amount_yen}"


class Indicator(models.Model):
    """A planned indicator with a target per fiscal year."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name", "fiscal_year", "id"]

    def __str__(self) -> str:
        return f"{self.name} FY{self.fiscal_year}: {self.target} {self.unit}"


class ConsortiumMember(models.Model):
    """A member of a consortium application (the applicant is the lead)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consortium_members"
    )
    name = models.CharField(_("organisation name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm)
    corporate_number = models.CharField(_("corporate number"), max_length=13, blank=True, db_index=True)
    role = models.CharField(_("role in the consortium"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("consortium member")
        verbose_name_plural = _("consortium members")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ApplicationVersion(models.Model):
    """The frozen content of one submission (numbered 1, 2, … per application)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))
    receipt_number = models.CharField(_("receipt number"), max_length=50)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A client's retry of the same submission carries the same key.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    # Set by the confirmation e-mail task, so a rerun sends nothing.
    confirmation_sent_at = models.DateTimeField(_("confirmation sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application version")
        verbose_name_plural = _("application versions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="application_version_unique"),
            models.UniqueConstraint(fields=["receipt_number"], name="application_version_receipt_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} v{self.number}"


class Attachment(TimeStampedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="applications/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class VersionAttachment(models.Model):
    """A file as it was when a version was submitted. It names the same
    stored file as the draft's attachment did (uploads are never rewritten:
    each has its own name), and removing the draft's attachment keeps any
    file a version names (applications.services.remove_attachment)."""

    version = models.ForeignKey(
        ApplicationVersion, on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("submitted attachment")
        verbose_name_plural = _("submitted attachments")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"],
                                    name="version_attachment_unique"),
        ]
        indexes = [models.Index(fields=["file"], name="version_attachment_file_idx")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def application(self):
        """The policies ask about the application (download_attachment)."""
        return self.version.application


class ReceiptCounter(models.Model):
    """Last receipt sequence used per programme and fiscal year (受付番号)."""

    programme = models.ForeignKey("grants.Programme", on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")
        constraints = [
            models.UniqueConstraint(fields=["programme", "fiscal_year"], name="receipt_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}-{self.fiscal_year}: {self.last_number}"


class ApplicationEvent(EventModel):
    """History of an application: every status move, with who, when and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("Draft created")
        STATUS = "status", _("Status changed")
        ATTACHMENT_ADDED = "attachment_added", _("File attached")
        ATTACHMENT_REMOVED = "attachment_removed", _("File removed")

    action = models.CharField(_("action"), max_length=40, choices=Action)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    # When the people concerned were told of this event (e.g. a return for
    # correction); set once, so a redelivered notice task sends nothing.
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta(EventModel.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
