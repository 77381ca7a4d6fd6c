"""/api/v1/findings/ and /api/v1/outcomes/: the same services and figures as
the pages."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reporting.findings.models import Finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


def test_create_with_evidence_and_filter(api, portfolio):
    report = portfolio.reports["a_annual_2026"]
    response = api.post(reverse("v1:finding-list"), {
        "programme": portfolio.programme.code, "kind": "outcome",
        "statement": "見守りが生まれた。", "fiscal_year": 2026, "award": portfolio.award_a.pk,
        "target_groups": ["older_alone"], "feature_tags": ["loose_participation"],
        "prefectures": ["13"],
        "evidence": [{"report": report.pk, "field": "outcomes", "quote": "見守りが生まれた"},
                     {"indicator_actual": report.indicator_actuals.get().pk}],
    }, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["theme"] == portfolio.award_a.theme_id
    assert [e["field"] for e in body["evidence"]] == ["outcomes", ""]
    assert body["evidence"][1]["indicator"]["target"] == 500
    listed = api.get(reverse("v1:finding-list"), {"prefecture": "13", "kind": "outcome"}).json()
    assert [f["id"] for f in listed["results"]] == [body["id"]]
    assert api.get(reverse("v1:finding-list"), {"kind": "problem"}).json()["count"] == 0


def test_a_refusal_is_409_with_code_and_field(api, portfolio):
    response = api.post(reverse("v1:finding-list"), {
        "programme": portfolio.programme.code, "kind": "outcome", "statement": "x",
        "fiscal_year": 2026,
        "evidence": [{"report": portfolio.reports["a_annual_2026"].pk, "field": "outcomes",
                      "quote": "書かれていない"}],
    }, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "quote_not_found"
    assert response.json()["field"] == "evidence.0.quote"
    assert not Finding.objects.exists()


def test_unknown_fields_and_bad_evidence_are_400(api, portfolio):
    base = {"programme": portfolio.programme.code, "kind": "outcome", "statement": "x",
            "fiscal_year": 2026}

    unknown = api.post(reverse("v1:finding-list"), {**base, "status": "approved"}, format="json")
    half = api.post(reverse("v1:finding-list"), {**base, "evidence": [{"field": "outcomes"}]},
                    format="json")

    assert (unknown.status_code, list(unknown.json())) == (400, ["status"])
    assert half.status_code == 400
    assert set(half.json()["evidence"]["0"]) == {"report", "quote"}
    assert not Finding.objects.exists()


def test_stale_update_is_412(api, portfolio):
    created = api.post(reverse("v1:finding-list"), {
        "programme": portfolio.programme.code, "kind": "outcome", "statement": "一回目",
        "fiscal_year": 2026}, format="json").json()
    url = reverse("v1:finding-detail", args=[created["id"]])
    assert api.patch(url, {"statement": "二回目", "lock_version": 1}, format="json").status_code == 200

    stale = api.patch(url, {"statement": "古い", "lock_version": 1}, format="json")

    assert stale.status_code == 412
    assert Finding.objects.get().statement == "二回目"


def test_outcomes_filters_and_validation(api, portfolio):
    url = reverse("v1:outcomes")

    fy = api.get(url, {"fiscal_year": 2027, "programme": portfolio.programme.pk}).json()
    bad = api.get(url, {"fiscal_year": "next"})

    assert fy["totals"]["participants"] == 80
    assert fy["filters"] == {"programme_id": portfolio.programme.pk, "funding_round_id": None,
                             "fiscal_year": 2027}
    assert bad.status_code == 400 and "fiscal_year" in bad.json()


def test_api_exports(api, portfolio):
    csv = api.get(reverse("v1:export", args=["awards", "csv"]))
    xlsx = api.get(reverse("v1:export", args=["reports", "xlsx"]))
    json_ = api.get(reverse("v1:open-data", args=["json"]))

    assert csv.status_code == xlsx.status_code == json_.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert xlsx.content[:2] == b"PK"
    assert len(json_.json()["grants"]) == 2
