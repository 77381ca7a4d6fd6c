"""Every write to awards: creation from an awarded application, budgets,
continuation (継続), payments (概算払/精算払), settlement (額の確定), budget
change requests (変更承認申請), status moves and the reporting schedule.

Higher apps call in: reviews' decision service creates awards, reporting
marks a year reported when its annual report (実績報告) is accepted.
"""

import calendar
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application
from core.errors import DomainError
from core.fiscal import fiscal_year_bounds
from core.money import format_yen, percent_of, split_yen
from core.transitions import check_transition, record, transition
from grants.models import ExpenseCategory, FundingRound, Programme, ReportingDefaults
from grants.rules import ceiling_breaches

from .models import (
    Award,
    AwardBudgetLine,
    AwardConsortiumMember,
    AwardEvent,
    AwardYear,
    BudgetChangeRequest,
    ContinuationDecision,
    Payment,
    ReportDeadline,
    ScheduledPayment,
)


def _actor(by):
    return by if getattr(by, "pk", None) else None


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), code="reason_required", field="reason")
    return reason


def _category_id(key) -> int:
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


# --- Creation ------------------------------------------------------------------


def _requested_budget(application) -> dict[int, dict[int, int]]:
    """{fiscal year: {category id: yen}} from the application's budget lines."""
    budget: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for line in application.budget_lines.all():
        budget[line.fiscal_year][line.expense_category_id] += line.amount_yen
    return {year: dict(lines) for year, lines in budget.items()}


def _scaled(budget: dict[int, dict[int, int]], amount_yen: int) -> dict[int, dict[int, int]]:
    """Scale every line down in proportion so the total is `amount_yen`
    (core.money.split_yen: largest remainder, parts add up exactly)."""
    keys = [(year, cat) for year in sorted(budget) for cat in sorted(budget[year])]
    requested = sum(budget[year][cat] for year, cat in keys)
    if amount_yen > requested:
        raise DomainError(
            _("The awarded amount %(amount)s is above the requested %(requested)s.")
            % {"amount": format_yen(amount_yen), "requested": format_yen(requested)},
            code="above_requested", field="amount_yen",
        )
    parts = split_yen(amount_yen, [budget[year][cat] for year, cat in keys])
    scaled: dict[int, dict[int, int]] = defaultdict(dict)
    for (year, cat), part in zip(keys, parts, strict=True):
        scaled[year][cat] = part
    return dict(scaled)


def _normalise(budget) -> dict[int, dict[int, int]]:
    result: dict[int, dict[int, int]] = {}
    for year, lines in budget.items():
        result[int(year)] = {}
        for key, amount in lines.items():
            if not isinstance(amount, int) or amount < 0:
                raise DomainError(
                    _("Approved amounts must be whole yen, zero or more."),
                    code="amount_not_positive", field="approved_yen",
                )
            cat = _category_id(key)
            result[int(year)][cat] = result[int(year)].get(cat, 0) + amount
    return result


def _check_budget(funding_round: FundingRound, tier, budget: dict[int, dict[int, int]]) -> None:
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
    _check_ceiling(funding_round, tier, {y: sum(lines.values()) for y, lines in budget.items()})


def _check_ceiling(funding_round, tier, year_totals: dict[int, int]) -> None:
    """The tier ceiling (経費負担の上限) caps each year or the whole award."""
    for breach in ceiling_breaches(funding_round, tier, year_totals):
        raise DomainError(
            _("The approved amount %(amount)s is above the ceiling %(ceiling)s.")
            % {"amount": format_yen(breach.total_yen), "ceiling": format_yen(breach.ceiling_yen)},
            code="above_ceiling", field="approved_yen",
        )


def _next_award_number(funding_round: FundingRound) -> str:
    """<PROGRAMME>-<fiscal year>-A<sequence>; the programme row is locked."""
    programme = Programme.objects.select_for_update().get(pk=funding_round.programme_id)
    prefix = f"{programme.code.upper()}-{funding_round.fiscal_year}-A"
    sequence = Award.objects.filter(award_number__startswith=prefix).count() + 1
    while Award.objects.filter(award_number=f"{prefix}{sequence:03d}").exists():
        sequence += 1
    return f"{prefix}{sequence:03d}"


def _default_start(first_year: int, end_on: date) -> tuple[date, bool]:
    """An award starts today or on 1 April of its first fiscal year, whichever
    is later, while that is still inside its years. Decided after they are
    over, it starts retroactively on that 1 April: (start, retroactive)."""
    first_day = fiscal_year_bounds(first_year)[0]
    start_on = max(timezone.localdate(), first_day)
    if start_on <= end_on:
        return start_on, False
    return first_day, True


