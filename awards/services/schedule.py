"""The reporting schedule of an award (中間報告, 実績報告, final report):
due dates from the round's reporting defaults, and staff moving a due date."""

import calendar
from datetime import date, timedelta

from django.db import transaction

from core.fiscal import fiscal_year_bounds
from core.transitions import record
from grants.models import ReportingDefaults

from ..models import (
    Award,
    AwardEvent,
    AwardYear,
    ReportDeadline,
)


def _day_in(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def year_deadlines(award: Award, award_year: AwardYear, defaults) -> list[ReportDeadline]:
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


def build_reporting_schedule(award: Award) -> None:
    """中間報告 and 実績報告 per year and one final report, from the round's
    defaults; an interim date before the award starts is left out."""
    defaults = ReportingDefaults.for_round(award.funding_round)
    years = list(award.years.order_by("fiscal_year"))
    rows = []
    for award_year in years:
        rows += year_deadlines(award, award_year, defaults)
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
