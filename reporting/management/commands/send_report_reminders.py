"""The report reminders without a broker (cron hourly); the same work as
the beat task reporting.tasks.send_report_reminders, safe to run twice."""

from django.core.management.base import BaseCommand

from reporting.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Queue the report reminders that are due (each goes out once per due date)."

    def handle(self, *args, **options):
        self.stdout.write(f"reminders queued: {send_due_reminders()}")
