"""Programmes, funding rounds and what a round offers: themes, scale tiers,
eligible expense categories and eligibility rules."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BilingualTitleMixin, EventModel, ManagedListItem, TimeStampedModel
from core.vocab import LegalForm

from ..querysets import FundingRoundQuerySet


class Programme(BilingualTitleMixin, TimeStampedModel):
    """A standing programme, e.g. 地域における孤独・孤立対策に関するNPO等の取組モデル調査."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    funder_name = models.CharField(
        _("funding organisation"), max_length=200, default="内閣府 孤独・孤立対策推進室"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("programme staff"),
        related_name="staffed_programmes",
        blank=True,
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return self.localized("description")


class ExpenseCategory(ManagedListItem):
    """Managed list of eligible expense kinds (対象経費): 人件費, 謝金, 旅費 …"""

    code = models.SlugField(_("code"), max_length=30, unique=True)

    class Meta(ManagedListItem.Meta):
        verbose_name = _("expense category")
        verbose_name_plural = _("expense categories")


class TargetGroup(ManagedListItem):
    """Managed list of target populations named in the priority plan."""

    class Meta(ManagedListItem.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class FundingRound(BilingualTitleMixin, TimeStampedModel):
    """One call for applications (公募) of a programme in one fiscal year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        REVIEWING = "reviewing", _("Reviewing")
        DECIDED = "decided", _("Decided")
        ARCHIVED = "archived", _("Archived")

    # Allowed moves; services refuse anything not listed.
    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.OPEN, Status.REVIEWING},
        Status.REVIEWING: {Status.DECIDED},
        Status.DECIDED: {Status.ARCHIVED},
    }

    class CeilingBasis(models.TextChoices):
        PER_FISCAL_YEAR = "per_fiscal_year", _("Per fiscal year")
        PER_AWARD = "per_award", _("Per award (all years together)")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="rounds"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    title_ja = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    budget_yen = models.PositiveBigIntegerField(_("total budget (yen)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    max_award_years = models.PositiveSmallIntegerField(_("maximum award years"), default=1)
    ceiling_basis = models.CharField(
        _("ceiling applies"),
        max_length=20,
        choices=CeilingBasis,
        default=CeilingBasis.PER_FISCAL_YEAR,
    )
    expense_categories = models.ManyToManyField(
        ExpenseCategory, verbose_name=_("eligible expense categories"), related_name="rounds"
    )
    allowed_legal_forms = models.JSONField(
        _("allowed legal forms"), default=list, blank=True,
        help_text=_("Empty means every legal form may apply."),
    )
    consortium_allowed = models.BooleanField(_("consortia may apply"), default=False)
    min_prefectures = models.PositiveSmallIntegerField(
        _("minimum prefectures of activity area"), default=1,
        help_text=_("A nationwide activity area satisfies any minimum."),
    )
    budget_change_threshold_percent = models.PositiveSmallIntegerField(
        _("budget change threshold (%)"), default=20,
        help_text=_("Moves between expense categories up to this share of the receiving "
                    "category are approved automatically."),
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="copies",
    )

    objects = FundingRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding round")
        verbose_name_plural = _("funding rounds")
        ordering = ["-fiscal_year", "programme__code", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="round_closes_after_opens"),
            models.CheckConstraint(condition=Q(budget_yen__gt=0), name="round_budget_positive"),
            models.CheckConstraint(
                condition=Q(max_award_years__gte=1) & Q(max_award_years__lte=5),
                name="round_award_years_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000) & Q(fiscal_year__lte=2100),
                name="round_fiscal_year_range",
            ),
            models.CheckConstraint(
                condition=Q(budget_change_threshold_percent__lte=100),
                name="round_change_threshold_max_100",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def description(self) -> str:
        return self.localized("description")

    @property
    def is_published(self) -> bool:
        return self.status != self.Status.DRAFT

    def is_accepting(self, now=None) -> bool:
        """Open for submissions: status open and now in [opens_at, closes_at)."""
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    @property
    def phase(self) -> str:
        """upcoming / accepting / closed, as an applicant sees it."""
        now = timezone.now()
        if self.status == self.Status.OPEN and now < self.opens_at:
            return "upcoming"
        if self.is_accepting(now):
            return "accepting"
        return "closed"

    @property
    def fiscal_years(self) -> list[int]:
        """Fiscal years a multi-year award of this round may span."""
        return list(range(self.fiscal_year, self.fiscal_year + self.max_award_years))

    def legal_form_allowed(self, legal_form: str) -> bool:
        return not self.allowed_legal_forms or legal_form in self.allowed_legal_forms

    def allowed_legal_form_labels(self) -> list[str]:
        labels = dict(LegalForm.choices)
        return [str(labels.get(code, code)) for code in self.allowed_legal_forms]


class Theme(BilingualTitleMixin, TimeStampedModel):
    """A テーマ of a round, with its target number of awards (採択件数)."""

    funding_round = models.ForeignKey(FundingRound, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField(_("number"))
    title_ja = models.CharField(_("title (Japanese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    example_activities = models.TextField(_("example activities"), blank=True)
    min_awards = models.PositiveSmallIntegerField(_("minimum awards"), null=True, blank=True)
    max_awards = models.PositiveSmallIntegerField(_("maximum awards"), null=True, blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["funding_round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["funding_round", "number"], name="theme_number_unique"),
            models.CheckConstraint(
                condition=Q(min_awards__isnull=True) | Q(max_awards__isnull=True)
                | Q(min_awards__lte=F("max_awards")),
                name="theme_min_awards_lte_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ScaleTier(BilingualTitleMixin, TimeStampedModel):
    """A scale tier with its ceiling (経費負担の上限), e.g. municipal ¥2,000,000."""

    funding_round = models.ForeignKey(FundingRound, on_delete=models.CASCADE, related_name="tiers")
    code = models.SlugField(_("code"), max_length=30)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    area_description = models.CharField(_("area"), max_length=200, blank=True)
    ceiling_yen = models.PositiveBigIntegerField(_("ceiling (yen)"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scale tier")
        verbose_name_plural = _("scale tiers")
        ordering = ["funding_round", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["funding_round", "code"], name="tier_code_unique"),
            models.CheckConstraint(condition=Q(ceiling_yen__gt=0), name="tier_ceiling_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class FundingRoundEvent(EventModel):
    """History of a round: status moves and recorded changes with reasons."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        COPIED = "copied", _("Copied from an earlier round")
        CHANGED = "changed", _("Round changed")
        STATUS = "status", _("Status changed")
        THEME_ADDED = "theme_added", _("Theme added")
        THEME_CHANGED = "theme_changed", _("Theme changed")
        THEME_REMOVED = "theme_removed", _("Theme removed")
        TIER_ADDED = "tier_added", _("Scale tier added")
        TIER_CHANGED = "tier_changed", _("Scale tier changed")
        TIER_REMOVED = "tier_removed", _("Scale tier removed")
        REPORTING_DEFAULTS_CHANGED = (
            "reporting_defaults_changed", _("Reporting schedule defaults changed")
        )

    action = models.CharField(_("action"), max_length=40, choices=Action)
    funding_round = models.ForeignKey(FundingRound, on_delete=models.CASCADE, related_name="events")

    class Meta(EventModel.Meta):
        verbose_name = _("funding round event")
        verbose_name_plural = _("funding round events")