@transaction.atomic
def create_award_from_application(
    *, application, approved_yen_by_year_and_category=None, amount_yen=None, by,
    start_on: date | None = None, end_on: date | None = None, conditions: str = "",
) -> Award:
    """Make the award of an awarded application; one award per application
    (a second call returns the first award unchanged). The budget defaults to
    the application's, scaled down when `amount_yen` is below the request."""
    # NOTE: grants sits below applications and never imports it; the
    # application's own class and status value are used instead.
    application = (
        type(application).objects.select_for_update(of=("self",))
        .select_related("funding_round", "tier")
        .get(pk=application.pk)
    )
    existing = Award.objects.filter(application=application).first()
    if existing is not None:
        return existing
    if application.status != Application.Status.AWARDED:
        raise DomainError(
            _("Only an awarded application becomes an award."), code="not_awarded"
        )
    funding_round = application.funding_round
    pro_rated = False
    if approved_yen_by_year_and_category is not None:
        budget = _normalise(approved_yen_by_year_and_category)
    else:
        budget = _requested_budget(application)
        requested = sum(sum(lines.values()) for lines in budget.values())
        if amount_yen is not None:
            budget = _scaled(budget, amount_yen) if budget else {}
        pro_rated = amount_yen is not None and amount_yen < requested
    _check_budget(funding_round, application.tier, budget)
    years = sorted(budget)
    end_on = end_on or fiscal_year_bounds(years[-1])[1]
    retroactive = False
    if start_on is None:
        start_on, retroactive = _default_start(years[0], end_on)
    if end_on < start_on:
        raise DomainError(
            _("The end date must not be before the start date."),
            code="ends_before_start", field="end_on",
        )
    award = Award.objects.create(
        award_number=_next_award_number(funding_round),
        application=application,
        organisation_id=application.organisation_id,
        funding_round=funding_round,
        theme_id=application.theme_id,
        tier_id=application.tier_id,
        title=application.title or str(application),
        prefectures=list(application.prefectures or []),
        is_nationwide=application.is_nationwide,
        start_on=start_on,
        end_on=end_on,
        conditions=conditions,
        approved_yen=sum(sum(lines.values()) for lines in budget.values()),
        created_by=_actor(by),
    )
    award.target_groups.set(application.target_groups.all())
    AwardConsortiumMember.objects.bulk_create(
        AwardConsortiumMember(award=award, name=m.name, legal_form=m.legal_form,
                              corporate_number=m.corporate_number, role=m.role,
                              sort_order=index)
        for index, m in enumerate(application.consortium_members.all())
    )
    for year in years:
        award_year = AwardYear.objects.create(
            award=award, fiscal_year=year, approved_yen=sum(budget[year].values())
        )
        AwardBudgetLine.objects.bulk_create(
            AwardBudgetLine(award_year=award_year, expense_category_id=cat, approved_yen=amount)
            for cat, amount in sorted(budget[year].items())
        )
    changes = {"budget": {str(y): {str(c): a for c, a in budget[y].items()} for y in years}}
    if pro_rated:
        changes["pro_rated"] = True  # is_reduced reads it
    members = [m.name for m in award.consortium_members.all()]
    if members:
        changes["consortium_members"] = members
    reason = ""
    if retroactive:
        changes.update(start_on=start_on.isoformat(), retroactive_start=True)
        reason = _(
            "Decided after the award's fiscal years ended: the award starts retroactively "
            "on %(start)s. Staff may adjust the dates."
        ) % {"start": start_on.isoformat()}
    record(AwardEvent, award=award, by=by, action=AwardEvent.Action.CREATED, to_status=award.status,
           why=reason, changes=changes)
    _build_reporting_schedule(award)
    # The award itself is the decision for its first year.
    first = award.years.get(fiscal_year=years[0])
    _move_year(first, to=AwardYear.State.ACTIVE, by=by)
    return award


