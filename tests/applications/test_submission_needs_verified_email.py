"""A self-registered applicant verifies their e-mail address before
submitting: until then submission is refused, with a clear message, and
nothing changes."""

import pytest
from django.urls import reverse

from applications.services import submit_application
from core.errors import DomainError
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def state(application):
    application.refresh_from_db()
    return (application.status, application.receipt_number, application.versions.count(),
            application.events.count(), OutboxMessage.objects.count())


@pytest.fixture
def unverified(applicant):
    applicant.email_verified_at = None
    applicant.save(update_fields=["email_verified_at"])
    return applicant


def test_the_service_refuses_an_unverified_submitter(draft, unverified):
    before = state(draft)
    with pytest.raises(DomainError) as refused:
        submit_application(application=draft, by=unverified)
    assert refused.value.code == "email_unverified"
    assert state(draft) == before


def test_the_page_says_why_in_japanese_and_english(client, draft, unverified):
    client.force_login(unverified)
    before = state(draft)
    url = reverse("applications:submit", args=[draft.pk])

    response = client.post(url, {"declaration": "on", "idempotency_key": "k-1"}, follow=True)

    page = response.content.decode()
    assert "提出の前にメールアドレスの確認が必要です" in page
    assert "まだ確認されていません" in page  # the banner with its resend button
    assert state(draft) == before

    client.cookies["django_language"] = "en"
    response = client.post(url, {"declaration": "on", "idempotency_key": "k-2"}, follow=True)
    assert "Verify your e-mail address before you submit" in response.content.decode()
    assert state(draft) == before


def test_once_verified_the_same_draft_submits(client, draft, unverified):
    from accounts.security import verification_token

    client.force_login(unverified)
    assert client.get(reverse("accounts:verify_email",
                              args=[verification_token(unverified)])).status_code == 200
    response = client.post(reverse("applications:submit", args=[draft.pk]),
                           {"declaration": "on", "idempotency_key": "k-3"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
