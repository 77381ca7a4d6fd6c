"""Budget change requests (変更承認申請): moving money between expense
categories of a year, automatic within the round's threshold, else decided
by programme staff."""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import format_yen, percent_of
from core.transitions import actor, record

from ..models import (
    AwardBudgetLine,
    AwardEvent,
    AwardYear,
    BudgetChangeRequest,
)
from .common import category_id, locked_year, require_award_active, require_positive, require_reason


def _line(award_year, category_id, *, create=False) -> AwardBudgetLine | None:
    line = AwardBudgetLine.objects.select_for_update().filter(
        award_year=award_year, expense_category_id=category_id
    ).first()
    if line is None and create:
        line = AwardBudgetLine.objects.create(
            award_year=award_year, expense_category_id=category_id, approved_yen=0
        )
    return line


def _available(award_year, category_id, *, excluding=None) -> int:
    """What a category can still give: approved less pending outgoing moves."""
    line = _line(award_year, category_id)
    pending = award_year.change_requests.filter(
        status=BudgetChangeRequest.Status.PENDING, from_category_id=category_id
    )
    if excluding is not None:
        pending = pending.exclude(pk=excluding.pk)
    return (line.approved_yen if line else 0) - (pending.aggregate(t=Sum("amount_yen"))["t"] or 0)


def _require_changeable(award_year: AwardYear) -> None:
    require_award_active(award_year.award)
    if award_year.state not in (AwardYear.State.PLANNED, AwardYear.State.ACTIVE):
        raise DomainError(
            _("The budget of FY%(year)s is closed.") % {"year": award_year.fiscal_year},
            code="year_closed",
        )


def _apply_change(change: BudgetChangeRequest, *, by) -> None:
    award_year = change.award_year
    source = _line(award_year, change.from_category_id)
    if source is None or source.approved_yen < change.amount_yen:
        raise DomainError(
            _("%(category)s has only %(available)s approved.")
            % {"category": change.from_category.name,
               "available": format_yen(source.approved_yen if source else 0)},
            code="exceeds_category", field="amount_yen",
        )
    target = _line(award_year, change.to_category_id, create=True)
    before = {"from": source.approved_yen, "to": target.approved_yen}
    source.approved_yen -= change.amount_yen
    target.approved_yen += change.amount_yen
    source.save(update_fields=["approved_yen"])
    target.save(update_fields=["approved_yen"])
    total = award_year.budget_lines.aggregate(t=Sum("approved_yen"))["t"] or 0
    if total != award_year.approved_yen:  # moves never change the year's total
        raise DomainError(_("The budget no longer adds up."), code="total_changed")
    record(AwardEvent, award=award_year.award, by=by, action=AwardEvent.Action.BUDGET_CHANGED,
           award_year=award_year, why=change.reason,
           changes={"change_request": change.pk, "amount_yen": change.amount_yen,
                    "from": [change.from_category.code, before["from"], source.approved_yen],
                    "to": [change.to_category.code, before["to"], target.approved_yen],
                    "auto": change.is_auto_approved})


@transaction.atomic
def request_budget_change(*, award_year: AwardYear, from_category, to_category, amount_yen: int,
                          reason: str, by) -> BudgetChangeRequest:
    """The organisation moves money between categories of one year. Up to the
    round's threshold (share of the receiving category) it is approved at
    once; larger moves wait for staff. The year's total never changes."""
    award_year = locked_year(award_year)
    _require_changeable(award_year)
    require_positive(amount_yen)
    reason = require_reason(reason)
    from_id, to_id = category_id(from_category), category_id(to_category)
    if from_id == to_id:
        raise DomainError(
            _("Choose two different categories."), code="same_category", field="to_category"
        )
    allowed = set(award_year.award.funding_round.expense_categories.values_list("pk", flat=True))
    if to_id not in allowed and not award_year.budget_lines.filter(expense_category_id=to_id).exists():
        raise DomainError(
            _("This category is not eligible in the round."), code="category_not_eligible",
            field="to_category",
        )
    available = _available(award_year, from_id)
    if amount_yen > available:
        raise DomainError(
            _("At most %(available)s can move out of this category.")
            % {"available": format_yen(max(available, 0))},
            code="exceeds_category", field="amount_yen",
        )
    target = _line(award_year, to_id)
    threshold = percent_of(target.approved_yen if target else 0,
                           award_year.award.funding_round.budget_change_threshold_percent)
    change = BudgetChangeRequest.objects.create(
        award_year=award_year, from_category_id=from_id, to_category_id=to_id,
        amount_yen=amount_yen, reason=reason, requested_by=actor(by), threshold_yen=threshold,
    )
    record(AwardEvent, award=award_year.award, by=by, action=AwardEvent.Action.CHANGE_REQUESTED,
           award_year=award_year, why=reason, to_status=change.status,
           changes={"change_request": change.pk, "amount_yen": amount_yen,
                    "threshold_yen": threshold})
    if amount_yen <= threshold:
        change.is_auto_approved = True
        _decide(change, to=BudgetChangeRequest.Status.APPROVED, by=None,
                comment=_("Within the automatic approval threshold."))
    return change


def _decide(change: BudgetChangeRequest, *, to: str, by, comment: str = "") -> None:
    if to not in BudgetChangeRequest.TRANSITIONS.get(change.status, ()):
        raise DomainError(_("This request has already been decided."), code="bad_transition")
    if to == BudgetChangeRequest.Status.APPROVED:
        _apply_change(change, by=by)
    record(AwardEvent, award=change.award_year.award, by=by,
           action=AwardEvent.Action.CHANGE_DECIDED, award_year=change.award_year, why=comment,
           from_status=change.status, to_status=to,
           changes={"change_request": change.pk, "auto": change.is_auto_approved})
    change.status = to
    change.decided_by = actor(by)
    change.decided_at = timezone.now()
    change.decision_comment = comment or ""
    change.save()


def _locked_change(change) -> BudgetChangeRequest:
    change = BudgetChangeRequest.objects.select_for_update(of=("self",)).select_related(
        "from_category", "to_category"
    ).get(pk=change.pk)
    change.award_year = locked_year(change.award_year)
    return change


@transaction.atomic
def approve_budget_change(*, change_request: BudgetChangeRequest, by, comment: str = "") -> BudgetChangeRequest:
    """Staff approve a move above the threshold; the money must still be there."""
    change = _locked_change(change_request)
    _require_changeable(change.award_year)
    _decide(change, to=BudgetChangeRequest.Status.APPROVED, by=by, comment=comment)
    return change


@transaction.atomic
def reject_budget_change(*, change_request: BudgetChangeRequest, by, comment: str) -> BudgetChangeRequest:
    """Staff refuse a move, saying why."""
    change = _locked_change(change_request)
    if not (comment or "").strip():
        raise DomainError(_("Say why the request is rejected."), code="reason_required",
                          field="comment")
    _decide(change, to=BudgetChangeRequest.Status.REJECTED, by=by, comment=comment)
    return change


@transaction.atomic
def withdraw_budget_change(*, change_request: BudgetChangeRequest, by) -> BudgetChangeRequest:
    """The organisation takes back a request still waiting for staff."""
    change = _locked_change(change_request)
    _decide(change, to=BudgetChangeRequest.Status.WITHDRAWN, by=by)
    return change