def _day_in(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _year_deadlines(award: Award, award_year: AwardYear, defaults) -> list[ReportDeadline]:
    """中間報告 and 実績報告 of one year; an interim date before the award
    starts is left out."""
    fy = award_year.fiscal_year
    rows = []
    month = defaults.interim_due_month
    interim = _day_in(fy if month >= 4 else fy + 1, month, defaults.interim_due_day)
    if interim >= award.start_on:
        rows.append(ReportDeadline(award=award, award_year=award_year, fiscal_year=fy,
                                   kind=ReportDeadline.Kind.INTERIM, due_on=interim))
    annual = fiscal_year_bounds(fy)[1] + timedelta(days=defaults.annual_due_days)
    rows.append(ReportDeadline(award=award, award_year=award_year, fiscal_year=fy,
                               kind=ReportDeadline.Kind.ANNUAL, due_on=annual))
    return rows


def _build_reporting_schedule(award: Award) -> None:
    """中間報告 and 実績報告 per year and one final report, from the round's
    defaults; an interim date before the award starts is left out."""
    defaults = ReportingDefaults.for_round(award.funding_round)
    years = list(award.years.order_by("fiscal_year"))
    rows = []
    for award_year in years:
        rows += _year_deadlines(award, award_year, defaults)
    last = years[-1]
    rows.append(ReportDeadline(
        award=award, award_year=last, fiscal_year=last.fiscal_year,
        kind=ReportDeadline.Kind.FINAL,
        due_on=award.end_on + timedelta(days=defaults.final_due_days),
    ))
    ReportDeadline.objects.bulk_create(rows)


@transaction.atomic
def set_report_due_date(*, deadline: ReportDeadline, due_on: date, by, reason: str = "") -> ReportDeadline:
    """Staff move one report's due date; reminders follow the new date."""
    deadline = ReportDeadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.due_on == due_on:
        return deadline
    old = deadline.due_on
    deadline.due_on = due_on
    deadline.save(update_fields=["due_on"])
    record(AwardEvent, award=deadline.award, by=by, action=AwardEvent.Action.DUE_DATE_CHANGED,
           award_year=deadline.award_year, why=reason,
           changes={"deadline": deadline.pk, "kind": deadline.kind,
                    "due_on": [old.isoformat(), due_on.isoformat()]})
    return deadline


# --- Years: budget, start, continuation, reported --------------------------------


def _move_year(award_year: AwardYear, *, to: str, by, reason: str = "") -> None:
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


def _locked_year(award_year) -> AwardYear:
    return AwardYear.objects.select_for_update(of=("self",)).select_related(
        "award", "award__funding_round", "award__tier"
    ).get(pk=award_year.pk)


def _require_award_active(award: Award) -> None:
    if award.status != Award.Status.ACTIVE:
        raise DomainError(
            _("The award is %(status)s; nothing can change now.")
            % {"status": Award.Status(award.status).label},
            code="award_not_active",
        )


def year_budget_editable(award_year: AwardYear, *, is_first: bool) -> bool:
    """Staff edit a year's budget while it is planned, and the first year's
    until the award starts and nothing is paid (reads prefetched payments);
    a reduced award's first year also after the start, to redistribute its
    pro-rated lines (is_redistribution_only)."""
    if award_year.state == AwardYear.State.PLANNED:
        return True
    if not (is_first and award_year.state == AwardYear.State.ACTIVE
            and not award_year.payments.all()):
        return False
    return (timezone.localdate() < award_year.award.start_on
            or is_reduced(award_year.award))


def is_reduced(award: Award) -> bool:
    """Awarded below the request, the lines pro-rated from it (減額査定):
    the award's creation event says so (reads prefetched events)."""
    return any(e.action == AwardEvent.Action.CREATED and (e.changes or {}).get("pro_rated")
               for e in award.events.all())


def is_redistribution_only(award_year: AwardYear, *, is_first: bool) -> bool:
    """A reduced award's running first year: staff may move money between
    its pro-rated lines, the year's total stays."""
    return (is_first and award_year.state == AwardYear.State.ACTIVE
            and timezone.localdate() >= award_year.award.start_on)


@transaction.atomic
def set_year_budget(*, award_year: AwardYear, amounts: dict, by, reason: str = "") -> AwardYear:
    """Staff set a year's approved amount per category before it starts."""
    award_year = _locked_year(award_year)
    award = award_year.award
    _require_award_active(award)
    first = award.years.order_by("fiscal_year").values_list("pk", flat=True).first()
    if not year_budget_editable(award_year, is_first=award_year.pk == first):
        raise DomainError(
            _("The budget of FY%(year)s can no longer be edited: use a budget change request.")
            % {"year": award_year.fiscal_year},
            code="budget_locked",
        )
    new = _normalise({award_year.fiscal_year: amounts})[award_year.fiscal_year]
    old = {line.expense_category_id: line.approved_yen for line in award_year.budget_lines.all()}
    if (is_redistribution_only(award_year, is_first=award_year.pk == first)
            and sum(new.values()) != award_year.approved_yen):
        raise DomainError(
            _("The award was reduced and has started: move amounts between categories, "
              "the total of FY%(year)s stays %(total)s.")
            % {"year": award_year.fiscal_year, "total": format_yen(award_year.approved_yen)},
            code="total_changed", field="amounts",
        )
    totals = {y.fiscal_year: y.approved_yen for y in award.years.all()}
    totals[award_year.fiscal_year] = sum(new.values())
    _check_ceiling(award.funding_round, award.tier, totals)
    if new == old:
        return award_year
    award_year.budget_lines.exclude(expense_category_id__in=new).delete()
    for cat, amount in new.items():
        AwardBudgetLine.objects.update_or_create(
            award_year=award_year, expense_category_id=cat, defaults={"approved_yen": amount}
        )
    award_year.approved_yen = sum(new.values())
    award_year.save(update_fields=["approved_yen", "updated_at"])
    award.approved_yen = sum(totals.values())
    award.save(update_fields=["approved_yen", "updated_at"])
    record(AwardEvent, award=award, by=by, action=AwardEvent.Action.BUDGET_SET,
           award_year=award_year, why=reason,
           changes={"before": {str(c): a for c, a in old.items()},
                    "after": {str(c): a for c, a in new.items()}})
    return award_year


@transaction.atomic
def record_continuation(*, award: Award, fiscal_year: int, decision: str, reason: str,
                        by) -> ContinuationDecision:
    """Before a new fiscal year staff decide: continue, continue with changes,
    or stop. Stopping ends the award with the previous year."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    _require_award_active(award)
    reason = _require_reason(reason)
    if decision not in ContinuationDecision.Decision.values:
        raise DomainError(_("Choose a decision."), code="bad_decision", field="decision")
    award_year = award.years.filter(fiscal_year=fiscal_year).first()
    if award_year is None or award_year.fiscal_year == min(award.fiscal_years):
        raise DomainError(
            _("FY%(year)s is not a later year of this award.") % {"year": fiscal_year},
            code="not_a_later_year", field="fiscal_year",
        )
    if award_year.state != AwardYear.State.PLANNED:
        raise DomainError(
            _("FY%(year)s has already started or stopped.") % {"year": fiscal_year},
            code="year_not_planned", field="fiscal_year",
        )
    previous = ContinuationDecision.objects.filter(award=award, fiscal_year=fiscal_year).first()
    continuation, _created = ContinuationDecision.objects.update_or_create(
        award=award, fiscal_year=fiscal_year,
        defaults={"decision": decision, "reason": reason, "decided_by": _actor(by),
                  "decided_at": timezone.now()},
    )
    record(AwardEvent, award=award, by=by, action=AwardEvent.Action.CONTINUATION,
           award_year=award_year, why=reason, from_status=previous.decision if previous else "",
           to_status=decision)
    if decision == ContinuationDecision.Decision.STOP:
        _stop_from(award, fiscal_year, by=by, reason=reason)
    return continuation


def _stop_from(award: Award, fiscal_year: int, *, by, reason: str) -> None:
    """Years from `fiscal_year` on are not continued; the award ends the
    March before and its final report follows the new end."""
    for award_year in award.years.filter(fiscal_year__gte=fiscal_year, state=AwardYear.State.PLANNED):
        _move_year(award_year, to=AwardYear.State.STOPPED, by=by, reason=reason)
    last = award.years.filter(fiscal_year__lt=fiscal_year).order_by("-fiscal_year").first()
    award.end_on = min(award.end_on, fiscal_year_bounds(fiscal_year)[0] - timedelta(days=1))
    award.save(update_fields=["end_on", "updated_at"])
    # NOTE: reports start only in started years, so these have none.
    award.deadlines.filter(fiscal_year__gte=fiscal_year).exclude(
        kind=ReportDeadline.Kind.FINAL
    ).delete()
    if last is not None:
        defaults = ReportingDefaults.for_round(award.funding_round)
        award.deadlines.filter(kind=ReportDeadline.Kind.FINAL).update(
            award_year=last, fiscal_year=last.fiscal_year,
            due_on=award.end_on + timedelta(days=defaults.final_due_days),
        )


@transaction.atomic
def start_award_year(*, award_year: AwardYear, by) -> AwardYear:
    """A later fiscal year starts only after a continue decision, once the
    year before it has started."""
    award_year = _locked_year(award_year)
    award = award_year.award
    _require_award_active(award)
    continuation = ContinuationDecision.objects.filter(
        award=award, fiscal_year=award_year.fiscal_year
    ).first()
    if continuation is None or not continuation.is_continuing:
        raise DomainError(
            _("FY%(year)s cannot start without a decision to continue.")
            % {"year": award_year.fiscal_year},
            code="continuation_required",
        )
    before = award.years.filter(fiscal_year=award_year.fiscal_year - 1).first()
    if before is not None and before.state in (AwardYear.State.PLANNED, AwardYear.State.STOPPED):
        raise DomainError(
            _("FY%(year)s has not started yet.") % {"year": before.fiscal_year},
            code="previous_year_not_started",
        )
    _move_year(award_year, to=AwardYear.State.ACTIVE, by=by)
    return award_year


@transaction.atomic
def mark_year_reported(*, award_year: AwardYear, by, reason: str = "") -> AwardYear:
    """The year's annual report (実績報告) was accepted (called by reporting)."""
    award_year = _locked_year(award_year)
    if award_year.state == AwardYear.State.ACTIVE:
        _move_year(award_year, to=AwardYear.State.REPORTED, by=by, reason=reason)
    return award_year


# --- Payments and settlement -------------------------------------------------------


def _paid(award_year: AwardYear, *kinds) -> int:
    return award_year.payments.filter(kind__in=kinds).aggregate(t=Sum("amount_yen"))["t"] or 0


def _require_positive(amount_yen, field="amount_yen") -> None:
    if not isinstance(amount_yen, int) or amount_yen <= 0:
        raise DomainError(
            _("The amount must be a positive whole number of yen."),
            code="amount_not_positive", field=field,
        )


@transaction.atomic
def schedule_payment(*, award_year: AwardYear, kind: str, due_on: date, amount_yen: int, by,
                     note: str = "") -> ScheduledPayment:
    """Plan an advance (概算払) or settlement (精算払); advances planned never
    add up to more than the approved amount."""
    award_year = _locked_year(award_year)
    _require_award_active(award_year.award)
    _require_positive(amount_yen)
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
    award_year = _locked_year(award_year)
    _require_positive(amount_yen)
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
        scheduled=scheduled, note=note, recorded_by=_actor(by),
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
    award_year = _locked_year(award_year)
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
    _move_year(award_year, to=AwardYear.State.SETTLED, by=by, reason=reason)
    record(AwardEvent, award=award_year.award, by=by, action=AwardEvent.Action.SETTLED,
           award_year=award_year, why=reason,
           changes={"confirmed_yen": confirmed_yen, "paid_yen": award_year.paid_yen,
                    "to_return_yen": award_year.to_return_yen})
    return award_year


# --- Budget change requests (変更承認申請) ------------------------------------------


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
    _require_award_active(award_year.award)
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
    award_year = _locked_year(award_year)
    _require_changeable(award_year)
    _require_positive(amount_yen)
    reason = _require_reason(reason)
    from_id, to_id = _category_id(from_category), _category_id(to_category)
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
        amount_yen=amount_yen, reason=reason, requested_by=_actor(by), threshold_yen=threshold,
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
    change.decided_by = _actor(by)
    change.decided_at = timezone.now()
    change.decision_comment = comment or ""
    change.save()


def _locked_change(change) -> BudgetChangeRequest:
    change = BudgetChangeRequest.objects.select_for_update(of=("self",)).select_related(
        "from_category", "to_category"
    ).get(pk=change.pk)
    change.award_year = _locked_year(change.award_year)
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


# --- Award status -----------------------------------------------------------------


@transaction.atomic
def change_award_status(*, award: Award, to: str, by, reason: str = "") -> Award:
    """Suspend, resume, terminate (with a reason) or complete an award. An
    award completes once every year is settled or not continued."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    cannot_move = gettext_lazy("An award cannot move from %(from)s to %(to)s.")
    check_transition(award, to, refusal=cannot_move)
    if to in Award.REASON_REQUIRED:
        reason = _require_reason(reason)
    if to == Award.Status.COMPLETED and award.years.exclude(
        state__in=[AwardYear.State.SETTLED, AwardYear.State.STOPPED]
    ).exists():
        raise DomainError(
            _("Every year must be settled before the award completes."), code="years_open"
        )
    transition(award, to, by=by, why=reason, action=AwardEvent.Action.STATUS,
               event_model=AwardEvent, award=award, save=False, refusal=cannot_move)
    if to == Award.Status.TERMINATED:
        for award_year in award.years.filter(state=AwardYear.State.PLANNED):
            _move_year(award_year, to=AwardYear.State.STOPPED, by=by, reason=reason)
    award.status_reason = reason or ""
    award.save(update_fields=["status", "status_reason", "updated_at"])
    return award


# --- Continuation into a year added after the award ------------------------------------


def _check_added_year(award: Award, last: AwardYear, fiscal_year: int, lines: dict) -> None:
    if fiscal_year != last.fiscal_year + 1:
        raise DomainError(
            _("A continuation adds FY%(next)s, the year after the award's last year.")
            % {"next": last.fiscal_year + 1}, code="not_next_year", field="fiscal_year")
    if last.state == AwardYear.State.STOPPED:
        raise DomainError(_("This award was not continued; no year can follow."),
                          code="award_stopped", field="fiscal_year")
    funding_round = award.funding_round
    eligible = set(funding_round.expense_categories.values_list("pk", flat=True))
    if set(lines[fiscal_year]) - eligible:
        raise DomainError(_("Choose the expense categories this round funds."),
                          code="category_not_eligible", field="budget")
    _check_budget(funding_round, award.tier, lines)
    if funding_round.ceiling_basis == FundingRound.CeilingBasis.PER_AWARD:
        totals = {y.fiscal_year: y.approved_yen for y in award.years.exclude(
            state=AwardYear.State.STOPPED)}
        _check_ceiling(funding_round, award.tier,
                       {**totals, fiscal_year: sum(lines[fiscal_year].values())})
    if ReportDeadline.objects.filter(award=award, kind=ReportDeadline.Kind.FINAL,
                                     report__isnull=False).exists():
        raise DomainError(_("The final report has been started; no year can be added now."),
                          code="final_report_started", field="fiscal_year")


@transaction.atomic
def add_award_year(*, award: Award, fiscal_year: int, budget: dict, by, reason: str) -> AwardYear:
    """Continue an award into the year after its last (a second year decided
    after the award, as programme C does for bodies with pioneering first
    years): within the round's years, with its own budget under the tier
    ceiling. The year is linked to the one it continues, counts as decided
    to continue (it starts with start_award_year), gets its reports, and the
    award's end and final report move to the new year's end."""
    award = Award.objects.select_for_update(of=("self",)).select_related("funding_round", "tier").get(
        pk=award.pk)
    _require_award_active(award)
    reason = _require_reason(reason)
    last = award.years.order_by("-fiscal_year").first()
    lines = _normalise({fiscal_year: budget})
    _check_added_year(award, last, fiscal_year, lines)
    total = sum(lines[fiscal_year].values())
    new = AwardYear.objects.create(award=award, fiscal_year=fiscal_year, approved_yen=total,
                                   continues_from=last)
    AwardBudgetLine.objects.bulk_create(
        AwardBudgetLine(award_year=new, expense_category_id=cat, approved_yen=amount)
        for cat, amount in sorted(lines[fiscal_year].items()))
    ContinuationDecision.objects.update_or_create(
        award=award, fiscal_year=fiscal_year,
        defaults={"decision": ContinuationDecision.Decision.CONTINUE, "reason": reason,
                  "decided_by": _actor(by), "decided_at": timezone.now()})
    old_end = award.end_on
    award.end_on = fiscal_year_bounds(fiscal_year)[1]
    award.approved_yen += total
    award.save(update_fields=["end_on", "approved_yen", "updated_at"])
    defaults = ReportingDefaults.for_round(award.funding_round)
    ReportDeadline.objects.bulk_create(_year_deadlines(award, new, defaults))
    ReportDeadline.objects.filter(award=award, kind=ReportDeadline.Kind.FINAL).update(
        award_year=new, fiscal_year=fiscal_year,
        due_on=award.end_on + timedelta(days=defaults.final_due_days))
    codes = dict(ExpenseCategory.objects.filter(pk__in=lines[fiscal_year])
                 .values_list("pk", "code"))
    record(AwardEvent, award=award, by=by, action=AwardEvent.Action.YEAR_ADDED, award_year=new,
           why=reason, to_status=AwardYear.State.PLANNED, changes={
               "fiscal_year": fiscal_year, "continues_from": last.fiscal_year,
               "budget": {codes[c]: a for c, a in lines[fiscal_year].items()},
               "end_on": [old_end.isoformat(), award.end_on.isoformat()]})
    return new
