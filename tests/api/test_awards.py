"""/api/v1/awards/ and /api/v1/change-requests/: scope, policy, services."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import Award, AwardEvent, AwardYear, BudgetChangeRequest, ContinuationDecision
from awards.services import record_payment
from tests.factories import (
    AwardedApplicationFactory,
    AwardFactory,
    OpenRoundFactory,
    OrganisationFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db
PERSONAS = ["applicant", "outsider", "reviewer", "oversight", "other_officer", "officer"]


@pytest.fixture
def award(organisation, programme):
    return AwardFactory(application__organisation=organisation,
                        application__funding_round__programme=programme)


def test_award_shape_with_years_payments_and_budget_by_category(api_as, award, officer):
    year = award.years.get(fiscal_year=2026)
    record_payment(award_year=year, kind="advance", amount_yen=400_000,
                   paid_on=date(2026, 5, 1), by=officer)

    body = api_as("applicant").get(f"/api/v1/awards/{award.pk}/").json()

    assert body["award_number"] == award.award_number
    assert [(y["fiscal_year"], y["state"], y["approved_yen"], y["paid_yen"], y["balance_yen"])
            for y in body["years"]] == [(2026, "active", 1_000_000, 400_000, 600_000),
                                        (2027, "planned", 1_000_000, 0, 1_000_000)]
    assert body["payments"] == [{"id": year.payments.get().pk, "fiscal_year": 2026,
                                 "kind": "advance", "amount_yen": 400_000,
                                 "paid_on": "2026-05-01", "scheduled": None, "note": ""}]
    by_category = {c["expense_category"]: c for c in body["budget_by_category"]}
    assert by_category["personnel"]["approved_yen"] == 1_200_000
    assert by_category["personnel"]["by_year"] == {"2026": 600_000, "2027": 600_000}
    assert {d["kind"] for d in body["deadlines"]} == {"interim", "annual", "final"}


@pytest.mark.parametrize(("persona", "count"), [
    ("applicant", 1), ("outsider", 0), ("reviewer", 0), ("oversight", 1),
    ("other_officer", 1), ("officer", 1),
])
def test_award_list_scope(api_as, award, persona, count):
    body = api_as(persona).get("/api/v1/awards/").json()
    assert body["count"] == count


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 200), ("outsider", 404), ("reviewer", 404), ("oversight", 200),
    ("other_officer", 200), ("officer", 200),
])
def test_award_detail_scope(api_as, award, persona, expected):
    assert api_as(persona).get(f"/api/v1/awards/{award.pk}/").status_code == expected


def test_anonymous_gets_401(api):
    assert api.get("/api/v1/awards/").status_code == 401


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 403), ("outsider", 404), ("reviewer", 404), ("oversight", 403),
    ("other_officer", 403), ("officer", 200),
])
def test_continuation_only_by_programme_staff(api_as, award, persona, expected):
    response = api_as(persona).post(f"/api/v1/awards/{award.pk}/continuation/", {
        "fiscal_year": 2027, "decision": "continue", "reason": "中間報告で成果を確認",
    }, format="json")
    assert response.status_code == expected
    assert ContinuationDecision.objects.exists() is (expected == 200)


def test_year_cannot_start_without_continuation_409(api_as, award):
    year = award.years.get(fiscal_year=2027)
    response = api_as("officer").post(f"/api/v1/award-years/{year.pk}/start/")
    assert response.status_code == 409
    assert response.json()["code"] == "continuation_required"
    assert AwardYear.objects.get(pk=year.pk).state == "planned"


def test_settlement_above_approved_409(api_as, award, officer):
    year = award.years.get(fiscal_year=2026)
    year.state = "reported"
    year.save()
    client = api_as("officer")

    response = client.post(f"/api/v1/award-years/{year.pk}/settle/",
                           {"confirmed_yen": 1_000_001}, format="json")

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("above_approved",
                                                                    "confirmed_yen")
    ok = client.post(f"/api/v1/award-years/{year.pk}/settle/", {"confirmed_yen": 950_000},
                     format="json")
    assert ok.status_code == 200
    assert ok.json()["years"][0]["confirmed_yen"] == 950_000


def test_payments_through_the_api(api_as, award):
    year = award.years.get(fiscal_year=2026)
    client = api_as("officer")

    scheduled = client.post(f"/api/v1/award-years/{year.pk}/scheduled-payments/", {
        "kind": "advance", "due_on": "2026-05-01", "amount_yen": 500_000}, format="json")
    paid = client.post(f"/api/v1/award-years/{year.pk}/payments/", {
        "kind": "advance", "paid_on": "2026-05-01", "amount_yen": 500_000}, format="json")
    bad = client.post(f"/api/v1/award-years/{year.pk}/payments/", {
        "kind": "gift", "paid_on": "2026-05-01", "amount_yen": 1}, format="json")

    assert (scheduled.status_code, paid.status_code, bad.status_code) == (201, 201, 400)
    assert paid.json()["years"][0]["paid_yen"] == 500_000


def test_amounts_typed_as_on_the_pages(api_as, award):
    """万/億 and full-width text read as the forms read it (core.money.parse_yen)."""
    year = award.years.get(fiscal_year=2026)
    later = award.years.get(fiscal_year=2027)
    client = api_as("officer")

    paid = client.post(f"/api/v1/award-years/{year.pk}/payments/", {
        "kind": "advance", "paid_on": "2026-05-01", "amount_yen": "５０万円"}, format="json")
    budget = client.put(f"/api/v1/award-years/{later.pk}/budget/", {
        "amounts": {"personnel": "６０万", "honoraria": "30万", "consumables": "100,000"}},
        format="json")
    bad = client.post(f"/api/v1/award-years/{year.pk}/payments/", {
        "kind": "advance", "paid_on": "2026-05-01", "amount_yen": "五十万"}, format="json",
        HTTP_ACCEPT_LANGUAGE="en")

    assert paid.status_code == 201, paid.json()
    assert paid.json()["years"][0]["paid_yen"] == 500_000
    assert budget.status_code == 200, budget.json()
    assert budget.json()["years"][1]["approved_yen"] == 1_000_000
    assert (bad.status_code, list(bad.json())) == (400, ["amount_yen"])
    assert bad.json()["amount_yen"] == ["Enter a whole number of yen."]
    assert year.payments.count() == 1


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 201), ("outsider", 404), ("reviewer", 404), ("oversight", 403),
    ("other_officer", 403), ("officer", 403),
])
def test_change_request_by_the_organisation(api_as, award, persona, expected):
    year = award.years.get(fiscal_year=2026)
    response = api_as(persona).post("/api/v1/change-requests/", {
        "award_year": year.pk, "from_category": "personnel", "to_category": "honoraria",
        "amount_yen": 60_000, "reason": "講師謝金の増加"}, format="json")
    assert response.status_code == expected
    assert BudgetChangeRequest.objects.exists() is (expected == 201)
    if expected == 201:
        assert response.json()["status"] == "approved"
        assert response.json()["is_auto_approved"] is True


def test_large_change_waits_and_staff_decide(api_as, award):
    year = award.years.get(fiscal_year=2026)
    created = api_as("applicant").post("/api/v1/change-requests/", {
        "award_year": year.pk, "from_category": "personnel", "to_category": "honoraria",
        "amount_yen": 60_001, "reason": "講師謝金の増加"}, format="json").json()
    assert created["status"] == "pending"

    refused = api_as("oversight").post(f"/api/v1/change-requests/{created['id']}/approve/")
    assert refused.status_code == 403
    approved = api_as("officer").post(f"/api/v1/change-requests/{created['id']}/approve/",
                                      {"comment": "妥当"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert year.budget_lines.get(expense_category__code="honoraria").approved_yen == 360_001
    assert AwardEvent.objects.filter(action="budget_changed").count() == 1


def test_change_request_list_scope(api_as, award, applicant):
    year = award.years.get(fiscal_year=2026)
    api_as("applicant").post("/api/v1/change-requests/", {
        "award_year": year.pk, "from_category": "personnel", "to_category": "honoraria",
        "amount_yen": 1_000, "reason": "r"}, format="json")
    assert api_as("outsider").get("/api/v1/change-requests/").json()["count"] == 0


def _make_awards(n, programme):
    funding_round = OpenRoundFactory(programme=programme)
    for _ in range(n):
        award = AwardFactory(application=AwardedApplicationFactory(
            funding_round=funding_round, organisation=OrganisationFactory()))
        year = award.years.get(fiscal_year=2026)
        record_payment(award_year=year, kind="advance", amount_yen=1_000, paid_on=date(2026, 5, 1),
                       by=None)
        ReportFactory(award=award, kind="interim")


def _queries(client, url, rows):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] == rows
    return len(queries)


@pytest.mark.parametrize("url", ["/api/v1/awards/", "/api/v1/awards/?fiscal_year=2026&prefecture=13"])
def test_award_list_queries_do_not_grow(api_as, programme, url):
    client = api_as("officer")
    _make_awards(3, programme)
    few = _queries(client, url, 3)
    _make_awards(9, programme)
    assert Award.objects.count() == 12
    assert _queries(client, url, 12) == few
