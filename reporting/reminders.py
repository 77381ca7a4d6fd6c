"""Reminders for due reports, run by the Celery beat task every hour.

Before the due date (ReportingDefaults.reminder_days, e.g. 14 and 3 days),
on the due date, and once overdue (from 17:00 JST of the due date,
grants.models.REPORT_DUE_TIME) to the organisation and to programme staff.
ReminderLog's unique key (deadline, kind, days before, due date) makes every
reminder go out once per due date; a run repeated or overlapping sends
nothing new. A moved due date gets its own reminders.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from awards.models import Award, AwardYear, ReportDeadline
from grants.models import ReportingDefaults

from . import notifications
from .models import ProgressReport, ReminderLog

# Overdue deadlines older than this are not looked at again.
OVERDUE_LOOKBACK_DAYS = 60


def _kinds_due(deadline: ReportDeadline, now, reminder_days: list[int]) -> list[tuple[str, int]]:
    """(kind, days before) reminders this deadline should have by `now`."""
    today = timezone.localdate(now)
    if now >= deadline.due_at:
        return [(ReminderLog.Kind.OVERDUE_ORGANISATION, 0), (ReminderLog.Kind.OVERDUE_STAFF, 0)]
    if today == deadline.due_on:
        return [(ReminderLog.Kind.DUE_TODAY, 0)]
    days_left = (deadline.due_on - today).days
    # Window of N days: N >= days left > the next smaller N (or 0). A late
    # award only gets the nearest reminder, not every earlier one at once.
    for index, days in enumerate(reminder_days):
        smaller = reminder_days[index + 1] if index + 1 < len(reminder_days) else 0
        if smaller < days_left <= days:
            return [(ReminderLog.Kind.BEFORE, days)]
    return []


def deadlines_to_remind(now):
    """Deadlines of running awards and started years not handed in yet."""
    today = timezone.localdate(now)
    horizon = today + timedelta(days=max(_all_reminder_days()))
    return (
        ReportDeadline.objects.filter(
            award__status=Award.Status.ACTIVE,
            due_on__gte=today - timedelta(days=OVERDUE_LOOKBACK_DAYS),
            due_on__lte=horizon,
        )
        .exclude(award_year__state__in=[AwardYear.State.PLANNED, AwardYear.State.STOPPED])
        .exclude(Q(report__status__in=ProgressReport.HANDED_IN))
        .select_related("award", "award__organisation", "award__funding_round",
                        "award__funding_round__programme",
                        "award__funding_round__reporting_defaults")
    )


def _all_reminder_days() -> list[int]:
    days = set(ReportingDefaults.DEFAULT_REMINDER_DAYS)
    for values in ReportingDefaults.objects.values_list("reminder_days_before", flat=True):
        days.update(int(d) for d in values or [])
    return sorted(days)


def send_due_reminders(now=None) -> int:
    """Send every reminder due by `now` that has not gone out; returns how
    many were sent."""
    now = now or timezone.now()
    sent = 0
    for deadline in deadlines_to_remind(now):
        days = ReportingDefaults.for_round(deadline.award.funding_round).reminder_days
        for kind, days_before in _kinds_due(deadline, now, days):
            sent += _send_once(deadline, kind, days_before)
    return sent


def _send_once(deadline: ReportDeadline, kind: str, days_before: int) -> int:
    recipients = notifications.reminder_recipients(deadline, kind)
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(
                deadline=deadline, kind=kind, days_before=days_before,
                due_on=deadline.due_on, recipients=recipients,
            )
            # NOTE: the e-mail is queued with its log row, so both exist or
            # neither does.
            notifications.send_reminder(deadline, kind, days_before, recipients,
                                        key=f"reporting.reminder:{log.pk}")
    except IntegrityError:
        return 0  # already sent for this due date
    return 1
