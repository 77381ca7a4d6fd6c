"""Irreversible applicant actions ask first: submitting shows what happens
and the declaration (誓約) to tick; withdrawing shows a confirmation page.
GET changes nothing; POST does it; both work without JavaScript."""

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationVersion
from applications.services import submit_application

pytestmark = pytest.mark.django_db


def submit_url(application):
    return reverse("applications:submit", args=[application.pk])


def withdraw_url(application):
    return reverse("applications:withdraw", args=[application.pk])


def test_the_confirmation_page_shows_the_declaration_and_changes_nothing(client, applicant, draft):
    client.force_login(applicant)
    response = client.get(submit_url(draft))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'type="checkbox" name="declaration"' in body
    assert 'required' in body.split('name="declaration"')[1].split(">")[0]
    assert 'for="id_declaration"' in body
    assert 'name="idempotency_key"' in body
    assert draft.title in body
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert not ApplicationVersion.objects.exists()


def test_the_confirmation_page_is_in_japanese(client, applicant, draft):
    client.force_login(applicant)
    body = client.get(submit_url(draft), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "誓約" in body
    assert "反社会的勢力" in body
    assert "申請を提出する" in body


def test_submitting_without_the_declaration_is_refused_with_a_field_error(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(submit_url(draft), {"idempotency_key": "k1"})
    assert response.status_code == 400
    assert response.context["form"].errors["declaration"] == ["提出するには誓約事項にチェックを入れてください。"]
    body = response.content.decode()
    assert 'id="id_declaration_error"' in body
    assert 'href="#id_declaration"' in body  # the error summary links to the field
    assert 'value="k1"' in body  # the same key: a later double submit stays one
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert not ApplicationVersion.objects.exists()


def test_ticked_declaration_submits_once(client, applicant, draft):
    client.force_login(applicant)
    data = {"declaration": "on", "idempotency_key": "once"}
    assert client.post(submit_url(draft), data).status_code == 302
    assert client.post(submit_url(draft), data).status_code == 302
    assert ApplicationVersion.objects.filter(application=draft).count() == 1
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    # The confirmation page of a submitted application leads back to it.
    response = client.get(submit_url(draft))
    assert response["Location"] == reverse("applications:detail", args=[draft.pk])


def test_a_draft_with_problems_is_not_offered_for_submission(client, applicant, draft):
    draft.summary = ""
    draft.save()
    client.force_login(applicant)
    response = client.get(submit_url(draft))
    assert 'name="declaration"' not in response.content.decode()
    assert 'data-field="summary"' in response.content.decode()


def test_withdraw_asks_first(client, applicant, draft):
    client.force_login(applicant)
    response = client.get(withdraw_url(draft), {"reason": "体制が整わないため"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "体制が整わないため" in body  # the reason typed on the detail page
    assert f'action="{withdraw_url(draft)}"' in body and 'method="post"' in body
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT

    response = client.post(withdraw_url(draft), {"reason": "体制が整わないため"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.WITHDRAWN
    event = draft.events.order_by("-id").first()
    assert (event.to_status, event.reason) == ("withdrawn", "体制が整わないため")


def test_the_detail_page_withdraw_form_leads_to_the_confirmation(client, applicant, draft):
    client.force_login(applicant)
    body = client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    assert f'<form method="get" action="{withdraw_url(draft)}">' in body


def test_a_withdrawn_application_offers_no_withdrawal(client, applicant, draft):
    submit_application(application=draft, by=applicant)
    client.force_login(applicant)
    client.post(withdraw_url(draft))
    response = client.get(withdraw_url(draft))
    assert response.status_code == 200
    assert 'method="post"' not in response.content.decode().split("<main")[1]


@pytest.mark.parametrize("persona", ["outsider", "reviewer"])
def test_outsiders_get_404_on_the_confirmation_pages(request, client, draft, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(submit_url(draft)).status_code == 404
    assert client.get(withdraw_url(draft)).status_code == 404


@pytest.mark.parametrize("persona", ["oversight", "officer"])
def test_staff_get_403_on_the_confirmation_pages(request, client, draft, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(submit_url(draft)).status_code == 403
    assert client.get(withdraw_url(draft)).status_code == 403
