"""Awards (交付決定/契約) made from awarded applications, followed year by year.

An Award spans one or more fiscal years (年度). Each AwardYear has its own
approved budget per expense category (AwardBudgetLine), payments (概算払 =
advance, 精算払 = settlement), a continuation decision before it starts, budget
change requests (変更承認申請) and, at the end, the confirmed amount (額の確定).
The reporting schedule (ReportDeadline) lives here too, so the award service
creates it together with the award; report contents live in `reporting`.
Every write goes through awards.services.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import EventModel, TimeStampedModel

# NOTE: a report is due at 17:00 Japan time on its due date, the usual closing
# hour of government deadlines (DOMAIN.md); from then on it is overdue.
REPORT_DUE_TIME = time(17, 0)


class AwardQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.policies import awards_visible_to

        return self.filter(awards_visible_to(user))

    def active(self):
        return self.filter(status=Award.Status.ACTIVE)

    def in_fiscal_year(self, year: int):
        """Awards having `year`; a year not continued (stop decision) does
        not count."""
        return self.filter(models.Exists(
            AwardYear.objects.filter(award=models.OuterRef("pk"), fiscal_year=year)
            .exclude(state=AwardYear.State.STOPPED)))


class Award(TimeStampedModel):
    """One award made from one awarded application."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    # Allowed moves; services refuse anything not listed.
    TRANSITIONS = {
        Status.ACTIVE: {Status.COMPLETED, Status.SUSPENDED, Status.TERMINATED},
        Status.SUSPENDED: {Status.ACTIVE, Status.TERMINATED},
    }
    # Moves that need a written reason.
    REASON_REQUIRED = frozenset({Status.SUSPENDED, Status.TERMINATED})

    award_number = models.CharField(_("award number"), max_length=30, unique=True)
    application = models.OneToOneField(
        "applications.Application", verbose_name=_("application"),
        on_delete=models.PROTECT, related_name="award",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"),
        on_delete=models.PROTECT, related_name="awards",
    )
    funding_round = models.ForeignKey(
        "grants.FundingRound", verbose_name=_("funding round"),
        on_delete=models.PROTECT, related_name="awards",
    )
    theme = models.ForeignKey(
        "grants.Theme", verbose_name=_("theme"), on_delete=models.PROTECT,
        related_name="awards", null=True, blank=True,
    )
    tier = models.ForeignKey(
        "grants.ScaleTier", verbose_name=_("scale tier"), on_delete=models.PROTECT,
        related_name="awards", null=True, blank=True,
    )
    title = models.CharField(_("project title"), max_length=200)
    # Copied from the application so lists filter without joining it.
    prefectures = models.JSONField(_("prefectures of activity"), default=list, blank=True)
    is_nationwide = models.BooleanField(_("nationwide"), default=False)
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"))
    conditions = models.TextField(_("conditions"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.ACTIVE, db_index=True
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    # Sum of the years' approved amounts, kept by the services.
    approved_yen = models.PositiveBigIntegerField(_("approved amount (yen)"), default=0)
    # Copied from the application when the award is made.
    target_groups = models.ManyToManyField(
        "grants.TargetGroup", verbose_name=_("target groups"), blank=True, related_name="awards"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = AwardQuerySet.as_manager()

    class Meta:
        # The table kept its name when awards left grants (issue 11).
        db_table = "grants_award"
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-funding_round__fiscal_year", "award_number"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=F("start_on")), name="award_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.award_number} {self.title}"

    @property
    def fiscal_years(self) -> list[int]:
        return [year.fiscal_year for year in self.years.all()]


class AwardConsortiumMember(models.Model):
    """A member of the consortium an award was made to (the award's
    organisation is the lead), copied from the application at award."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="consortium_members")
    name = models.CharField(_("organisation name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=30, blank=True)
    corporate_number = models.CharField(_("corporate number"), max_length=13, blank=True)
    role = models.CharField(_("role in the consortium"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        # The table kept its name when awards left grants (issue 11).
        db_table = "grants_awardconsortiummember"
        verbose_name = _("award consortium member")
        verbose_name_plural = _("award consortium members")
        ordering = ["award", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class AwardYear(TimeStampedModel):
    """One fiscal year of an award: its budget, payments and settlement."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        REPORTED = "reported", _("Reported")
        SETTLED = "settled", _("Settled")
        STOPPED = "stopped", _("Not continued")

    TRANSITIONS = {
        State.PLANNED: {State.ACTIVE, State.STOPPED},
        State.ACTIVE: {State.REPORTED},
        State.REPORTED: {State.SETTLED},
    }

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="years")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.PLANNED, db_index=True
    )
    # Sum of the budget lines, kept by the services.
    approved_yen = models.PositiveBigIntegerField(_("approved amount (yen)"), default=0)
    # A year added after the award (a continuation, e.g. programme C's second
    # year) names the year it continues.
    continues_from = models.ForeignKey(
        "self", verbose_name=_("continues"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="continued_by",
    )
    # 額の確定: the amount finally due for the year, never above approved.
    confirmed_yen = models.PositiveBigIntegerField(
        _("confirmed amount (yen)"), null=True, blank=True
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        # The table kept its name when awards left grants (issue 11).
        db_table = "grants_awardyear"
        verbose_name = _("award year")
        verbose_name_plural = _("award years")
        ordering = ["award", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["award", "fiscal_year"], name="award_year_unique"),
            models.CheckConstraint(
                condition=Q(confirmed_yen__isnull=True) | Q(confirmed_yen__lte=F("approved_yen")),
                name="award_year_confirmed_lte_approved",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000) & Q(fiscal_year__lte=2100),
                name="award_year_fiscal_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award.award_number} FY{self.fiscal_year}"

    # Payment arithmetic reads prefetched `payments` (no query per year when
    # the page prefetched them).
    @property
    def paid_yen(self) -> int:
        """Net paid: advances and settlement payments less refunds."""
        total = 0
        for payment in self.payments.all():
            sign = -1 if payment.kind == Payment.Kind.REFUND else 1
            total += sign * payment.amount_yen
        return total

    @property
    def balance_yen(self) -> int:
        """Approved (or, once settled, confirmed) minus paid; negative when
        more was paid than is due."""
        due = self.confirmed_yen if self.confirmed_yen is not None else self.approved_yen
        return due - self.paid_yen

    @property
    def to_return_yen(self) -> int:
        """Over-paid advance to give back after 額の確定."""
        if self.confirmed_yen is None:
            return 0
        return max(0, self.paid_yen - self.confirmed_yen)

    @property
    def settlement_due_yen(self) -> int:
        """Still to pay (精算払) after 額の確定."""
        if self.confirmed_yen is None:
            return 0
        return max(0, self.confirmed_yen - self.paid_yen)


class AwardBudgetLine(models.Model):
    """Approved amount of one expense category in one award year."""

    award_year = models.ForeignKey(AwardYear, on_delete=models.CASCADE, related_name="budget_lines")
    expense_category = models.ForeignKey(
        "grants.ExpenseCategory", verbose_name=_("expense category"),
        on_delete=models.PROTECT, related_name="+",
    )
    approved_yen = models.PositiveBigIntegerField(_("approved amount (yen)"))

    class Meta:
        # The table kept its name when awards left grants (issue 11).
        db_table = "grants_awardbudgetline"
        verbose_name = _("award budget line")
        verbose_name_plural = _("award budget lines")
        ordering = ["award_year", "expense_category__sort_order", "expense_category__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_year", "expense_category"], name="award_budget_line_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_year} {self.expense_category_id}: {self.approved_yen}"


class ContinuationDecision(TimeStampedModel):
    """Staff decision, before a fiscal year, whether the award goes on."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("Continue")
        CONTINUE_WITH_CHANGES = "continue_with_changes", _("Continue with changes")
        STOP = "stop", _("Stop")

    CONTINUING = frozenset({Decision.CONTINUE, Decision.CONTINUE_WITH_CHANGES})

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="continuations")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    decision = models.CharField(_("decision"), max_length=30, choices=Decision)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        # The table kept its name when awards left grants (issue 11).
        db_table = "grants_continuationdecision"
        verbose_name = _("continuation decision")
        verbose_name_plural = _("continuation decisions")
        ordering = ["award", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["award", "fiscal_year"], name="continuation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} FY{self.fiscal_year}: {self.decision}"

    @property
    def is_continuing(self) -> bool:
        return self.decision in self.CONTINUING


class ScheduledPayment(models.Model):
    """A planned payment of a year: 概算払 (advance) or 精算払 (settlement)."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Advance payment (概算払)")
        SETTLEMENT = "settlement", _("Settlement payment (精算払)")

    award_year = models.ForeignKey(
        AwardYear, on_delete=models.CASCADE, related_name="scheduled_payments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    due_on = models.DateField(_("due date"))
    amount_yen = models.PositiveBigIntegerField(_("amount (yen)"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        # The table kept its name when awards left grants (issue 11).
        db_table = "grants_scheduledpayment"
        verbose_name = _("scheduled payment")
        verbose_name_plural = _("scheduled payments")
        ordering = ["award_year", "due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_yen__gt=0), name="scheduled_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.award_year} {self.kind} {self.due_on}: {self.amount_yen}"


class Payment(models.Model):
    """A payment made (or a refund received) for an award year."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Advance payment (概算払)")
        SETTLEMENT = "settlement", _("Settlement payment (精算払)")
        REFUND = "refund", _("Refund received (返還)")

    award_year = models.ForeignKey(AwardYear, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    amount_yen = models.PositiveBigIntegerField(_("amount (yen)"))
    paid_on = models.DateField(_("paid on"))
    scheduled = models.ForeignKey(
        ScheduledPayment, verbose_name=_("scheduled payment"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="payments",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        # The table kept its name when awards left grants (issue 11).
        db_table = "grants_payment"
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["award_year", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_yen__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.award_year} {self.kind} {self.paid_on}: {self.amount_yen}"


class BudgetChangeRequest(TimeStampedModel):
    """変更承認申請: move money from one expense category to another within a
    year. Small moves are approved automatically (FundingRound.
    budget_change_threshold_percent of the receiving category)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS = {
        Status.PENDING: {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
    }

    award_year = models.ForeignKey(
        AwardYear, on_delete=models.CASCADE, related_name="change_requests"
    )
    from_category = models.ForeignKey(
        "grants.ExpenseCategory", verbose_name=_("from category"),
        on_delete=models.PROTECT, related_name="+",
    )
    to_category = models.ForeignKey(
        "grants.ExpenseCategory", verbose_name=_("to category"),
        on_delete=models.PROTECT, related_name="+",
    )
    amount_yen = models.PositiveBigIntegerField(_("amount to move (yen)"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    is_auto_approved = models.BooleanField(_("approved automatically"), default=False)
    # The threshold in force when the request was made.
    threshold_yen = models.PositiveBigIntegerField(_("automatic approval up to (yen)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        # The table kept its name when awards left grants (issue 11).
        db_table = "grants_budgetchangerequest"
        verbose_name = _("budget change request")
        verbose_name_plural = _("budget change requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_yen__gt=0), name="change_request_positive"),
            models.CheckConstraint(
                condition=~Q(from_category=F("to_category")), name="change_request_distinct_categories"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_year}: {self.from_category_id}→{self.to_category_id} {self.amount_yen}"


class ReportDeadline(models.Model):
    """One due report of an award: 中間報告 (interim) and 実績報告 (annual) per
    fiscal year, and one final report. Due at REPORT_DUE_TIME JST."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim report (中間報告)")
        ANNUAL = "annual", _("Annual performance report (実績報告)")
        FINAL = "final", _("Final report")

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="deadlines")
    award_year = models.ForeignKey(
        AwardYear, on_delete=models.CASCADE, related_name="deadlines"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    due_on = models.DateField(_("due date"))

    class Meta:
        # The table kept its name when awards left grants (issue 11).
        db_table = "grants_reportdeadline"
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        ordering = ["award", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "kind", "fiscal_year"], name="report_deadline_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} {self.kind} FY{self.fiscal_year} {self.due_on}"

    @property
    def due_at(self) -> datetime:
        return due_at(self.due_on)


def due_at(due_on: date) -> datetime:
    """The aware moment a report due on `due_on` becomes overdue (17:00 JST)."""
    return timezone.make_aware(
        datetime.combine(due_on, REPORT_DUE_TIME), timezone.get_default_timezone()
    )


class AwardEvent(EventModel):
    """History of an award: status moves, year moves, budgets, payments,
    continuation, change requests and settlement."""

    class Action(models.TextChoices):
        CREATED = "created", _("Award made")
        STATUS = "status", _("Status changed")
        YEAR_STATE = "year_state", _("Fiscal year moved")
        YEAR_ADDED = "year_added", _("Fiscal year added")
        BUDGET_SET = "budget_set", _("Budget set")
        CONTINUATION = "continuation", _("Continuation decided")
        PAYMENT_SCHEDULED = "payment_scheduled", _("Payment scheduled")
        PAYMENT_RECORDED = "payment_recorded", _("Payment recorded")
        SETTLED = "settled", _("Amount confirmed (額の確定)")
        CHANGE_REQUESTED = "change_requested", _("Budget change requested")
        CHANGE_DECIDED = "change_decided", _("Budget change decided")
        BUDGET_CHANGED = "budget_changed", _("Budget changed")
        DUE_DATE_CHANGED = "due_date_changed", _("Due date changed")
        TERMS_CHANGED = "terms_changed", _("Terms changed")

    action = models.CharField(_("action"), max_length=40, choices=Action)
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="events")
    award_year = models.ForeignKey(
        AwardYear, on_delete=models.CASCADE, related_name="events", null=True, blank=True
    )

    class Meta(EventModel.Meta):
        # The table kept its name when awards left grants (issue 11).
        db_table = "grants_awardevent"
        verbose_name = _("award event")
        verbose_name_plural = _("award events")

    def status_choices(self):
        return {
            "created": Award.Status, "status": Award.Status, "year_state": AwardYear.State,
            "continuation": ContinuationDecision.Decision,
            "change_requested": BudgetChangeRequest.Status,
            "change_decided": BudgetChangeRequest.Status,
        }.get(self.action)
