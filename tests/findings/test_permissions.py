"""Who may read and write findings, the dashboard, exports and the outcomes
API: outside the scope 404, inside without the right 403, and a refusal
changes nothing."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reporting.findings.models import Finding, FindingEvent
from tests.factories import FindingFactory

from .helpers import PERSONAS

pytestmark = pytest.mark.django_db

READ = {"applicant": 404, "outsider": 404, "reviewer": 404, "oversight": 200,
        "other_officer": 200, "officer": 200}
WRITE_PAGE = {"applicant": 404, "outsider": 404, "reviewer": 404, "oversight": 403,
              "other_officer": 403, "officer": 302}


@pytest.fixture
def finding(programme):
    return FindingFactory(programme=programme, statement="元の記述")


def _snapshot():
    return (list(Finding.objects.values("pk", "statement", "kind", "lock_version")),
            FindingEvent.objects.count())


def _client(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    return client


def _api(request, persona):
    api = APIClient()
    api.force_authenticate(request.getfixturevalue(persona))
    return api


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", ["reporting:dashboard", "reporting:findings"])
def test_read_pages(client, request, persona, url_name, finding):
    response = _client(client, request, persona).get(reverse(url_name))
    assert response.status_code == READ[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_finding_detail(client, request, persona, finding):
    response = _client(client, request, persona).get(
        reverse("reporting:finding_detail", args=[finding.pk]))
    assert response.status_code == READ[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_finding_page(client, request, persona, finding):
    before = _snapshot()
    response = _client(client, request, persona).post(
        reverse("reporting:finding_edit", args=[finding.pk]),
        {"kind": "problem", "statement": "書き換え", "fiscal_year": 2026, "lock_version": 1},
    )
    assert response.status_code == WRITE_PAGE[persona]
    if persona == "officer":
        finding.refresh_from_db()
        assert finding.statement == "書き換え"
        assert FindingEvent.objects.get(finding=finding).changes["statement"] == ["元の記述",
                                                                                  "書き換え"]
    else:
        assert _snapshot() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_finding_page(client, request, persona, finding):
    before = _snapshot()
    response = _client(client, request, persona).post(
        reverse("reporting:finding_delete", args=[finding.pk]), {"reason": ""})
    assert response.status_code == WRITE_PAGE[persona]
    assert Finding.objects.exists() is (persona != "officer")
    if persona != "officer":
        assert _snapshot() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_finding_page(client, request, persona, programme):
    response = _client(client, request, persona).post(
        reverse("reporting:finding_new") + f"?programme={programme.pk}",
        {"kind": "outcome", "statement": "新しい知見", "fiscal_year": 2026,
         "programme": programme.pk},
    )
    assert response.status_code == WRITE_PAGE[persona]
    assert Finding.objects.filter(statement="新しい知見").exists() is (persona == "officer")


@pytest.mark.parametrize("persona", PERSONAS)
def test_export_pages(client, request, persona, finding):
    c = _client(client, request, persona)
    for url in (reverse("reporting:export", args=["findings", "csv"]),
                reverse("reporting:open_data", args=["json"])):
        assert c.get(url).status_code == READ[persona]


# --- API -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_list_and_outcomes(request, persona, finding):
    api = _api(request, persona)
    assert api.get(reverse("v1:finding-list")).status_code == READ[persona]
    assert api.get(reverse("v1:outcomes")).status_code == READ[persona]
    assert api.get(reverse("v1:open-data", args=["json"])).status_code == READ[persona]


def test_api_needs_a_login(finding):
    assert APIClient().get(reverse("v1:outcomes")).status_code == 401
    assert APIClient().get(reverse("v1:finding-list")).status_code == 401


API_WRITE = {"applicant": 404, "outsider": 404, "reviewer": 404, "oversight": 403,
             "other_officer": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_create(request, persona, programme):
    response = _api(request, persona).post(reverse("v1:finding-list"), {
        "programme": programme.code, "kind": "outcome", "statement": "新しい知見",
        "fiscal_year": 2026,
    }, format="json")
    assert response.status_code == API_WRITE.get(persona, 201)
    assert Finding.objects.exists() is (persona == "officer")


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_update_and_delete(request, persona, finding):
    before = _snapshot()
    api = _api(request, persona)
    url = reverse("v1:finding-detail", args=[finding.pk])

    patched = api.patch(url, {"statement": "API で書き換え"}, format="json")
    assert patched.status_code == API_WRITE.get(persona, 200)
    if persona != "officer":
        assert _snapshot() == before
        assert api.delete(url).status_code == API_WRITE[persona]
        assert _snapshot() == before
    else:
        assert patched.json()["statement"] == "API で書き換え"
        assert api.delete(url).status_code == 204
        assert not Finding.objects.exists()
