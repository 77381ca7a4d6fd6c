"""The e-mail outbox: rows written in the caller's transaction, delivered
after commit once, retried with backoff through outages, taken over from a
killed worker, dead after the last attempt; a mail outage never fails a
saved action."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationVersion
from core.models import OutboxEvent, OutboxMessage
from core.outbox import deliver_due, queue_mail
from core.tasks import deliver_outbox_message
from tests.factories import ApplicationFactory, AwardFactory, OpenRoundFactory

from .mail_backends import WorkerKilled

pytestmark = pytest.mark.django_db
DOWN = "tests.core.mail_backends.DownBackend"
REFUSING = "tests.core.mail_backends.RefusingBackend"
KILLED = "tests.core.mail_backends.KilledWorkerBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
Status = OutboxMessage.Status


def _queue(key="test:1", **kwargs):
    return queue_mail(key=key, subject="件名 subject", body="本文", to=["a@example.jp"], **kwargs)


def _later(**delta):
    return time_machine.travel(timezone.now() + timedelta(**delta), tick=False)


def test_the_row_is_written_in_the_callers_transaction_and_rolled_back_with_it(
    django_capture_on_commit_callbacks, mailoutbox
):
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        _queue()
        assert OutboxMessage.objects.filter(key="test:1").exists()
        raise RuntimeError("the action failed")

    assert not OutboxMessage.objects.exists()
    assert mailoutbox == []


def test_nothing_leaves_before_commit_and_the_message_is_sent_once_after(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
        assert mailoutbox == []

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 1, "")
    assert message.sent_at is not None
    assert [(m.subject, m.to, m.body) for m in mailoutbox] == [
        ("件名 subject", ["a@example.jp"], "本文")
    ]
    assert list(message.events.values_list("from_status", "to_status")) == [("sending", "sent")]


def test_the_same_key_queues_once_and_a_task_run_twice_sends_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue()
        again = _queue()
    deliver_outbox_message(first.pk)  # a redelivered task
    deliver_outbox_message.delay(first.pk)

    assert again.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_killed_worker_leaves_a_lease_and_the_next_sweep_after_it_sends_once(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.OUTBOX_DELIVERY_BACKEND = KILLED
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENDING, 1)
    assert message.lease_expires_at > timezone.now()

    settings.OUTBOX_DELIVERY_BACKEND = LOCMEM
    deliver_due()  # the lease is still alive: another worker may be sending
    assert mailoutbox == []
    with _later(seconds=settings.OUTBOX_LEASE_SECONDS + 1):
        deliver_due()
        deliver_due()
        call_command("deliver_outbox", stdout=StringIO())

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert len(mailoutbox) == 1


def test_a_message_lost_on_its_last_attempt_is_dead_not_sent_again(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    settings.OUTBOX_DELIVERY_BACKEND = KILLED
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    settings.OUTBOX_DELIVERY_BACKEND = LOCMEM
    with _later(hours=1):
        assert deliver_due()["dead_after_lost_lease"] == 1

    message.refresh_from_db()
    assert message.status == Status.DEAD
    assert mailoutbox == []


def test_an_outage_keeps_the_message_pending_with_backoff_until_it_is_dead(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.OUTBOX_DELIVERY_BACKEND = DOWN
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert message.last_error.startswith("SMTPServerDisconnected")
    assert message.next_attempt_at - message.last_attempt_at == timedelta(seconds=60)

    deliver_due()  # not due yet
    message.refresh_from_db()
    assert message.attempts == 1

    with _later(seconds=61):
        deliver_due()
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.PENDING, 2)
        assert message.next_attempt_at - message.last_attempt_at == timedelta(seconds=120)
    with _later(seconds=61 + 121):
        deliver_due()
    with _later(days=1):
        deliver_due()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.DEAD, 3)
    assert list(message.events.values_list("to_status", flat=True)) == [
        "pending", "pending", "dead"
    ]
    assert mailoutbox == []


def test_a_permanent_refusal_fails_at_once_and_is_not_retried(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.OUTBOX_DELIVERY_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    with _later(days=1):
        deliver_due()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 1)
    assert "550" in message.last_error


def test_smtp_down_the_submission_still_succeeds_and_the_receipt_goes_out_later(
    settings, client, applicant, organisation, programme, django_capture_on_commit_callbacks,
    mailoutbox,
):
    draft = ApplicationFactory(
        funding_round=OpenRoundFactory(programme=programme), organisation=organisation
    )
    settings.OUTBOX_DELIVERY_BACKEND = DOWN
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:submit", args=[draft.pk]),
                               {"declaration": "on", "idempotency_key": "k-down"})

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    version = ApplicationVersion.objects.get(application=draft)
    message = OutboxMessage.objects.get(key=f"applications.confirmation:{version.pk}")
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert "SMTPServerDisconnected" in message.last_error
    assert mailoutbox == []

    settings.OUTBOX_DELIVERY_BACKEND = LOCMEM
    with _later(minutes=2):
        call_command("deliver_outbox", stdout=StringIO())

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(mailoutbox) == 1
    assert version.receipt_number in mailoutbox[0].subject


def test_the_project_backend_queues_any_email_attachments_and_message_id_kept(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.EMAIL_BACKEND = "core.mail.OutboxBackend"
    pdf = b"%PDF-1.4\n\x00\xff binary"
    with django_capture_on_commit_callbacks(execute=True):
        message = EmailMessage("通知", "本文です", None, ["b@example.jp"], cc=["c@example.jp"],
                               bcc=["d@example.jp"], headers={"X-Outbox-Key": "custom:1"})
        message.attach("notice.pdf", pdf, "application/pdf")
        assert message.send() == 1
        assert send_mail("plain", "body", None, ["e@example.jp"]) == 1
        # A second send with the same key is the same row.
        EmailMessage("通知", "本文です", None, ["b@example.jp"],
                     headers={"X-Outbox-Key": "custom:1"}).send()

    assert OutboxMessage.objects.count() == 2
    row = OutboxMessage.objects.get(key="custom:1")
    assert (row.to, row.cc, row.bcc, row.status) == (
        ["b@example.jp"], ["c@example.jp"], ["d@example.jp"], Status.SENT
    )
    delivered = next(m for m in mailoutbox if m.subject == "通知")
    assert delivered.attachments == [("notice.pdf", pdf, "application/pdf")]
    assert delivered.bcc == ["d@example.jp"]
    assert "X-Outbox-Key" not in delivered.extra_headers
    assert delivered.extra_headers["Message-ID"] in bytes(row.raw).decode("ascii", "replace")
    assert len(mail.outbox) == 2


def test_a_sensitive_message_loses_its_body_once_sent(django_capture_on_commit_callbacks,
                                                      mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(is_sensitive=True)
    message.refresh_from_db()
    assert (message.status, message.body, bytes(message.raw)) == (Status.SENT, "", b"")
    assert mailoutbox[0].body == "本文"


def test_a_retry_by_staff_writes_an_event_and_sends(
    settings, officer, django_capture_on_commit_callbacks, mailoutbox
):
    from core.outbox import retry_outbox_message

    settings.OUTBOX_DELIVERY_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    settings.OUTBOX_DELIVERY_BACKEND = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        retry_outbox_message(message=message, by=officer)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    event = OutboxEvent.objects.get(message=message, action="retry")
    assert (event.actor, event.from_status, event.to_status) == (officer, "failed", "pending")
    assert len(mailoutbox) == 1


def test_without_a_broker_cron_commands_queue_reminders_and_deliver_them(
    organisation, programme, officer, django_capture_on_commit_callbacks, mailoutbox
):
    # The award's FY2026 interim report is due 2026-10-31 17:00 JST.
    AwardFactory(application__organisation=organisation,
                 application__funding_round__programme=programme)
    out = StringIO()
    with time_machine.travel("2026-10-31 18:00 +09:00", tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            call_command("send_report_reminders", stdout=out)  # cron, hourly
        assert mailoutbox == []  # queued only; delivery is the other command's
        assert OutboxMessage.objects.filter(status=Status.PENDING).count() >= 1
        call_command("deliver_outbox", stdout=out)  # cron, every minute

    assert not OutboxMessage.objects.exclude(status=Status.SENT).exists()
    assert any(m.to == [officer.email] for m in mailoutbox)
    assert "reminders queued:" in out.getvalue()
