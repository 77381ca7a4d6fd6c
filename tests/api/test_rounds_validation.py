"""Input shape: 400 with a message under each wrong field, nothing saved."""

import pytest

from tests.factories import ExpenseCategoryFactory

from .helpers import snapshot

ROUNDS = "/api/v1/rounds/"


@pytest.fixture
def staff_api(api, officer):
    api.force_authenticate(officer)
    return api


@pytest.fixture
def valid(programme):
    return {
        "programme": programme.code,
        "fiscal_year": 2026,
        "title_ja": "令和8年度 公募",
        "opens_at": "2026-04-01T09:00:00+09:00",
        "closes_at": "2026-05-29T17:00:00+09:00",
        "budget_yen": 115_000_000,
    }


def _refused(client, method, url, body, *fields):
    before = snapshot()
    response = getattr(client, method)(url, body, format="json")
    assert response.status_code == 400, response.json()
    assert set(response.json()) == set(fields)
    for field in fields:
        assert response.json()[field], field
    assert snapshot() == before
    return response.json()


@pytest.mark.parametrize("amount", [1.5, 2.0, "abc", 0, -1, "", None, True, "百万", "1.5", [1]])
def test_budget_must_be_a_positive_whole_number_of_yen(staff_api, valid, amount):
    _refused(staff_api, "post", ROUNDS, {**valid, "budget_yen": amount}, "budget_yen")


@pytest.mark.parametrize(("typed", "expected"), [
    ("2000000", 2_000_000), ("1,000", 1_000), ("１００万", 1_000_000), ("1億", 100_000_000),
    ("1億1,500万円", 115_000_000),
])
def test_budget_given_as_text_is_read_as_the_pages_read_it(staff_api, valid, typed, expected):
    response = staff_api.post(ROUNDS, {**valid, "budget_yen": typed}, format="json")
    assert response.status_code == 201
    assert response.json()["budget_yen"] == expected


@pytest.mark.parametrize(("language", "message"), [
    ("ja", "円単位の整数"), ("en", "Enter a whole number of yen."),
])
def test_a_bad_amount_is_named_in_ja_and_en(staff_api, valid, language, message):
    response = staff_api.post(ROUNDS, {**valid, "budget_yen": "百万"}, format="json",
                              HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert list(response.json()) == ["budget_yen"]
    assert message in response.json()["budget_yen"][0]


def test_a_tier_ceiling_typed_in_man(staff_api, draft_round):
    response = staff_api.post(f"{ROUNDS}{draft_round.pk}/tiers/", {
        "code": "district", "name_ja": "小学校区", "ceiling_yen": "２００万"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["ceiling_yen"] == 2_000_000


def test_closing_time_must_follow_opening_time(staff_api, valid):
    errors = _refused(
        staff_api, "post", ROUNDS, {**valid, "closes_at": valid["opens_at"]}, "closes_at"
    )
    assert errors["closes_at"]


def test_patching_only_the_closing_time_is_checked_against_the_opening(staff_api, draft_round):
    _refused(
        staff_api, "patch", f"{ROUNDS}{draft_round.pk}/",
        {"closes_at": draft_round.opens_at.isoformat()}, "closes_at",
    )


def test_every_missing_required_field_is_named(staff_api, programme):
    _refused(
        staff_api, "post", ROUNDS, {},
        "programme", "fiscal_year", "title_ja", "opens_at", "closes_at", "budget_yen",
    )


def test_datetimes_and_choices_are_checked(staff_api, valid):
    _refused(
        staff_api, "post", ROUNDS,
        {
            **valid,
            "opens_at": "来週",
            "ceiling_basis": "per_month",
            "allowed_legal_forms": ["npo", "company"],
            "max_award_years": 6,
            "min_prefectures": 0,
            "fiscal_year": 1999,
        },
        "opens_at", "ceiling_basis", "allowed_legal_forms", "max_award_years",
        "min_prefectures", "fiscal_year",
    )


def test_unknown_programme_and_expense_category_codes_are_named(staff_api, valid):
    ExpenseCategoryFactory(code="travel")
    _refused(
        staff_api, "post", ROUNDS,
        {**valid, "programme": "no-such", "expense_categories": ["travel", "yacht"]},
        "programme", "expense_categories",
    )


def test_unknown_fields_are_refused_not_ignored(staff_api, draft_round):
    errors = _refused(
        staff_api, "patch", f"{ROUNDS}{draft_round.pk}/",
        {"title_ja": "x", "status": "open"}, "status",
    )
    assert draft_round.status == "draft"
    assert errors["status"]


@pytest.mark.parametrize("ceiling", [1.5, "abc", 0, -500_000])
def test_tier_ceiling_must_be_a_positive_whole_number_of_yen(staff_api, draft_round, ceiling):
    _refused(
        staff_api, "post", f"{ROUNDS}{draft_round.pk}/tiers/",
        {"code": "district", "name_ja": "小学校区", "ceiling_yen": ceiling}, "ceiling_yen",
    )


def test_tier_code_must_be_a_slug(staff_api, draft_round):
    _refused(
        staff_api, "post", f"{ROUNDS}{draft_round.pk}/tiers/",
        {"code": "小学校 区", "name_ja": "小学校区", "ceiling_yen": 500_000}, "code",
    )


def test_theme_needs_a_number_and_a_japanese_title(staff_api, draft_round):
    _refused(
        staff_api, "post", f"{ROUNDS}{draft_round.pk}/themes/",
        {"title_en": "Ties", "min_awards": 3, "max_awards": 1}, "number", "title_ja",
    )


def test_theme_minimum_cannot_exceed_maximum(staff_api, draft_round):
    _refused(
        staff_api, "post", f"{ROUNDS}{draft_round.pk}/themes/",
        {"number": 2, "title_ja": "テーマ", "min_awards": 3, "max_awards": 1}, "min_awards",
    )


def test_messages_are_in_japanese_by_default(staff_api, valid):
    errors = _refused(staff_api, "post", ROUNDS, {**valid, "title_ja": ""}, "title_ja")
    assert errors["title_ja"] == ["この項目は空にできません。"]
