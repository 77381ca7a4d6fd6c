"""Programme C (地方版孤独・孤立対策官民連携プラットフォーム推進事業): local
governments (地方公共団体) register with a checked 地方公共団体コード, apply to
rounds open to them only, and an award gets a second year after the award
(FY2023: 15 bodies, 4 continued into a second year)."""

import pytest

from accounts.models import Organisation
from applications.models import Application
from awards.models import AwardEvent, AwardYear, ContinuationDecision
from core.local_government_code import is_valid_local_government_code
from core.vocab import LegalForm
from tests.factories import (
    AwardFactory,
    ExpenseCategoryFactory,
    OpenRoundFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

FUKUOKA_CITY = {
    "name": "福岡市", "name_kana": "フクオカシ", "legal_form": "local_government",
    "corporate_number": "3000020401307", "local_government_code": "４０１３０７",
    "representative_name": "福岡 太郎", "representative_title": "市長",
    "prefecture": "40", "municipality": "福岡市中央区", "contact_email": "kodoku@city.fukuoka.example.jp",
}


@pytest.mark.parametrize(("code", "valid"), [
    ("130001", True), ("131016", True), ("011002", True), ("271004", True), ("401307", True),
    ("010006", True), ("131017", False), ("481000", False), ("001007", False), ("13101", False),
])
def test_local_government_code_check_digit(code, valid):
    assert is_valid_local_government_code(code) is valid


def test_a_local_government_registers_with_its_code(api_as, applicant):
    response = api_as("applicant").post("/api/v1/organisations/", FUKUOKA_CITY, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["local_government_code"] == "401307"
    assert Organisation.objects.get(name="福岡市").local_government_code == "401307"


@pytest.mark.parametrize(("changes", "field"), [
    ({"local_government_code": "401308"}, "local_government_code"),
    ({"local_government_code": ""}, "local_government_code"),
    ({"legal_form": "npo", "corporate_number": "7000012050002"}, "local_government_code"),
])
def test_a_missing_wrong_or_misplaced_code_is_refused(api_as, changes, field):
    response = api_as("applicant").post("/api/v1/organisations/", {**FUKUOKA_CITY, **changes},
                                        format="json")

    assert response.status_code in (400, 409)
    assert field in str(response.json())
    assert not Organisation.objects.exists()


@pytest.fixture
def programme_c_round(programme):
    funding_round = OpenRoundFactory(
        programme=programme, fiscal_year=2023, max_award_years=2,
        allowed_legal_forms=[LegalForm.LOCAL_GOVERNMENT],
        title_ja="令和5年度 地方版孤独・孤立対策官民連携プラットフォーム推進事業")
    funding_round.expense_categories.add(ExpenseCategoryFactory(code="meetings"))
    return funding_round


def test_only_local_governments_may_apply_to_programme_c(api_as, applicant, programme_c_round):
    city = OrganisationFactory(member=applicant, name="福岡市", legal_form="local_government",
                               local_government_code="401307", corporate_number="")
    npo = OrganisationFactory(member=applicant, legal_form="npo")
    client = api_as("applicant")

    city_draft = client.post("/api/v1/applications/", {
        "funding_round": programme_c_round.pk, "organisation": city.pk,
        "title": "福岡市孤独・孤立対策官民連携プラットフォーム"}, format="json")
    npo_draft = client.post("/api/v1/applications/", {
        "funding_round": programme_c_round.pk, "organisation": npo.pk}, format="json")
    submitted = client.post(f"/api/v1/applications/{npo_draft.json()['id']}/submit/")

    assert city_draft.status_code == npo_draft.status_code == 201
    assert "legal_form_not_allowed" not in {p["code"] for p in city_draft.json()["problems"]}
    assert "legal_form_not_allowed" in {p["code"] for p in npo_draft.json()["problems"]}
    assert submitted.status_code == 409
    assert Application.objects.get(organisation=npo).status == Application.Status.DRAFT


@pytest.fixture
def one_year_award(programme_c_round, officer):
    city = OrganisationFactory(name="福岡市", legal_form="local_government",
                               local_government_code="401307", corporate_number="")
    return AwardFactory(application__funding_round=programme_c_round,
                        application__organisation=city,
                        application__budget={2023: {"meetings": 800_000, "personnel": 1_200_000}})


def test_a_second_year_is_added_after_the_award(api_as, one_year_award, officer):
    award = one_year_award
    first = award.years.get()

    response = api_as("officer").post(f"/api/v1/awards/{award.pk}/years/", {
        "fiscal_year": 2024, "reason": "初年度に先駆的な成果（官民連携の会議体を設置）",
        "budget": [{"expense_category": "meetings", "approved_yen": 600_000},
                   {"expense_category": "personnel", "approved_yen": 1_000_000}],
    }, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert [(y["fiscal_year"], y["state"], y["approved_yen"], y["continues_from"])
            for y in body["years"]] == [(2023, "active", 2_000_000, None),
                                        (2024, "planned", 1_600_000, first.pk)]
    assert body["approved_yen"] == 3_600_000 and body["end_on"] == "2025-03-31"
    kinds = {(d["kind"], d["fiscal_year"]) for d in body["deadlines"]}
    assert {("interim", 2024), ("annual", 2024), ("final", 2024)} <= kinds
    assert ("final", 2023) not in kinds
    second = AwardYear.objects.get(award=award, fiscal_year=2024)
    assert second.continues_from == first
    assert ContinuationDecision.objects.get(award=award, fiscal_year=2024).decision == "continue"
    event = AwardEvent.objects.get(award=award, action="year_added")
    assert (event.actor, event.award_year, event.changes["continues_from"]) == (
        officer, second, 2023)


@pytest.mark.parametrize(("payload", "code"), [
    ({"fiscal_year": 2025}, "not_next_year"),
    ({"budget": [{"expense_category": "personnel", "approved_yen": 2_000_001}]}, "above_ceiling"),
    ({"budget": [{"expense_category": "travel", "approved_yen": 100_000}]}, "category_not_eligible"),
    ({"reason": ""}, "reason_required"),
])
def test_refused_continuations_change_nothing(api_as, one_year_award, payload, code):
    ExpenseCategoryFactory(code="travel")
    body = {"fiscal_year": 2024, "reason": "成果あり",
            "budget": [{"expense_category": "meetings", "approved_yen": 600_000}], **payload}

    response = api_as("officer").post(f"/api/v1/awards/{one_year_award.pk}/years/", body,
                                      format="json")

    assert response.status_code == 409 and response.json()["code"] == code
    assert one_year_award.years.count() == 1
    assert not AwardEvent.objects.filter(action="year_added").exists()


def test_a_third_year_is_beyond_the_round(api_as, one_year_award):
    client = api_as("officer")
    url = f"/api/v1/awards/{one_year_award.pk}/years/"
    line = [{"expense_category": "meetings", "approved_yen": 500_000}]
    assert client.post(url, {"fiscal_year": 2024, "reason": "継続", "budget": line},
                       format="json").status_code == 201

    third = client.post(url, {"fiscal_year": 2025, "reason": "継続", "budget": line},
                        format="json")

    assert third.status_code == 409 and third.json()["code"] == "year_outside_round"


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 403), ("outsider", 404), ("reviewer", 404), ("oversight", 403),
    ("other_officer", 403), ("officer", 201)])
def test_who_may_add_a_year(api_as, request, one_year_award, persona, expected):
    if persona == "applicant":
        one_year_award.organisation.memberships.create(
            user=request.getfixturevalue("applicant"), role="owner")
    response = api_as(persona).post(f"/api/v1/awards/{one_year_award.pk}/years/", {
        "fiscal_year": 2024, "reason": "継続",
        "budget": [{"expense_category": "meetings", "approved_yen": 500_000}]}, format="json")

    assert response.status_code == expected
    assert one_year_award.years.count() == (2 if expected == 201 else 1)
