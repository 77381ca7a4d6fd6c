"""Helpers the award services share: reasons, budget checks
(the tier ceiling of grants.rules), locked years and year moves."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.money import format_yen
from core.transitions import transition
from grants.models import ExpenseCategory, FundingRound
from grants.rules import ceiling_breaches

from ..models import (
    Award,
    AwardEvent,
    AwardYear,
)


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), code="reason_required", field="reason")
    return reason


def category_id(key) -> int:
    """Budget keys may be ExpenseCategory objects, primary keys or codes."""
    if isinstance(key, ExpenseCategory):
        return key.pk
    if isinstance(key, int):
        return key
    category = ExpenseCategory.objects.filter(code=str(key)).first()
    if category is None:
        raise DomainError(
            _("Unknown expense category %(code)s.") % {"code": key},
            code="unknown_category", field="expense_category",
        )
    return category.pk


def normalise_budget(budget) -> dict[int, dict[int, int]]:
    result: dict[int, dict[int, int]] = {}
    for year, lines in budget.items():
        result[int(year)] = {}
        for key, amount in lines.items():
            if not isinstance(amount, int) or amount < 0:
                raise DomainError(
                    _("Approved amounts must be whole yen, zero or more."),
                    code="amount_not_positive", field="approved_yen",
                )
            cat = category_id(key)
            result[int(year)][cat] = result[int(year)].get(cat, 0) + amount
    return result


def check_budget(funding_round: FundingRound, tier, budget: dict[int, dict[int, int]]) -> None:
    if not budget or not sum(sum(lines.values()) for lines in budget.values()):
        raise DomainError(
            _("An award needs an approved budget above zero."), code="no_budget",
            field="approved_yen",
        )
    allowed = set(funding_round.fiscal_years)
    outside = sorted(set(budget) - allowed)
    if outside:
        raise DomainError(
            _("Fiscal year %(year)s is outside the years this round may fund.")
            % {"year": outside[0]},
            code="year_outside_round", field="fiscal_year",
        )
    check_ceiling(funding_round, tier, {y: sum(lines.values()) for y, lines in budget.items()})


def check_ceiling(funding_round, tier, year_totals: dict[int, int]) -> None:
    """The tier ceiling (経費負担の上限) caps each year or the whole award."""
    for breach in ceiling_breaches(funding_round, tier, year_totals):
        raise DomainError(
            _("The approved amount %(amount)s is above the ceiling %(ceiling)s.")
            % {"amount": format_yen(breach.total_yen), "ceiling": format_yen(breach.ceiling_yen)},
            code="above_ceiling", field="approved_yen",
        )


def move_year(award_year: AwardYear, *, to: str, by, reason: str = "") -> None:
    """Move a year (core.transitions) and stamp when it started, was reported
    or was settled."""
    transition(award_year, to, by=by, why=reason, field="state", save=False,
               action=AwardEvent.Action.YEAR_STATE, event_model=AwardEvent,
               award=award_year.award, award_year=award_year,
               refusal=gettext_lazy("FY%(year)s cannot move from %(from)s to %(to)s."),
               refusal_params={"year": award_year.fiscal_year})
    stamp = {AwardYear.State.ACTIVE: "started_at", AwardYear.State.REPORTED: "reported_at",
             AwardYear.State.SETTLED: "settled_at"}.get(to)
    fields = ["state", "updated_at"]
    if stamp:
        setattr(award_year, stamp, timezone.now())
        fields.append(stamp)
    award_year.save(update_fields=fields)


def locked_year(award_year) -> AwardYear:
    return AwardYear.objects.select_for_update(of=("self",)).select_related(
        "award", "award__funding_round", "award__tier"
    ).get(pk=award_year.pk)


def require_award_active(award: Award) -> None:
    if award.status != Award.Status.ACTIVE:
        raise DomainError(
            _("The award is %(status)s; nothing can change now.")
            % {"status": Award.Status(award.status).label},
            code="award_not_active",
        )


def require_positive(amount_yen, field="amount_yen") -> None:
    if not isinstance(amount_yen, int) or amount_yen <= 0:
        raise DomainError(
            _("The amount must be a positive whole number of yen."),
            code="amount_not_positive", field=field,
        )
