"""Side effects of applications. The services queue their e-mails in the
outbox themselves; these tasks remain for messages already in a broker and
are safe to run again (each queues once)."""

from celery import shared_task

from . import notifications


@shared_task
def send_submission_confirmation(version_id: int) -> None:
    """Queue the receipt e-mail of a version (once)."""
    notifications.queue_submission_confirmation(version_id)


@shared_task
def send_return_notice(event_id: int) -> None:
    """Queue the 差戻し (returned for correction) e-mail of an event (once)."""
    notifications.queue_return_notice(event_id)
