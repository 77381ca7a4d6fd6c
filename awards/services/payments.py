"""Payments of an award year (概算払 = advance, 精算払 = settlement),
scheduled and recorded, and the confirmed amount (額の確定)."""

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import format_yen
from core.transitions import actor, record

from ..models import (
    AwardEvent,
    AwardYear,
    Payment,
    ScheduledPayment,
)
from .common import locked_year, move_year, require_award_active, require_positive


def _paid(award_year: AwardYear, *kinds) -> int:
    return award_year.payments.filter(kind__in=kinds).aggregate(t=Sum("amount_yen"))["t"] or 0


@transaction.atomic
def schedule_payment(*, award_year: AwardYear, kind: str, due_on: date, amount_yen: int, by,
                     note: str = "") -> ScheduledPayment:
    """Plan an advance (概算払) or settlement (精算払); advances planned never
    add up to more than the approved amount."""
    award_year = locked_year(award_year)
    require_award_active(award_year.award)
    require_positive(amount_yen)
    if award_year.state == AwardYear.State.STOPPED:
        raise DomainError(_("This year was not continued."), code="year_stopped")
    if kind == ScheduledPayment.Kind.ADVANCE:
        planned = award_year.scheduled_payments.filter(kind=kind).aggregate(
            t=Sum("amount_yen"))["t"] or 0
        if planned + amount_yen > award_year.approved_yen:
            raise DomainError(
                _("Advances would exceed the approved amount %(approved)s.")
                % {"approved": format_yen(award_year.approved_yen)},
                code="above_approved", field="amount_yen",
            )
    scheduled = ScheduledPayment.objects.create(
        award_year=award_year, kind=kind, due_on=due_on, amount_yen=amount_yen, note=note
    )
    record(AwardEvent, award=award_year.award, by=by, action=AwardEvent.Action.PAYMENT_SCHEDULED,
           award_year=award_year,
           changes={"kind": kind, "due_on": due_on.isoformat(), "amount_yen": amount_yen})
    return scheduled


@transaction.atomic
def record_payment(*, award_year: AwardYear, kind: str, amount_yen: int, paid_on: date, by,
                   scheduled: ScheduledPayment | None = None, note: str = "") -> Payment:
    """Record money paid or returned. Advances: at most the approved amount,
    before settlement. After 額の確定: settlement up to what is still due,
    refunds up to what was over-paid. A payment settles the scheduled
    payment named, or else the earliest still open one of its year, kind and
    amount (reconciliation without retyping)."""
    award_year = locked_year(award_year)
    require_positive(amount_yen)
    if scheduled is not None and (scheduled.award_year_id != award_year.pk or scheduled.kind != kind):
        raise DomainError(
            _("The scheduled payment belongs to another year or kind."),
            code="schedule_mismatch", field="scheduled",
        )
    if scheduled is None and kind != Payment.Kind.REFUND:
        scheduled = (award_year.scheduled_payments
                     .filter(kind=kind, amount_yen=amount_yen, payments__isnull=True)
                     .order_by("due_on", "id").first())
    settled = award_year.state == AwardYear.State.SETTLED
    if kind == Payment.Kind.ADVANCE:
        if award_year.state not in (AwardYear.State.ACTIVE, AwardYear.State.REPORTED):
            raise DomainError(
                _("Advances are paid only in a started year before settlement."),
                code="year_not_payable",
            )
        advanced = _paid(award_year, Payment.Kind.ADVANCE)
        if advanced + amount_yen > award_year.approved_yen:
            raise DomainError(
                _("Advances would exceed the approved amount %(approved)s.")
                % {"approved": format_yen(award_year.approved_yen)},
                code="above_approved", field="amount_yen",
            )
    elif kind in (Payment.Kind.SETTLEMENT, Payment.Kind.REFUND):
        if not settled:
            raise DomainError(
                _("Settle the year (額の確定) first."), code="year_not_settled"
            )
        limit = award_year.settlement_due_yen if kind == Payment.Kind.SETTLEMENT else award_year.to_return_yen
        if amount_yen > limit:
            raise DomainError(
                _("At most %(limit)s is outstanding.") % {"limit": format_yen(limit)},
                code="above_outstanding", field="amount_yen",
            )
    else:
        raise DomainError(_("Choose a kind of payment."), code="bad_kind", field="kind")
    payment = Payment.objects.create(
        award_year=award_year, kind=kind, amount_yen=amount_yen, paid_on=paid_on,
        scheduled=scheduled, note=note, recorded_by=actor(by),
    )
    record(AwardEvent, award=award_year.award, by=by, action=AwardEvent.Action.PAYMENT_RECORDED,
           award_year=award_year,
           changes={"kind": kind, "paid_on": paid_on.isoformat(), "amount_yen": amount_yen,
                    "scheduled": scheduled.pk if scheduled else None})
    return payment


@transaction.atomic
def settle_award_year(*, award_year: AwardYear, confirmed_yen: int, by, reason: str = "") -> AwardYear:
    """額の確定: staff confirm the amount finally due for a reported year; it
    can never exceed the approved amount."""
    award_year = locked_year(award_year)
    if not isinstance(confirmed_yen, int) or confirmed_yen < 0:
        raise DomainError(
            _("The confirmed amount must be whole yen, zero or more."),
            code="amount_not_positive", field="confirmed_yen",
        )
    if confirmed_yen > award_year.approved_yen:
        raise DomainError(
            _("The confirmed amount %(amount)s is above the approved %(approved)s.")
            % {"amount": format_yen(confirmed_yen), "approved": format_yen(award_year.approved_yen)},
            code="above_approved", field="confirmed_yen",
        )
    if award_year.state != AwardYear.State.REPORTED:
        raise DomainError(
            _("FY%(year)s can be settled once its annual report is accepted.")
            % {"year": award_year.fiscal_year},
            code="year_not_reported",
        )
    award_year.confirmed_yen = confirmed_yen
    award_year.save(update_fields=["confirmed_yen", "updated_at"])
    move_year(award_year, to=AwardYear.State.SETTLED, by=by, reason=reason)
    record(AwardEvent, award=award_year.award, by=by, action=AwardEvent.Action.SETTLED,
           award_year=award_year, why=reason,
           changes={"confirmed_yen": confirmed_yen, "paid_yen": award_year.paid_yen,
                    "to_return_yen": award_year.to_return_yen})
    return award_year
