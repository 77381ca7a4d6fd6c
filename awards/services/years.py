"""An award's fiscal years: budgets, continuation (継続), start, reported,
a year added after the award, and the award's own status moves."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.fiscal import fiscal_year_bounds
from core.money import format_yen
from core.transitions import actor, check_transition, record, transition
from grants.models import ExpenseCategory, FundingRound, ReportingDefaults

from ..models import (
    Award,
    AwardBudgetLine,
    AwardEvent,
    AwardYear,
    ContinuationDecision,
    ReportDeadline,
)
from .common import (
    check_budget,
    check_ceiling,
    locked_year,
    move_year,
    normalise_budget,
    require_award_active,
    require_reason,
)
from .schedule import year_deadlines


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
    award_year = locked_year(award_year)
    award = award_year.award
    require_award_active(award)
    first = award.years.order_by("fiscal_year").values_list("pk", flat=True).first()
    if not year_budget_editable(award_year, is_first=award_year.pk == first):
        raise DomainError(
            _("The budget of FY%(year)s can no longer be edited: use a budget change request.")
            % {"year": award_year.fiscal_year},
            code="budget_locked",
        )
    new = normalise_budget({award_year.fiscal_year: amounts})[award_year.fiscal_year]
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
    check_ceiling(award.funding_round, award.tier, totals)
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
    require_award_active(award)
    reason = require_reason(reason)
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
        defaults={"decision": decision, "reason": reason, "decided_by": actor(by),
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
        move_year(award_year, to=AwardYear.State.STOPPED, by=by, reason=reason)
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
    award_year = locked_year(award_year)
    award = award_year.award
    require_award_active(award)
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
    move_year(award_year, to=AwardYear.State.ACTIVE, by=by)
    return award_year


@transaction.atomic
def mark_year_reported(*, award_year: AwardYear, by, reason: str = "") -> AwardYear:
    """The year's annual report (実績報告) was accepted (called by reporting)."""
    award_year = locked_year(award_year)
    if award_year.state == AwardYear.State.ACTIVE:
        move_year(award_year, to=AwardYear.State.REPORTED, by=by, reason=reason)
    return award_year


@transaction.atomic
def change_award_status(*, award: Award, to: str, by, reason: str = "") -> Award:
    """Suspend, resume, terminate (with a reason) or complete an award. An
    award completes once every year is settled or not continued."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    cannot_move = gettext_lazy("An award cannot move from %(from)s to %(to)s.")
    check_transition(award, to, refusal=cannot_move)
    if to in Award.REASON_REQUIRED:
        reason = require_reason(reason)
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
            move_year(award_year, to=AwardYear.State.STOPPED, by=by, reason=reason)
    award.status_reason = reason or ""
    award.save(update_fields=["status", "status_reason", "updated_at"])
    return award


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
    check_budget(funding_round, award.tier, lines)
    if funding_round.ceiling_basis == FundingRound.CeilingBasis.PER_AWARD:
        totals = {y.fiscal_year: y.approved_yen for y in award.years.exclude(
            state=AwardYear.State.STOPPED)}
        check_ceiling(funding_round, award.tier,
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
    require_award_active(award)
    reason = require_reason(reason)
    last = award.years.order_by("-fiscal_year").first()
    lines = normalise_budget({fiscal_year: budget})
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
                  "decided_by": actor(by), "decided_at": timezone.now()})
    old_end = award.end_on
    award.end_on = fiscal_year_bounds(fiscal_year)[1]
    award.approved_yen += total
    award.save(update_fields=["end_on", "approved_yen", "updated_at"])
    defaults = ReportingDefaults.for_round(award.funding_round)
    ReportDeadline.objects.bulk_create(year_deadlines(award, new, defaults))
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
