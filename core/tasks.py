"""Delivery of the e-mail outbox (core.outbox)."""

from celery import shared_task

from . import outbox


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def deliver_outbox_message(self, message_id: int) -> None:
    """Send one outbox message; a second run, or one racing another worker,
    sends nothing (the claim is a conditional UPDATE)."""
    delay = outbox.deliver_message(message_id)
    if delay is not None and not self.request.is_eager:
        # NOTE: in eager mode (no broker) the sweep, `manage.py
        # deliver_outbox`, retries instead of this request waiting.
        raise self.retry(countdown=delay.total_seconds())


@shared_task(acks_late=True, ignore_result=True)
def deliver_due_outbox_messages() -> dict:
    """Beat: deliver what is due, take over messages of lost workers."""
    return outbox.deliver_due()
