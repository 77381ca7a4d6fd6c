"""E-mails about reports: reminders, submission receipts, review results,
queued in the outbox (core.outbox) in the caller's transaction."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.models import ReportDeadline
from core.outbox import queue_mail

from .models import ProgressReport, ReminderLog


def organisation_emails(organisation) -> list[str]:
    emails = [organisation.contact_email] if organisation.contact_email else []
    for email in organisation.memberships.values_list("user__email", flat=True):
        if email and email not in emails:
            emails.append(email)
    return emails


def staff_emails(programme) -> list[str]:
    return sorted(e for e in programme.staff.values_list("email", flat=True) if e)


def reminder_recipients(deadline: ReportDeadline, kind: str) -> list[str]:
    if kind == ReminderLog.Kind.OVERDUE_STAFF:
        return staff_emails(deadline.award.funding_round.programme)
    return organisation_emails(deadline.award.organisation)


def _award_url(award) -> str:
    return settings.SITE_URL + reverse("reporting:award_detail", args=[award.pk])


def send_reminder(deadline: ReportDeadline, kind: str, days_before: int, recipients,
                  *, key: str) -> None:
    if not recipients:
        return
    subjects = {
        ReminderLog.Kind.BEFORE: _("[Reminder] %(report)s is due in %(days)s days"),
        ReminderLog.Kind.DUE_TODAY: _("[Reminder] %(report)s is due today"),
        ReminderLog.Kind.OVERDUE_ORGANISATION: _("[Overdue] %(report)s has not been submitted"),
        ReminderLog.Kind.OVERDUE_STAFF: _("[Overdue] %(report)s of %(award)s has not been submitted"),
    }
    context = {
        "deadline": deadline, "award": deadline.award, "kind": kind, "days": days_before,
        "url": _award_url(deadline.award), "report": deadline.get_kind_display(),
    }
    subject = subjects[kind] % {
        "report": deadline.get_kind_display(), "days": days_before,
        "award": deadline.award.award_number,
    }
    body = render_to_string("reporting/email/reminder.txt", context)
    queue_mail(key=key, subject=subject, body=body, to=recipients)


def report_submitted(report: ProgressReport, version: int, *, key: str) -> None:
    recipients = staff_emails(report.award.funding_round.programme)
    if not recipients:
        return
    subject = _("%(award)s: %(report)s submitted (version %(version)s)") % {
        "award": report.award.award_number, "report": report.get_kind_display(),
        "version": version,
    }
    body = render_to_string("reporting/email/report_event.txt", {
        "report": report, "url": _award_url(report.award), "version": version,
    })
    queue_mail(key=key, subject=subject, body=body, to=recipients)


def report_reviewed(report: ProgressReport, *, key: str) -> None:
    recipients = organisation_emails(report.award.organisation)
    subject = _("%(award)s: %(report)s is now %(status)s") % {
        "award": report.award.award_number, "report": report.get_kind_display(),
        "status": report.get_status_display(),
    }
    body = render_to_string("reporting/email/report_event.txt", {
        "report": report, "url": _award_url(report.award),
    })
    if recipients:
        queue_mail(key=key, subject=subject, body=body, to=recipients)
