"""A round's reporting schedule defaults (staff set them on the round's
settings page; the awards app reads them when it creates deadlines)."""

import calendar

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.transitions import record

from .models import FundingRound, FundingRoundEvent, ReportingDefaults
from .services import locked_round

REPORTING_DEFAULT_FIELDS = (
    "interim_due_month", "interim_due_day", "annual_due_days", "final_due_days",
    "reminder_days_before", "expense_variance_percent",
)
# Longest offset in days for the report due dates and reminders.
MAX_DUE_DAYS = 365
MAX_REMINDERS = 5


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _check_reporting_defaults(values: dict) -> list[int]:
    """Refuse impossible schedule values; returns the reminder days, largest first."""
    month, day = values["interim_due_month"], values["interim_due_day"]
    if not _whole(month, 1, 12):
        raise DomainError(_("The interim report month must be between 1 and 12."),
                          code="interim_month_range", field="interim_due_month")
    # A leap year's length: _day_in moves 29 February to the 28th in other years.
    last_day = calendar.monthrange(2024, month)[1]
    if not _whole(day, 1, last_day):
        raise DomainError(
            _("The interim report day must be between 1 and %(last)s for month %(month)s.")
            % {"last": last_day, "month": month},
            code="interim_day_range", field="interim_due_day",
        )
    for field, message in (
        ("annual_due_days", _("Days after the fiscal year ends must be between 0 and %(max)s.")),
        ("final_due_days", _("Days after the award ends must be between 0 and %(max)s.")),
    ):
        if not _whole(values[field], 0, MAX_DUE_DAYS):
            raise DomainError(message % {"max": MAX_DUE_DAYS}, code="due_days_range", field=field)
    days = values["reminder_days_before"]
    if (
        not isinstance(days, list | tuple) or not days or len(set(days)) > MAX_REMINDERS
        or not all(_whole(d, 1, MAX_DUE_DAYS) for d in days)
    ):
        raise DomainError(
            _("Give 1 to %(count)s reminders, each between 1 and %(max)s days before the due date.")
            % {"count": MAX_REMINDERS, "max": MAX_DUE_DAYS},
            code="reminder_days_range", field="reminder_days_before",
        )
    if not _whole(values["expense_variance_percent"], 0, 100):
        raise DomainError(
            _("The expense explanation threshold must be between 0 and 100 percent."),
            code="variance_range", field="expense_variance_percent",
        )
    return sorted(set(days), reverse=True)


@transaction.atomic
def save_reporting_defaults(*, funding_round: FundingRound, by, reason: str = "",
                            **values) -> ReportingDefaults:
    """Staff set the round's reporting schedule defaults. They apply to awards
    created afterwards; due dates of existing awards are not rewritten (reminder
    days and the expense threshold are read when used, so they apply to all)."""
    unknown = set(values) - set(REPORTING_DEFAULT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    funding_round = locked_round(funding_round)
    defaults = ReportingDefaults.objects.filter(funding_round=funding_round).first()
    if defaults is None:
        defaults = ReportingDefaults(funding_round=funding_round)
    old = {name: getattr(defaults, name) for name in REPORTING_DEFAULT_FIELDS}
    old["reminder_days_before"] = defaults.reminder_days
    new = {**old, **values}
    new["reminder_days_before"] = _check_reporting_defaults(new)
    changes = {name: [old[name], new[name]] for name in REPORTING_DEFAULT_FIELDS
               if old[name] != new[name]}
    if not changes:
        return defaults
    for name, value in new.items():
        setattr(defaults, name, value)
    defaults.save()
    record(FundingRoundEvent, funding_round=funding_round, by=by,
           action=FundingRoundEvent.Action.REPORTING_DEFAULTS_CHANGED, why=reason, changes=changes)
    return defaults
