"""Staff write rounds through the API with the same services as the pages:
each endpoint's happy path, and its refusals (409 or 400) change nothing."""

import datetime

import pytest

from applications.models import Application
from grants.models import FundingRound, FundingRoundEvent, ScaleTier, Theme
from tests.factories import (
    ExpenseCategoryFactory,
    FundingRoundFactory,
    OrganisationFactory,
    ScaleTierFactory,
    ThemeFactory,
)

from .helpers import snapshot

ROUNDS = "/api/v1/rounds/"


@pytest.fixture
def staff_api(api, officer):
    api.force_authenticate(officer)
    return api


def _events(funding_round):
    return list(
        FundingRoundEvent.objects.filter(funding_round=funding_round)
        .order_by("pk")
        .values_list("action", "from_status", "to_status", "reason")
    )


def _with_application(funding_round):
    """An applicant has started on the round, so rule changes need a reason."""
    return Application.objects.create(
        funding_round=funding_round,
        organisation=OrganisationFactory(),
        theme=funding_round.themes.first(),
        tier=funding_round.tiers.first(),
    )


def _round_in(status, programme):
    """A complete round (theme, tier, expense category) in `status`."""
    funding_round = FundingRoundFactory(
        programme=programme, status=status,
        expense_categories=[ExpenseCategoryFactory(code="travel")],
    )
    ThemeFactory(funding_round=funding_round, number=1)
    ScaleTierFactory(funding_round=funding_round, code="municipal")
    return funding_round


# --- Create and edit --------------------------------------------------------------


