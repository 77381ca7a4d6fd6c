"""The e-mail outbox: every e-mail is a row written in the caller's
transaction, delivered after commit by a Celery task (or `manage.py
deliver_outbox` without a broker).

Delivery claims a row with one conditional UPDATE (status and lease), so two
workers never both send it; a worker that dies mid-send leaves a lease that
expires, and the next sweep sends the message again. That is exactly once as
far as SMTP allows: a crash after the server accepted the message and before
the row is marked sent repeats it, with the same Message-ID.
"""

import email
import email.policy
import logging
import smtplib
from datetime import timedelta
from functools import partial
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import OutboxEvent, OutboxMessage

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status

# Headers Django writes itself when it builds the MIME message.
_OWN_HEADERS = {
    "content-type", "content-transfer-encoding", "mime-version", "subject", "from",
    "to", "cc", "reply-to",
}
_ERROR_LENGTH = 2000


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- Queueing -------------------------------------------------------------------


def queue_mail(
    *, key: str, subject: str, body: str, to, from_email: str | None = None, cc=(), bcc=(),
    reply_to=(), html_body: str = "", attachments=(), headers=None, is_sensitive: bool = False,
) -> OutboxMessage | None:
    """Queue one e-mail in the caller's transaction; the same key queues
    nothing new (idempotent). Delivery starts after commit."""
    message = EmailMultiAlternatives(
        subject=" ".join(str(subject).split()), body=body, from_email=from_email,
        to=[a for a in to if a], cc=[a for a in cc if a], bcc=[a for a in bcc if a],
        reply_to=list(reply_to), headers=dict(headers or {}),
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    for attachment in attachments:
        message.attach(*attachment)
    return queue_email_message(message, key=key, is_sensitive=is_sensitive)


def queue_email_message(
    message: EmailMessage, *, key: str | None = None, is_sensitive: bool = False
) -> OutboxMessage | None:
    """Store a built EmailMessage (attachments included) as an outbox row;
    a message without recipients stores nothing (None)."""
    if not message.recipients():
        return None
    headers = dict(message.extra_headers)
    header_key = headers.pop("X-Outbox-Key", "")
    key = key or header_key or f"message:{uuid4().hex}"
    message.extra_headers = headers
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    html_body = next(
        (content for content, mimetype in getattr(message, "alternatives", [])
         if mimetype == "text/html"), "",
    )
    row = OutboxMessage(
        key=key,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to), cc=list(message.cc), bcc=list(message.bcc),
        reply_to=list(message.reply_to), subject=str(message.subject)[:998],
        body=message.body or "", html_body=html_body or "",
        # NOTE: message() stamps Message-ID and Date once, here.
        raw=message.message().as_bytes(), is_sensitive=is_sensitive,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return OutboxMessage.objects.get(key=key)  # a concurrent caller queued it
    transaction.on_commit(partial(enqueue_delivery, row.pk), robust=True)
    return row


def enqueue_delivery(message_id: int) -> None:
    """Hand the message to Celery (a broker outage leaves it for the sweep)."""
    from core.tasks import deliver_outbox_message

    deliver_outbox_message.delay(message_id)


# --- Delivery -------------------------------------------------------------------


def delivery_connection():
    """A connection of the real backend (SMTP, console; locmem in tests)."""
    path = _setting("OUTBOX_DELIVERY_BACKEND", "django.core.mail.backends.console.EmailBackend")
    from core.mail import OutboxBackend

    if import_string(path) is OutboxBackend:
        raise ImproperlyConfigured("OUTBOX_DELIVERY_BACKEND must not be the outbox itself.")
    return get_connection(path, fail_silently=False)


def build_email(row: OutboxMessage) -> EmailMultiAlternatives:
    """The EmailMessage again, from the row and its stored MIME message."""
    parsed = email.message_from_bytes(bytes(row.raw), policy=email.policy.default) if row.raw else None
    headers = {}
    attachments = []
    if parsed is not None:
        for name, value in parsed.items():
            if name.lower() not in _OWN_HEADERS:
                headers[name] = str(value)
        for part in parsed.iter_attachments():
            content = part.get_content()
            attachments.append((part.get_filename(), content, part.get_content_type()))
    message = EmailMultiAlternatives(
        subject=row.subject, body=row.body, from_email=row.from_email, to=row.to, cc=row.cc,
        bcc=row.bcc, reply_to=row.reply_to, headers=headers,
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    for attachment in attachments:
        message.attach(*attachment)
    return message


def _claim(message_id: int, now) -> str | None:
    """Take the message for one attempt; None when it is not due, already
    sent or held by another worker's live lease."""
    token = uuid4().hex
    lease = timedelta(seconds=_setting("OUTBOX_LEASE_SECONDS", 300))
    claimed = OutboxMessage.objects.filter(
        Q(status=Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, lease_expires_at__lt=now),
        pk=message_id,
        attempts__lt=_setting("OUTBOX_MAX_ATTEMPTS", 8),
    ).update(
        status=Status.SENDING, lease_token=token, lease_expires_at=now + lease,
        attempts=F("attempts") + 1, last_attempt_at=now,
    )
    return token if claimed else None


def _is_permanent(error: Exception) -> bool:
    """A refusal a retry cannot cure (5xx for every recipient, the sender
    or the data); outages, timeouts and 4xx are retried."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base × 2^(attempts − 1), capped."""
    base = _setting("OUTBOX_RETRY_BASE_SECONDS", 60)
    cap = _setting("OUTBOX_RETRY_MAX_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _finish(row_id: int, token: str, *, to: str, error: str = "", retry_at=None) -> bool:
    now = timezone.now()
    values = {"status": to, "lease_token": "", "lease_expires_at": None, "last_error": error}
    if to == Status.SENT:
        values["sent_at"] = now
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    with transaction.atomic():
        changed = OutboxMessage.objects.filter(
            pk=row_id, status=Status.SENDING, lease_token=token
        ).update(**values)
        if not changed:
            # NOTE: the lease expired and another worker took the message.
            logger.warning("Outbox message %s: lease lost before it was marked %s", row_id, to)
            return False
        if to == Status.SENT:
            OutboxMessage.objects.filter(pk=row_id, is_sensitive=True).update(body="", raw=b"")
        OutboxEvent.objects.create(
            message_id=row_id, action=OutboxEvent.Action.DELIVERY, from_status=Status.SENDING, to_status=to,
            reason=error,
        )
    return True


def deliver_message(message_id: int) -> timedelta | None:
    """Send one message if it is due and unclaimed. Returns the delay after
    which a failed attempt should be retried (None: sent, not due, given up).
    Never raises for a mail outage: the row keeps the error."""
    now = timezone.now()
    token = _claim(message_id, now)
    if token is None:
        return None
    row = OutboxMessage.objects.get(pk=message_id)
    try:
        with delivery_connection() as connection:
            connection.send_messages([build_email(row)])
    except Exception as error:  # noqa: BLE001 - any failure keeps the message queued
        text = f"{type(error).__name__}: {error}"[:_ERROR_LENGTH]
        logger.warning("Outbox message %s attempt %s failed: %s", row.pk, row.attempts, text)
        if _is_permanent(error):
            _finish(row.pk, token, to=Status.FAILED, error=text)
            return None
        if row.attempts >= _setting("OUTBOX_MAX_ATTEMPTS", 8):
            _finish(row.pk, token, to=Status.DEAD, error=text)
            return None
        delay = retry_delay(row.attempts)
        _finish(row.pk, token, to=Status.PENDING, error=text, retry_at=now + delay)
        return delay
    _finish(row.pk, token, to=Status.SENT)
    return None


def bury_expired(now=None) -> int:
    """Messages whose last allowed attempt lost its worker become dead (it is
    unknown whether the server got them: staff decide to send again)."""
    now = now or timezone.now()
    rows = list(
        OutboxMessage.objects.filter(
            status=Status.SENDING, lease_expires_at__lt=now,
            attempts__gte=_setting("OUTBOX_MAX_ATTEMPTS", 8),
        ).values_list("pk", flat=True)
    )
    buried = 0
    reason = "lease expired on the last attempt"
    for pk in rows:
        with transaction.atomic():
            if OutboxMessage.objects.filter(
                pk=pk, status=Status.SENDING, lease_expires_at__lt=now
            ).update(status=Status.DEAD, lease_token="", lease_expires_at=None, last_error=reason):
                OutboxEvent.objects.create(
                    message_id=pk, action=OutboxEvent.Action.DELIVERY, from_status=Status.SENDING,
                    to_status=Status.DEAD, reason=reason,
                )
                buried += 1
    return buried


def due_message_ids(now=None, limit: int = 100) -> list[int]:
    """Pending messages whose time has come, and ones whose worker's lease
    expired (a killed worker), oldest first."""
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(
            Q(status=Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Status.SENDING, lease_expires_at__lt=now)
        ).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]
    )


def deliver_due(now=None, limit: int = 100) -> dict[str, int]:
    """One sweep (beat or cron): bury lost last attempts, then deliver what
    is due. Safe to run beside workers and beside itself."""
    buried = bury_expired(now)
    sent = failed = 0
    for pk in due_message_ids(now, limit):
        deliver_message(pk)
        status = OutboxMessage.objects.filter(pk=pk).values_list("status", flat=True).first()
        if status == Status.SENT:
            sent += 1
        elif status != Status.SENDING:
            failed += 1
    return {"sent": sent, "not_sent": failed, "dead_after_lost_lease": buried}


# --- Staff ----------------------------------------------------------------------


@transaction.atomic
def retry_outbox_message(*, message: OutboxMessage, by) -> OutboxMessage:
    """Staff send a failed or dead message again: attempts start over."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if not message.is_retryable:
        raise DomainError(
            _("Only a failed or dead e-mail can be sent again (this one is %(status)s).")
            % {"status": message.get_status_display()},
            code="not_retryable",
        )
    OutboxEvent.objects.create(
        message=message, actor=by if getattr(by, "pk", None) else None, action=OutboxEvent.Action.RETRY,
        from_status=message.status, to_status=Status.PENDING, reason=message.last_error,
    )
    message.status = Status.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(partial(enqueue_delivery, message.pk), robust=True)
    return message
