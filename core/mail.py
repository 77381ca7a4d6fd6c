"""EMAIL_BACKEND for the whole project: `send_mail`, `EmailMessage.send()`,
password resets and error mails all become outbox rows in the caller's
transaction; settings.OUTBOX_DELIVERY_BACKEND does the real sending later.

A caller may name the row's idempotency key with an `X-Outbox-Key` header
(it is not sent); core.outbox.queue_mail takes it as an argument."""

from django.core.mail.backends.base import BaseEmailBackend


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from core.outbox import queue_email_message

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            queue_email_message(message)
            count += 1
        return count
