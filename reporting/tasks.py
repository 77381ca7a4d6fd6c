"""Celery tasks of reporting. They take ids and are safe to run twice."""

from celery import shared_task
from django.db import transaction

from . import notifications, reminders

# NOTE: Celery workers autodiscover `<app>.tasks` only; the findings tasks
# (the model report job) register here.
from .findings import tasks as findings_tasks  # noqa: F401
from .models import ProgressReport, ReportEvent


@shared_task
def send_report_reminders() -> int:
    """Beat: reminders before, on and after report due dates (once each)."""
    return reminders.send_due_reminders()


def _report(report_id: int) -> ProgressReport | None:
    return (
        ProgressReport.objects.select_related(
            "award", "award__organisation", "award__funding_round__programme"
        ).filter(pk=report_id).first()
    )


@shared_task
def notify_report_submitted(report_id: int, version: int) -> None:
    report = _report(report_id)
    if report is None:
        return
    marker = f"notified_submitted_{version}"
    with transaction.atomic():
        if ReportEvent.objects.filter(report=report, action=marker).exists():
            return
        notifications.report_submitted(report, version, key=f"reporting.{report.pk}.{marker}")
        ReportEvent.objects.create(report=report, action=marker)


@shared_task
def notify_report_reviewed(report_id: int) -> None:
    report = _report(report_id)
    if report is None:
        return
    # One notice per review event: the latest status event.
    event = report.events.filter(action=ReportEvent.Action.STATUS).order_by("-at", "-id").first()
    marker = f"notified_review_{event.pk if event else 0}"
    with transaction.atomic():
        if ReportEvent.objects.filter(report=report, action=marker).exists():
            return
        notifications.report_reviewed(report, key=f"reporting.{report.pk}.{marker}")
        ReportEvent.objects.create(report=report, action=marker)
