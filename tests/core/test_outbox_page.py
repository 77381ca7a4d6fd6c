"""The staff page of the outbox: programme staff and superusers only,
filter by status, send a failed or dead e-mail again; its queries do not
grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import OutboxEvent, OutboxMessage
from core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status
LIST = reverse("core:outbox_list")


def _message(n=1, status=Status.SENT, **kwargs):
    return OutboxMessage.objects.create(
        key=f"page:{n}", from_email="no-reply@example.jp", to=[f"to{n}@example.jp"],
        subject=f"件名{n}", body="本文", status=status, **kwargs,
    )


def _retry_url(message):
    return reverse("core:outbox_retry", args=[message.pk])


@pytest.fixture
def superuser(db):
    return UserFactory(role=Role.APPLICANT, is_superuser=True)


@pytest.mark.parametrize("persona, expected", [
    ("officer", 200), ("superuser", 200), ("oversight", 403), ("reviewer", 404),
    ("applicant", 404),
])
def test_who_sees_the_outbox(request, client, persona, expected):
    _message(status=Status.DEAD, last_error="SMTPServerDisconnected: down")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(LIST)
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "件名1" in body and "SMTPServerDisconnected: down" in body


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_list_filters_by_status(client, officer):
    _message(1, Status.SENT)
    _message(2, Status.FAILED, last_error="550 no such user")
    _message(3, Status.PENDING, attempts=2)
    client.force_login(officer)
    response = client.get(LIST, {"status": "failed"})
    assert [m.subject for m in response.context["page"].object_list] == ["件名2"]
    assert "550 no such user" in response.content.decode()
    everything = client.get(LIST, {"status": "nonsense"})
    assert everything.context["page"].paginator.count == 3


def test_the_list_queries_do_not_grow_with_rows(client, officer):
    client.force_login(officer)
    _message(0, Status.DEAD)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for n in range(1, 40):
        _message(n, Status.DEAD if n % 2 else Status.SENT, last_error="e")
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 40
    assert len(many) == len(few)
    assert not any('"raw"' in q["sql"] or '"body"' in q["sql"] for q in many.captured_queries)


def test_staff_send_a_dead_message_again(client, officer, django_capture_on_commit_callbacks,
                                         mailoutbox):
    message = _message(status=Status.DEAD, attempts=8, last_error="timed out")
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_retry_url(message), {"status": "dead"})

    assert response.status_code == 302
    assert response["Location"] == LIST + "?status=dead"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    event = OutboxEvent.objects.get(message=message, action="retry")
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        officer, "dead", "pending", "timed out"
    )
    assert [m.to for m in mailoutbox] == [["to1@example.jp"]]


def test_a_sent_message_is_not_sent_again(client, officer, mailoutbox,
                                          django_capture_on_commit_callbacks):
    message = _message(status=Status.SENT, attempts=1)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_retry_url(message), follow=True)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert not OutboxEvent.objects.exists()
    assert mailoutbox == []
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.parametrize("persona, expected", [
    ("oversight", 403), ("reviewer", 404), ("applicant", 404),
])
def test_others_cannot_send_again_and_nothing_changes(request, client, persona, expected):
    message = _message(status=Status.FAILED, attempts=1)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(_retry_url(message)).status_code == expected
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 1)
    assert not OutboxEvent.objects.exists()


def test_staff_see_the_page_in_the_navigation(client, officer, applicant):
    client.force_login(officer)
    assert LIST in client.get(reverse("home")).content.decode()
    client.force_login(applicant)
    assert LIST not in client.get(reverse("home")).content.decode()
