"""Reading programmes and rounds: public for published rounds, drafts only for
staff and oversight, with exact field shapes and a flat query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.vocab import LegalForm
from grants.models import FundingRound
from tests.factories import (
    ExpenseCategoryFactory,
    FundingRoundFactory,
    ProgrammeFactory,
    ScaleTierFactory,
    ThemeFactory,
)

from .helpers import PERSONAS

ROUNDS = "/api/v1/rounds/"
SEES_DRAFTS = {"oversight", "other_officer", "officer"}


def test_round_detail_has_every_field_in_japan_time(api, programme):
    travel = ExpenseCategoryFactory(code="travel", name_ja="旅費", name_en="Travel")
    funding_round = FundingRoundFactory(
        programme=programme,
        status=FundingRound.Status.OPEN,
        fiscal_year=2023,
        title_ja="令和5年度 NPO等の取組モデル調査",
        title_en="FY2023 NPO model study",
        description_ja="説明",
        opens_at="2023-04-01T00:00:00Z",
        closes_at="2023-05-12T08:00:00Z",
        budget_yen=115_000_000,
        max_award_years=2,
        ceiling_basis=FundingRound.CeilingBasis.PER_AWARD,
        allowed_legal_forms=[LegalForm.NPO, LegalForm.VOLUNTARY],
        consortium_allowed=True,
        min_prefectures=2,
        expense_categories=[travel],
    )
    ThemeFactory(
        funding_round=funding_round, number=1, title_ja="つながりの場づくり", title_en="Ties",
        example_activities="多世代交流", min_awards=5, max_awards=7,
    )
    ScaleTierFactory(
        funding_round=funding_round, code="municipal", name_ja="市区町村区域想定",
        name_en="Municipal area", area_description="市区町村", ceiling_yen=2_000_000,
    )

    body = api.get(f"{ROUNDS}{funding_round.pk}/").json()

    assert body["programme"] == {
        "id": programme.pk, "code": programme.code, "name": programme.name_ja,
        "name_ja": programme.name_ja, "name_en": programme.name_en,
    }
    assert body["fiscal_year"] == 2023
    assert body["fiscal_year_label_wareki"] == "令和5年度"
    assert body["title_ja"] == "令和5年度 NPO等の取組モデル調査"
    assert body["title_en"] == "FY2023 NPO model study"
    assert body["description_ja"] == "説明"
    assert body["status"] == "open"
    assert body["opens_at"] == "2023-04-01T09:00:00+09:00"
    assert body["closes_at"] == "2023-05-12T17:00:00+09:00"
    assert body["budget_yen"] == 115_000_000
    assert body["max_award_years"] == 2
    assert body["ceiling_basis"] == "per_award"
    assert body["allowed_legal_forms"] == ["npo", "voluntary"]
    assert body["consortium_allowed"] is True
    assert body["min_prefectures"] == 2
    assert body["is_accepting"] is False  # closed in 2023
    theme = body["themes"][0]
    del theme["id"]
    assert theme == {
        "number": 1, "title_ja": "つながりの場づくり", "title_en": "Ties",
        "example_activities": "多世代交流", "min_awards": 5, "max_awards": 7,
    }
    tier = body["tiers"][0]
    del tier["id"]
    assert tier == {
        "code": "municipal", "name_ja": "市区町村区域想定", "name_en": "Municipal area",
        "area_description": "市区町村", "ceiling_yen": 2_000_000, "sort_order": 0,
    }
    assert body["expense_categories"] == [{"code": "travel", "name_ja": "旅費", "name_en": "Travel"}]


def test_programme_name_follows_the_requested_language(api, open_round):
    body = api.get(f"{ROUNDS}{open_round.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["programme"]["name"] == open_round.programme.name_en


@pytest.mark.parametrize("persona", PERSONAS)
def test_published_round_is_readable_by_everyone(api_as, persona, open_round):
    response = api_as(persona).get(f"{ROUNDS}{open_round.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == open_round.pk


@pytest.mark.parametrize("persona", PERSONAS)
def test_draft_round_is_hidden_outside_staff_and_oversight(api_as, persona, draft_round):
    response = api_as(persona).get(f"{ROUNDS}{draft_round.pk}/")
    assert response.status_code == (200 if persona in SEES_DRAFTS else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_round_list_shows_drafts_only_to_staff_and_oversight(
    api_as, persona, open_round, draft_round
):
    response = api_as(persona).get(ROUNDS)
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    expected = {open_round.pk, draft_round.pk} if persona in SEES_DRAFTS else {open_round.pk}
    assert ids == expected


def test_round_list_filters_by_programme_code_fiscal_year_and_status(api, open_round):
    other = FundingRoundFactory(status=FundingRound.Status.CLOSED, fiscal_year=2024)
    code = open_round.programme.code

    def ids(**params):
        return {row["id"] for row in api.get(ROUNDS, params).json()["results"]}

    assert ids(programme=code) == {open_round.pk}
    assert ids(programme=other.programme.code) == {other.pk}
    assert ids(fiscal_year=2024) == {other.pk}
    assert ids(status="open") == {open_round.pk}
    assert ids(status="closed", programme=code) == set()


def test_round_list_refuses_an_unknown_status_filter(api, open_round):
    response = api.get(ROUNDS, {"status": "secret"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_anonymous_status_filter_cannot_reveal_drafts(api, draft_round):
    response = api.get(ROUNDS, {"status": "draft"})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_round_list_is_paginated(api, programme):
    FundingRoundFactory.create_batch(3, programme=programme, status=FundingRound.Status.OPEN)
    body = api.get(ROUNDS, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&page_size=2")


def _rounds_with_children(count):
    categories = [ExpenseCategoryFactory(code="personnel"), ExpenseCategoryFactory(code="travel")]
    for _ in range(count):
        funding_round = FundingRoundFactory(
            status=FundingRound.Status.OPEN, expense_categories=categories
        )
        for number in (1, 2, 3):
            ThemeFactory(funding_round=funding_round, number=number)
        ScaleTierFactory(funding_round=funding_round, code="municipal")
        ScaleTierFactory(funding_round=funding_round, code="district", ceiling_yen=500_000)


@pytest.mark.parametrize("persona", ["anonymous", "officer"])
def test_round_list_query_count_does_not_grow(api_as, persona, db):
    client = api_as(persona)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ROUNDS)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    _rounds_with_children(3)
    few, listed = count_queries()
    assert listed == 3
    _rounds_with_children(9)
    many, listed = count_queries()
    assert listed == 12
    assert few == many


@pytest.mark.parametrize("persona", PERSONAS)
def test_programmes_are_public(api_as, persona, programme):
    client = api_as(persona)
    listed = client.get("/api/v1/programmes/")
    detail = client.get(f"/api/v1/programmes/{programme.pk}/")
    assert listed.status_code == 200
    assert [row["code"] for row in listed.json()["results"]] == [programme.code]
    assert detail.status_code == 200
    assert detail.json()["name_ja"] == programme.name_ja
    assert "staff" not in detail.json()


def test_programme_list_query_count_does_not_grow(api, db):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/programmes/").status_code == 200
        return len(queries)

    ProgrammeFactory.create_batch(3)
    few = count_queries()
    ProgrammeFactory.create_batch(9)
    assert count_queries() == few