def test_staff_create_a_draft_round(staff_api, officer, programme):
    ExpenseCategoryFactory(code="personnel")
    ExpenseCategoryFactory(code="travel")

    response = staff_api.post(
        ROUNDS,
        {
            "programme": programme.code,
            "fiscal_year": 2026,
            "title_ja": "令和8年度 NPO等の取組モデル調査",
            "title_en": "FY2026 NPO model study",
            "opens_at": "2026-04-01T09:00:00+09:00",
            "closes_at": "2026-05-29T08:00:00Z",
            "budget_yen": 115_000_000,
            "max_award_years": 3,
            "ceiling_basis": "per_award",
            "expense_categories": ["personnel", "travel"],
            "allowed_legal_forms": ["npo", "voluntary"],
            "consortium_allowed": True,
            "min_prefectures": 2,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    funding_round = FundingRound.objects.get()
    assert body["id"] == funding_round.pk
    assert body["status"] == "draft"
    assert body["closes_at"] == "2026-05-29T17:00:00+09:00"
    assert body["fiscal_year_label_wareki"] == "令和8年度"
    assert [c["code"] for c in body["expense_categories"]] == ["personnel", "travel"]
    assert funding_round.programme == programme
    assert funding_round.budget_yen == 115_000_000
    assert funding_round.max_award_years == 3
    assert funding_round.allowed_legal_forms == ["npo", "voluntary"]
    assert funding_round.consortium_allowed is True
    assert funding_round.min_prefectures == 2
    event = FundingRoundEvent.objects.get()
    assert (event.action, event.actor, event.to_status) == ("created", officer, "draft")


def test_staff_edit_a_round_and_the_change_is_recorded(staff_api, officer, draft_round):
    response = staff_api.patch(
        f"{ROUNDS}{draft_round.pk}/",
        {"title_ja": "新しい題名", "budget_yen": 120_000_000},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["title_ja"] == "新しい題名"
    draft_round.refresh_from_db()
    assert draft_round.title_ja == "新しい題名"
    assert draft_round.budget_yen == 120_000_000
    event = FundingRoundEvent.objects.get(funding_round=draft_round)
    assert event.action == "changed"
    assert event.actor == officer
    assert event.changes["budget_yen"] == [115_000_000, 120_000_000]


def test_the_same_instant_in_another_zone_is_no_change(staff_api, draft_round):
    utc = draft_round.opens_at.astimezone(datetime.UTC).isoformat()

    response = staff_api.patch(f"{ROUNDS}{draft_round.pk}/", {"opens_at": utc}, format="json")

    assert response.status_code == 200
    assert not FundingRoundEvent.objects.exists()


def test_rule_change_on_a_live_round_with_applications_needs_a_reason(staff_api, open_round):
    _with_application(open_round)
    url = f"{ROUNDS}{open_round.pk}/"
    before = snapshot()

    refused = staff_api.patch(url, {"min_prefectures": 3}, format="json")

    assert refused.status_code == 409
    assert refused.json()["code"] == "reason_required"
    assert refused.json()["field"] == "reason"
    assert snapshot() == before

    accepted = staff_api.patch(
        url, {"min_prefectures": 3, "reason": "募集要領の訂正"}, format="json"
    )

    assert accepted.status_code == 200
    open_round.refresh_from_db()
    assert open_round.min_prefectures == 3
    assert _events(open_round) == [("changed", "", "", "募集要領の訂正")]


def test_an_archived_round_cannot_be_edited(staff_api, programme):
    archived = _round_in(FundingRound.Status.ARCHIVED, programme)
    before = snapshot()

    response = staff_api.patch(f"{ROUNDS}{archived.pk}/", {"title_ja": "x"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "round_archived"
    assert snapshot() == before


# --- Transitions --------------------------------------------------------------------

TRANSITIONS = [
    ("open/", FundingRound.Status.DRAFT, FundingRound.Status.OPEN),
    ("close/", FundingRound.Status.OPEN, FundingRound.Status.CLOSED),
    ("open/", FundingRound.Status.CLOSED, FundingRound.Status.OPEN),
    ("start-review/", FundingRound.Status.CLOSED, FundingRound.Status.REVIEWING),
    ("decide/", FundingRound.Status.REVIEWING, FundingRound.Status.DECIDED),
    ("archive/", FundingRound.Status.DECIDED, FundingRound.Status.ARCHIVED),
]


@pytest.mark.parametrize(("action", "start", "end"), TRANSITIONS)
def test_staff_move_a_round_and_the_move_is_recorded(
    staff_api, officer, programme, action, start, end
):
    funding_round = _round_in(start, programme)

    response = staff_api.post(
        f"{ROUNDS}{funding_round.pk}/{action}", {"reason": "予定どおり"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == end
    funding_round.refresh_from_db()
    assert funding_round.status == end
    event = FundingRoundEvent.objects.get(funding_round=funding_round)
    assert (event.action, event.from_status, event.to_status, event.reason, event.actor) == (
        "status", start, end, "予定どおり", officer,
    )


REFUSED_MOVES = [
    ("close/", FundingRound.Status.DRAFT),
    ("start-review/", FundingRound.Status.OPEN),
    ("decide/", FundingRound.Status.CLOSED),
    ("archive/", FundingRound.Status.REVIEWING),
    ("open/", FundingRound.Status.ARCHIVED),
]


@pytest.mark.parametrize(("action", "start"), REFUSED_MOVES)
def test_moves_out_of_order_are_refused_and_change_nothing(staff_api, programme, action, start):
    funding_round = _round_in(start, programme)
    before = snapshot()

    response = staff_api.post(f"{ROUNDS}{funding_round.pk}/{action}", {}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "bad_transition"
    assert response.json()["detail"]
    assert snapshot() == before


def test_an_incomplete_draft_cannot_open(staff_api, programme):
    empty = FundingRoundFactory(programme=programme)
    before = snapshot()

    response = staff_api.post(f"{ROUNDS}{empty.pk}/open/", format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "round_incomplete"
    assert snapshot() == before


def test_copy_starts_next_years_draft(staff_api, officer, open_round):
    response = staff_api.post(f"{ROUNDS}{open_round.pk}/copy/", {"fiscal_year": 2027}, format="json")

    assert response.status_code == 201, response.json()
    copy = FundingRound.objects.get(pk=response.json()["id"])
    assert copy.status == FundingRound.Status.DRAFT
    assert copy.fiscal_year == 2027
    assert copy.copied_from == open_round
    assert copy.themes.count() == open_round.themes.count() == 1
    assert copy.tiers.get().ceiling_yen == open_round.tiers.get().ceiling_yen
    assert response.json()["fiscal_year_label_wareki"] == "令和9年度"
    assert _events(copy) == [("copied", "", "draft", "")]


def test_copy_defaults_to_the_next_fiscal_year(staff_api, open_round):
    response = staff_api.post(f"{ROUNDS}{open_round.pk}/copy/", format="json")
    assert response.status_code == 201
    assert response.json()["fiscal_year"] == open_round.fiscal_year + 1


def test_copy_refuses_an_impossible_fiscal_year(staff_api, open_round):
    before = snapshot()

    response = staff_api.post(f"{ROUNDS}{open_round.pk}/copy/", {"fiscal_year": 1999}, format="json")

    assert response.status_code == 400
    assert "fiscal_year" in response.json()
    assert snapshot() == before


# --- Themes ---------------------------------------------------------------------


def test_staff_add_change_and_remove_a_theme(staff_api, draft_round):
    base = f"{ROUNDS}{draft_round.pk}/themes/"

    added = staff_api.post(
        base,
        {"number": 2, "title_ja": "自然に足が向く居場所", "min_awards": 1, "max_awards": 2},
        format="json",
    )
    assert added.status_code == 201, added.json()
    theme = Theme.objects.get(pk=added.json()["id"])
    assert (theme.number, theme.title_ja, theme.max_awards) == (2, "自然に足が向く居場所", 2)

    changed = staff_api.patch(f"{base}{theme.pk}/", {"max_awards": 3}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["max_awards"] == 3
    theme.refresh_from_db()
    assert theme.max_awards == 3

    removed = staff_api.delete(f"{base}{theme.pk}/", format="json")
    assert removed.status_code == 204
    assert not Theme.objects.filter(pk=theme.pk).exists()
    assert [e[0] for e in _events(draft_round)] == ["theme_added", "theme_changed", "theme_removed"]


def test_a_theme_number_cannot_be_used_twice(staff_api, draft_round):
    before = snapshot()

    response = staff_api.post(
        f"{ROUNDS}{draft_round.pk}/themes/", {"number": 1, "title_ja": "重複"}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "code": "theme_number_taken", "detail": response.json()["detail"], "field": "number",
    }
    assert snapshot() == before


def test_renumbering_a_theme_onto_a_taken_number_is_refused(staff_api, draft_round):
    second = ThemeFactory(funding_round=draft_round, number=2)
    before = snapshot()

    response = staff_api.patch(
        f"{ROUNDS}{draft_round.pk}/themes/{second.pk}/", {"number": 1}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "theme_number_taken"
    assert snapshot() == before


def test_theme_minimum_above_the_existing_maximum_is_a_400(staff_api, draft_round):
    theme = draft_round.themes.get()
    theme.max_awards = 2
    theme.save()
    before = snapshot()

    response = staff_api.patch(
        f"{ROUNDS}{draft_round.pk}/themes/{theme.pk}/", {"min_awards": 5}, format="json"
    )

    assert response.status_code == 400
    assert "min_awards" in response.json()
    assert snapshot() == before


def test_a_chosen_theme_cannot_be_removed(staff_api, open_round):
    _with_application(open_round)
    theme = open_round.themes.get()
    url = f"{ROUNDS}{open_round.pk}/themes/{theme.pk}/"
    before = snapshot()

    without_reason = staff_api.delete(url, format="json")
    with_reason = staff_api.delete(url, {"reason": "統合のため"}, format="json")

    assert without_reason.json()["code"] == "reason_required"
    assert with_reason.status_code == 409
    assert with_reason.json()["code"] == "theme_in_use"
    assert snapshot() == before


def test_a_theme_of_another_round_is_404(staff_api, draft_round, open_round):
    other_theme = open_round.themes.get()
    before = snapshot()

    response = staff_api.patch(
        f"{ROUNDS}{draft_round.pk}/themes/{other_theme.pk}/", {"title_ja": "x"}, format="json"
    )

    assert response.status_code == 404
    assert snapshot() == before


# --- Tiers ------------------------------------------------------------------------


def test_staff_add_change_and_remove_a_tier(staff_api, draft_round):
    base = f"{ROUNDS}{draft_round.pk}/tiers/"

    added = staff_api.post(
        base,
        {"code": "district", "name_ja": "小学校区や自治会等の区域想定", "ceiling_yen": 500_000},
        format="json",
    )
    assert added.status_code == 201, added.json()
    tier = ScaleTier.objects.get(pk=added.json()["id"])
    assert (tier.code, tier.ceiling_yen) == ("district", 500_000)

    changed = staff_api.patch(f"{base}{tier.pk}/", {"ceiling_yen": 600_000}, format="json")
    assert changed.status_code == 200, changed.json()
    tier.refresh_from_db()
    assert tier.ceiling_yen == 600_000

    removed = staff_api.delete(f"{base}{tier.pk}/", format="json")
    assert removed.status_code == 204
    assert not ScaleTier.objects.filter(pk=tier.pk).exists()
    assert [e[0] for e in _events(draft_round)] == ["tier_added", "tier_changed", "tier_removed"]


def test_ceiling_change_on_a_live_round_with_applications_needs_a_reason(staff_api, open_round):
    _with_application(open_round)
    tier = open_round.tiers.get()
    url = f"{ROUNDS}{open_round.pk}/tiers/{tier.pk}/"
    before = snapshot()

    refused = staff_api.patch(url, {"ceiling_yen": 2_500_000}, format="json")

    assert refused.status_code == 409
    assert refused.json()["code"] == "reason_required"
    assert snapshot() == before

    accepted = staff_api.patch(url, {"ceiling_yen": 2_500_000, "reason": "予算増"}, format="json")

    assert accepted.status_code == 200
    assert accepted.json()["ceiling_yen"] == 2_500_000
    event = FundingRoundEvent.objects.get(funding_round=open_round)
    assert (event.action, event.reason) == ("tier_changed", "予算増")
    assert event.changes["ceiling_yen"] == [2_000_000, 2_500_000]


def test_a_tier_code_cannot_be_used_twice(staff_api, draft_round):
    before = snapshot()

    response = staff_api.post(
        f"{ROUNDS}{draft_round.pk}/tiers/",
        {"code": "municipal", "name_ja": "重複", "ceiling_yen": 1},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "tier_code_taken"
    assert snapshot() == before


def test_recoding_a_tier_onto_a_taken_code_is_refused(staff_api, draft_round):
    district = ScaleTierFactory(funding_round=draft_round, code="district")
    before = snapshot()

    response = staff_api.patch(
        f"{ROUNDS}{draft_round.pk}/tiers/{district.pk}/", {"code": "municipal"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "tier_code_taken"
    assert snapshot() == before


def test_a_chosen_tier_cannot_be_removed(staff_api, open_round):
    _with_application(open_round)
    tier = open_round.tiers.get()
    before = snapshot()

    response = staff_api.delete(
        f"{ROUNDS}{open_round.pk}/tiers/{tier.pk}/", {"reason": "統合"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "tier_in_use"
    assert snapshot() == before


# --- History ----------------------------------------------------------------------


def test_history_lists_every_change_with_actor_and_reason(api, officer, oversight, draft_round):
    api.force_authenticate(officer)
    api.post(f"{ROUNDS}{draft_round.pk}/open/", {"reason": "公募開始"}, format="json")
    api.force_authenticate(oversight)

    response = api.get(f"{ROUNDS}{draft_round.pk}/history/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["action"] == "status"
    assert (row["from_status"], row["to_status"], row["reason"]) == ("draft", "open", "公募開始")
    assert row["actor"] == {"id": officer.pk, "full_name": officer.full_name}
    assert row["at"].endswith("+09:00")
