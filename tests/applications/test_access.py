"""Every persona on every application page: outside the scope 404, inside
it without the right 403, and a refused action changes nothing."""

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationEvent, ApplicationVersion, BudgetLine
from applications.services import submit_application

from .helpers import form_data

pytestmark = pytest.mark.django_db

PERSONAS = ["applicant", "outsider", "reviewer", "oversight", "other_officer", "officer"]
READ = {"applicant": 200, "outsider": 404, "reviewer": 404, "oversight": 200,
        "other_officer": 200, "officer": 200}
APPLICANT_WRITE = {"applicant": 302, "outsider": 404, "reviewer": 404, "oversight": 403,
                   "other_officer": 403, "officer": 403}
STAFF_WRITE = {"applicant": 403, "outsider": 404, "reviewer": 404, "oversight": 403,
               "other_officer": 403, "officer": 302}


def everything():
    return {
        "applications": list(Application.objects.order_by("pk").values()),
        "lines": list(BudgetLine.objects.order_by("pk").values()),
        "versions": list(ApplicationVersion.objects.order_by("pk").values()),
        "events": list(ApplicationEvent.objects.order_by("pk").values()),
    }


@pytest.fixture
def submitted(draft, applicant):
    submit_application(application=draft, by=applicant)
    draft.refresh_from_db()
    return draft


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["detail", "version", "receipt"])
def test_reading(request, client, submitted, persona, page):
    client.force_login(request.getfixturevalue(persona))
    args = [submitted.pk] if page == "detail" else [submitted.pk, 1]
    assert client.get(reverse(f"applications:{page}", args=args)).status_code == READ[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_opening_the_edit_page(request, client, draft, persona):
    client.force_login(request.getfixturevalue(persona))
    expected = {**APPLICANT_WRITE, "applicant": 200}[persona]
    assert client.get(reverse("applications:edit", args=[draft.pk])).status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["edit", "autosave", "submit", "withdraw"])
def test_applicant_actions(request, client, draft, persona, action):
    client.force_login(request.getfixturevalue(persona))
    before = everything()
    data = form_data(draft, title="書き換え")
    if action == "submit":
        data["declaration"] = "on"  # the declaration (誓約) of the confirmation page
    response = client.post(reverse(f"applications:{action}", args=[draft.pk]), data)
    expected = APPLICANT_WRITE[persona]
    if action == "autosave" and expected == 302:
        expected = 200
    assert response.status_code == expected
    if expected in (403, 404):
        assert everything() == before
    else:
        assert everything() != before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("action", "data", "status"), [
    ("screen", {"decision": "eligible"}, "eligible"),
    ("screen", {"decision": "ineligible", "reason": "対象外"}, "ineligible"),
    ("return", {"note": "修正してください。"}, "returned"),
])
def test_staff_actions(request, client, submitted, persona, action, data, status):
    client.force_login(request.getfixturevalue(persona))
    before = everything()
    response = client.post(reverse(f"applications:{action}", args=[submitted.pk]), data)
    assert response.status_code == STAFF_WRITE[persona]
    submitted.refresh_from_db()
    if persona == "officer":
        assert submitted.status == status
    else:
        assert everything() == before


def test_screening_forms_show_only_to_the_programme_staff(client, submitted, officer,
                                                         other_officer, oversight):
    url = reverse("applications:detail", args=[submitted.pk])
    for user, shown in ((officer, True), (other_officer, False), (oversight, False)):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert (reverse("applications:return", args=[submitted.pk]) in body) is shown


def test_applicants_do_not_see_who_acted(client, submitted, applicant, officer):
    client.force_login(officer)
    client.post(reverse("applications:return", args=[submitted.pk]), {"note": "修正を"})
    client.force_login(applicant)
    body = client.get(reverse("applications:detail", args=[submitted.pk])).content.decode()
    assert "修正を" in body
    assert officer.full_name not in body


@pytest.mark.parametrize("name", ["dashboard", "staff_list"])
def test_anonymous_is_sent_to_log_in(client, name):
    response = client.get(reverse(f"applications:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_cannot_read_an_application(client, submitted):
    response = client.get(reverse("applications:receipt", args=[submitted.pk, 1]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
