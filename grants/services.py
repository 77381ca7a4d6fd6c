"""Every write to programmes and funding rounds, and every round transition."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError, InvalidInput
from core.fiscal import wareki_fiscal_year_label
from core.transitions import record, transition

from .models import ExpenseCategory, FundingRound, FundingRoundEvent, ScaleTier, Theme

JST = ZoneInfo("Asia/Tokyo")

# Fields whose change on a published round with applications needs a reason:
# they decide who may apply and for how much.
RULE_FIELDS = frozenset(
    {
        "allowed_legal_forms",
        "consortium_allowed",
        "min_prefectures",
        "ceiling_basis",
        "max_award_years",
        "expense_categories",
        "budget_change_threshold_percent",
    }
)
ROUND_FIELDS = frozenset(
    {
        "fiscal_year",
        "title_ja",
        "title_en",
        "description_ja",
        "description_en",
        "opens_at",
        "closes_at",
        "budget_yen",
    }
) | RULE_FIELDS


def _jsonable(value):
    if isinstance(value, datetime):
        # NOTE: the same instant read from the database (UTC) and typed in a
        # form (JST) must compare equal, so history is kept in Japan time.
        return timezone.localtime(value, JST).isoformat() if timezone.is_aware(value) else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_jsonable(v) for v in value)
    return value


def round_has_applications(funding_round: FundingRound) -> bool:
    """Whether anyone has started an application (draft or submitted)."""
    return funding_round.applications.exists()


def _require_reason_if_live(funding_round, reason: str, what: str) -> None:
    """Published rounds with applications change only with a recorded reason."""
    if (
        funding_round.status != FundingRound.Status.DRAFT
        and not (reason or "").strip()
        and round_has_applications(funding_round)
    ):
        raise DomainError(
            _("Applications exist for this round: give a reason for changing %(what)s.")
            % {"what": what},
            code="reason_required",
            field="reason",
        )


# Whole-number round settings and their bounds, checked in this order.
_ROUND_RANGES = (
    ("fiscal_year", 2000, 2100,
     gettext_lazy("Fiscal year must be between 2000 and 2100."), "fiscal_year_range"),
    ("min_prefectures", 1, 47,
     gettext_lazy("Minimum prefectures must be between 1 and 47."), "min_prefectures_range"),
    ("budget_change_threshold_percent", 0, 100,
     gettext_lazy("The budget change threshold must be between 0 and 100 percent."),
     "threshold_range"),
    ("max_award_years", 1, 5,
     gettext_lazy("Maximum award years must be between 1 and 5."), "award_years_range"),
)


def _check_round_values(values: dict) -> None:
    opens_at, closes_at = values.get("opens_at"), values.get("closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        raise InvalidInput(
            _("Closing time must be after opening time."), code="closes_before_opens", field="closes_at"
        )
    if "budget_yen" in values and (
        not isinstance(values["budget_yen"], int) or values["budget_yen"] <= 0
    ):
        raise DomainError(
            _("Total budget must be a positive whole number of yen."),
            code="budget_not_positive",
            field="budget_yen",
        )
    for field, lowest, highest, message, code in _ROUND_RANGES:
        value = values.get(field)
        if value is not None and not lowest <= value <= highest:
            raise DomainError(str(message), code=code, field=field)


@transaction.atomic
def create_round(*, programme, by, expense_categories=None, **values) -> FundingRound:
    """Staff create a draft round; it opens only once it is complete."""
    unknown = set(values) - ROUND_FIELDS
    if unknown:
        raise TypeError(f"unknown round fields: {sorted(unknown)}")
    _check_round_values(values)
    funding_round = FundingRound.objects.create(programme=programme, **values)
    if expense_categories is not None:
        funding_round.expense_categories.set(expense_categories)
    record(FundingRoundEvent, by=by, action=FundingRoundEvent.Action.CREATED,
           funding_round=funding_round, to_status=funding_round.status)
    return funding_round


@transaction.atomic
def update_round(*, funding_round: FundingRound, by, reason: str = "", **values) -> FundingRound:
    """Change a round. Rule changes to a live round with applications need a
    reason; every change of a published round is kept in its history."""
    unknown = set(values) - ROUND_FIELDS
    if unknown:
        raise TypeError(f"unknown round fields: {sorted(unknown)}")
    funding_round = FundingRound.objects.select_for_update().get(pk=funding_round.pk)
    if funding_round.status == FundingRound.Status.ARCHIVED:
        raise DomainError(_("An archived round cannot be changed."), code="round_archived")
    changes = {}
    for field, new in values.items():
        if field == "expense_categories":
            old_codes = sorted(funding_round.expense_categories.values_list("code", flat=True))
            new_codes = sorted(c.code for c in new)
            if old_codes != new_codes:
                changes[field] = [old_codes, new_codes]
            continue
        old = getattr(funding_round, field)
        if _jsonable(old) != _jsonable(new):
            changes[field] = [_jsonable(old), _jsonable(new)]
    if not changes:
        return funding_round
    merged = {f: getattr(funding_round, f) for f in ("opens_at", "closes_at")}
    merged.update({k: v for k, v in values.items() if k in changes and k != "expense_categories"})
    _check_round_values(merged)
    if RULE_FIELDS & changes.keys():
        _require_reason_if_live(funding_round, reason, _("the rules"))
    for field in changes:
        if field == "expense_categories":
            funding_round.expense_categories.set(values[field])
        else:
            setattr(funding_round, field, values[field])
    funding_round.save()
    record(FundingRoundEvent, by=by, action=FundingRoundEvent.Action.CHANGED, why=reason,
           funding_round=funding_round, changes=changes)
    return funding_round


THEME_FIELDS = ("number", "title_ja", "title_en", "example_activities", "min_awards", "max_awards")
TIER_FIELDS = ("code", "name_ja", "name_en", "area_description", "ceiling_yen", "sort_order")


def _check_theme(values):
    number = values.get("number")
    if not isinstance(number, int) or number < 1:
        raise DomainError(
            _("Theme number must be a whole number of 1 or more."), code="theme_number_invalid",
            field="number",
        )
    if not (values.get("title_ja") or "").strip():
        raise DomainError(
            _("Give the theme a Japanese title."), code="theme_title_missing", field="title_ja"
        )
    lo, hi = values.get("min_awards"), values.get("max_awards")
    if lo is not None and hi is not None and lo > hi:
        raise InvalidInput(
            _("Minimum awards cannot exceed maximum awards."), code="awards_min_gt_max",
            field="min_awards",
        )


def _check_tier(values):
    ceiling = values.get("ceiling_yen")
    if isinstance(ceiling, bool) or not isinstance(ceiling, int) or ceiling <= 0:
        raise DomainError(
            _("Ceiling must be a positive whole number of yen."),
            code="ceiling_not_positive",
            field="ceiling_yen",
        )
    if not (values.get("code") or "").strip():
        raise DomainError(_("Give the tier a code."), code="tier_code_missing", field="code")
    if not (values.get("name_ja") or "").strip():
        raise DomainError(
            _("Give the tier a Japanese name."), code="tier_name_missing", field="name_ja"
        )


def locked_round(funding_round):
    funding_round = FundingRound.objects.select_for_update().get(pk=funding_round.pk)
    if funding_round.status == FundingRound.Status.ARCHIVED:
        raise DomainError(_("An archived round cannot be changed."), code="round_archived")
    return funding_round


def _own_part(funding_round, part, kind: str) -> None:
    # SECURITY: a theme or tier id from a form must belong to the round the
    # permission was checked on.
    if part is not None and part.funding_round_id != funding_round.pk:
        raise DomainError(
            _("This %(kind)s belongs to another round.") % {"kind": kind}, code="wrong_round"
        )


def _unknown(values, allowed) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


@dataclass(frozen=True)
class _RoundPart:
    """What differs between a round's themes and its scale tiers; the flow of
    adding, changing and removing them is the same (_save_part, _delete_part)."""

    model: type
    fields: tuple[str, ...]
    check: Callable[[dict], None]
    name: str  # event actions ("theme_added" …) and the key naming it in changes
    key: str  # unique within the round; names the part in its history
    removed_detail: str  # also kept in the history of a removal
    related_name: str  # the round's manager of these parts
    label: Promise  # "This %(kind)s belongs to another round."
    what: Promise  # "give a reason for changing %(what)s."
    taken_message: Promise  # formatted with the key
    taken_code: str
    in_use_message: Promise
    in_use_code: str

    def in_use(self) -> DomainError:
        return DomainError(str(self.in_use_message), code=self.in_use_code)


_THEME = _RoundPart(
    model=Theme,
    fields=THEME_FIELDS,
    check=_check_theme,
    name="theme",
    key="number",
    removed_detail="title_ja",
    related_name="themes",
    label=gettext_lazy("theme"),
    what=gettext_lazy("the themes"),
    taken_message=gettext_lazy("Theme number %(number)s is already used in this round."),
    taken_code="theme_number_taken",
    in_use_message=gettext_lazy("Applications have chosen this theme; it cannot be removed."),
    in_use_code="theme_in_use",
)
_TIER = _RoundPart(
    model=ScaleTier,
    fields=TIER_FIELDS,
    check=_check_tier,
    name="tier",
    key="code",
    removed_detail="ceiling_yen",
    related_name="tiers",
    label=gettext_lazy("scale tier"),
    what=gettext_lazy("the ceilings"),
    taken_message=gettext_lazy("Tier code %(code)s is already used in this round."),
    taken_code="tier_code_taken",
    in_use_message=gettext_lazy("Applications have chosen this tier; it cannot be removed."),
    in_use_code="tier_in_use",
)


def _save_part(kind: _RoundPart, *, funding_round, by, part, reason: str, values: dict):
    _unknown(values, kind.fields)
    funding_round = locked_round(funding_round)
    _own_part(funding_round, part, kind.label)
    before = {f: getattr(part, f) for f in kind.fields} if part else {}
    merged = {**before, **values}
    kind.check(merged)
    changes = {f: [before.get(f), v] for f, v in values.items() if before.get(f) != v}
    if part is not None and not changes:
        return part
    _require_reason_if_live(funding_round, reason, kind.what)
    taken = getattr(funding_round, kind.related_name).filter(**{kind.key: merged[kind.key]})
    if part is not None:
        taken = taken.exclude(pk=part.pk)
    if taken.exists():
        raise DomainError(
            kind.taken_message % {kind.key: merged[kind.key]},
            code=kind.taken_code,
            field=kind.key,
        )
    if part is None:
        part = kind.model.objects.create(funding_round=funding_round, **values)
        action = FundingRoundEvent.Action(f"{kind.name}_added")
    else:
        for field, value in values.items():
            setattr(part, field, value)
        part.save()
        action = FundingRoundEvent.Action(f"{kind.name}_changed")
    record(FundingRoundEvent, by=by, action=action, why=reason, funding_round=funding_round,
           changes={kind.name: getattr(part, kind.key), **changes})
    return part


def _delete_part(kind: _RoundPart, *, part, by, reason: str) -> None:
    funding_round = locked_round(part.funding_round)
    _require_reason_if_live(funding_round, reason, kind.what)
    if part.applications.exists():
        raise kind.in_use()
    record(FundingRoundEvent, by=by, action=FundingRoundEvent.Action(f"{kind.name}_removed"),
           why=reason, funding_round=funding_round,
           changes={kind.name: getattr(part, kind.key),
                    kind.removed_detail: getattr(part, kind.removed_detail)})
    try:
        part.delete()
    except ProtectedError as error:  # e.g. an award names the theme or tier
        raise kind.in_use() from error


@transaction.atomic
def save_theme(*, funding_round, by, theme: Theme | None = None, reason: str = "", **values) -> Theme:
    """Add or change a theme; on a live round with applications, with a reason."""
    return _save_part(_THEME, funding_round=funding_round, by=by, part=theme, reason=reason,
                      values=values)


@transaction.atomic
def delete_theme(*, theme: Theme, by, reason: str = "") -> None:
    """Remove a theme that no application has chosen."""
    _delete_part(_THEME, part=theme, by=by, reason=reason)


@transaction.atomic
def save_tier(*, funding_round, by, tier: ScaleTier | None = None, reason: str = "", **values) -> ScaleTier:
    """Add or change a scale tier and its ceiling; live rounds need a reason."""
    return _save_part(_TIER, funding_round=funding_round, by=by, part=tier, reason=reason,
                      values=values)


@transaction.atomic
def delete_tier(*, tier: ScaleTier, by, reason: str = "") -> None:
    """Remove a tier that no application has chosen."""
    _delete_part(_TIER, part=tier, by=by, reason=reason)


# --- Transitions ----------------------------------------------------------------


CANNOT_MOVE = gettext_lazy("A round cannot move from %(from)s to %(to)s.")


def round_open_problems(funding_round: FundingRound) -> list[str]:
    """What stops a round from opening; empty when it may open."""
    problems = []
    if not funding_round.themes.exists():
        problems.append(_("Add at least one theme."))
    if not funding_round.tiers.exists():
        problems.append(_("Add at least one scale tier."))
    if not funding_round.expense_categories.exists():
        problems.append(_("Enable at least one expense category."))
    if funding_round.closes_at <= timezone.now():
        problems.append(_("The closing time has already passed."))
    return problems


@transaction.atomic
def open_round(*, funding_round: FundingRound, by, reason: str = "") -> FundingRound:
    """Publish a complete round: one theme, one tier, one expense category."""
    funding_round = FundingRound.objects.select_for_update().get(pk=funding_round.pk)
    problems = round_open_problems(funding_round)
    if problems:
        raise DomainError(" ".join(problems), code="round_incomplete")
    transition(funding_round, FundingRound.Status.OPEN, by=by, why=reason,
               action=FundingRoundEvent.Action.STATUS, event_model=FundingRoundEvent,
               funding_round=funding_round, refusal=CANNOT_MOVE)
    return funding_round


def _transition(status):
    @transaction.atomic
    def move(*, funding_round: FundingRound, by, reason: str = "") -> FundingRound:
        funding_round = FundingRound.objects.select_for_update().get(pk=funding_round.pk)
        transition(funding_round, status, by=by, why=reason,
                   action=FundingRoundEvent.Action.STATUS, event_model=FundingRoundEvent,
                   funding_round=funding_round, refusal=CANNOT_MOVE)
        return funding_round

    return move


close_round = _transition(FundingRound.Status.CLOSED)
close_round.__doc__ = "Stop accepting applications ahead of or at the deadline."
start_review = _transition(FundingRound.Status.REVIEWING)
start_review.__doc__ = "Hand a closed round to the reviewers."
mark_round_decided = _transition(FundingRound.Status.DECIDED)
mark_round_decided.__doc__ = "All decisions are recorded."
archive_round = _transition(FundingRound.Status.ARCHIVED)
archive_round.__doc__ = "Freeze a decided round."


def _shift_years(moment, years: int):
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February into a common year
        return (moment - timedelta(days=1)).replace(year=moment.year + years)


def _retitle(title: str, old_year: int, new_year: int) -> str:
    """令和5年度 … 2023 becomes 令和8年度 … 2026 in a copied title."""
    title = title.replace(wareki_fiscal_year_label(old_year), wareki_fiscal_year_label(new_year))
    return title.replace(str(old_year), str(new_year))


@transaction.atomic
def copy_round(*, source: FundingRound, by, fiscal_year: int | None = None) -> FundingRound:
    """Start a new draft from an earlier round: same themes, tiers, expenses and
    rules, dates moved by the difference in fiscal years."""
    fiscal_year = source.fiscal_year + 1 if fiscal_year is None else fiscal_year
    _check_round_values({"fiscal_year": fiscal_year})
    shift = fiscal_year - source.fiscal_year
    copy = FundingRound.objects.create(
        programme=source.programme,
        fiscal_year=fiscal_year,
        title_ja=_retitle(source.title_ja, source.fiscal_year, fiscal_year),
        title_en=_retitle(source.title_en, source.fiscal_year, fiscal_year),
        description_ja=source.description_ja,
        description_en=source.description_en,
        opens_at=_shift_years(source.opens_at, shift),
        closes_at=_shift_years(source.closes_at, shift),
        budget_yen=source.budget_yen,
        max_award_years=source.max_award_years,
        ceiling_basis=source.ceiling_basis,
        allowed_legal_forms=list(source.allowed_legal_forms),
        consortium_allowed=source.consortium_allowed,
        min_prefectures=source.min_prefectures,
        budget_change_threshold_percent=source.budget_change_threshold_percent,
        copied_from=source,
    )
    copy.expense_categories.set(source.expense_categories.all())
    Theme.objects.bulk_create(
        Theme(funding_round=copy, **{f: getattr(t, f) for f in THEME_FIELDS})
        for t in source.themes.all()
    )
    ScaleTier.objects.bulk_create(
        ScaleTier(funding_round=copy, **{f: getattr(t, f) for f in TIER_FIELDS})
        for t in source.tiers.all()
    )
    record(FundingRoundEvent, by=by, action=FundingRoundEvent.Action.COPIED, funding_round=copy,
           to_status=copy.status, changes={"copied_from": source.pk})
    return copy


DEFAULT_EXPENSE_CATEGORIES = [
    ("personnel", "人件費", "Personnel"),
    ("honoraria", "謝金", "Honoraria"),
    ("travel", "旅費", "Travel"),
    ("consumables", "消耗品費", "Consumables"),
    ("meetings", "会議費", "Meetings"),
    ("printing", "印刷製本費", "Printing and binding"),
    ("communication", "通信運搬費", "Communication and shipping"),
]


def ensure_default_expense_categories() -> list[ExpenseCategory]:
    """Seed the seven categories of DOMAIN.md (idempotent)."""
    categories = []
    for order, (code, ja, en) in enumerate(DEFAULT_EXPENSE_CATEGORIES, 1):
        category, _created = ExpenseCategory.objects.get_or_create(
            code=code, defaults={"name_ja": ja, "name_en": en, "sort_order": order * 10}
        )
        categories.append(category)
    return categories


DEFAULT_TARGET_GROUPS = [
    ("children_youth", "子ども・若者", "Children and young people"),
    ("older_people", "高齢者", "Older people"),
    ("older_alone", "一人暮らしの高齢者", "Older people living alone"),
    ("disabilities", "障害のある人", "People with disabilities"),
    ("middle_aged_men", "中高年の男性", "Middle-aged and senior men"),
    ("multi_generation", "孤独を感じる多世代の人々", "Multi-generation people feeling lonely"),
    ("financial_hardship", "生活困窮者", "People in financial hardship"),
    ("hikikomori", "ひきこもりの人", "Hikikomori"),
    ("mental_health", "精神的な不調を抱える人", "People with mental-health problems"),
    ("parents_young_children", "妊産婦・子育て中の親", "Pregnant women and parents of young children"),
    ("single_parents", "ひとり親", "Single parents"),
    ("women_hardship", "困難を抱える女性", "Women in hardship"),
    ("dv_victims", "DV被害者", "Victims of domestic violence"),
    ("students", "学生", "Students"),
    ("school_non_attendance", "不登校の子ども", "Children not attending school"),
    ("job_seekers", "求職者", "Job seekers"),
    ("middle_aged", "中高年", "Middle-aged people"),
    ("care_leavers", "社会的養護経験者", "Care leavers"),
    ("ex_offenders", "刑務所出所者等", "Ex-offenders"),
    ("addictions", "依存症の人", "People with addictions"),
    ("crime_victims", "犯罪被害者", "Crime victims"),
    ("disaster_victims", "被災者", "Disaster victims"),
    ("hearing_loss", "聴覚障害のある人", "People with hearing loss"),
    ("intractable_diseases", "難病患者", "Patients with intractable diseases"),
    ("foreign_residents", "外国人住民", "Foreign residents"),
    ("carers", "ケアラー", "Carers"),
    ("lgbtq", "性的マイノリティ", "LGBTQ people"),
]
