"""The round rules, through grants.services: each refusal changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from grants import services
from grants.models import FundingRound, FundingRoundEvent, ScaleTier, Theme

from ..factories import ExpenseCategoryFactory, FundingRoundFactory, ScaleTierFactory, ThemeFactory
from .conftest import add_application, jst

Status = FundingRound.Status


def _snapshot(funding_round):
    funding_round.refresh_from_db()
    return (
        funding_round.status,
        funding_round.events.count(),
        funding_round.themes.count(),
        funding_round.tiers.count(),
        funding_round.budget_yen,
        funding_round.closes_at,
    )


# --- Opening -----------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["themes", "tiers", "expense_categories"])
def test_round_cannot_open_without_theme_tier_or_category(draft_round, officer, missing):
    if missing == "expense_categories":
        draft_round.expense_categories.clear()
    else:
        getattr(draft_round, missing).all().delete()
    before = _snapshot(draft_round)

    with pytest.raises(DomainError) as refused:
        services.open_round(funding_round=draft_round, by=officer)

    assert refused.value.code == "round_incomplete"
    assert _snapshot(draft_round) == before
    assert draft_round.status == Status.DRAFT


def test_open_problems_name_every_missing_part(programme):
    funding_round = FundingRoundFactory(programme=programme)
    assert len(services.round_open_problems(funding_round)) == 3


def test_round_cannot_open_after_its_closing_time(draft_round, officer):
    FundingRound.objects.filter(pk=draft_round.pk).update(
        opens_at=timezone.now() - timedelta(days=10), closes_at=timezone.now() - timedelta(days=1)
    )
    before = _snapshot(draft_round)
    with pytest.raises(DomainError):
        services.open_round(funding_round=draft_round, by=officer)
    assert _snapshot(draft_round) == before


def test_complete_round_opens_and_records_the_move(draft_round, officer):
    services.open_round(funding_round=draft_round, by=officer, reason="公募開始")

    draft_round.refresh_from_db()
    assert draft_round.status == Status.OPEN
    event = FundingRoundEvent.objects.get(funding_round=draft_round)
    assert (event.action, event.from_status, event.to_status, event.actor, event.reason) == (
        "status", Status.DRAFT, Status.OPEN, officer, "公募開始"
    )


# --- Dates, budget and ceilings ------------------------------------------------------


def test_closing_time_must_follow_opening_time_on_create(programme, officer):
    with pytest.raises(DomainError) as refused:
        services.create_round(
            programme=programme, by=officer, fiscal_year=2026, title_ja="公募",
            opens_at=jst(2026, 5, 31, 17), closes_at=jst(2026, 5, 31, 17), budget_yen=1_000_000,
        )
    assert (refused.value.code, refused.value.field) == ("closes_before_opens", "closes_at")
    assert not FundingRound.objects.exists()


def test_closing_time_must_follow_opening_time_on_update(draft_round, officer):
    before = _snapshot(draft_round)
    with pytest.raises(DomainError) as refused:
        services.update_round(
            funding_round=draft_round, by=officer, closes_at=draft_round.opens_at - timedelta(hours=1)
        )
    assert refused.value.field == "closes_at"
    assert _snapshot(draft_round) == before


@pytest.mark.parametrize("budget", [0, -1, 1.5, "1000"])
def test_budget_must_be_positive_whole_yen(programme, officer, budget):
    with pytest.raises(DomainError) as refused:
        services.create_round(
            programme=programme, by=officer, fiscal_year=2026, title_ja="公募",
            opens_at=jst(2026, 4, 1, 10), closes_at=jst(2026, 5, 31, 17), budget_yen=budget,
        )
    assert refused.value.field == "budget_yen"
    assert not FundingRound.objects.exists()


def test_budget_change_to_zero_is_refused(draft_round, officer):
    before = _snapshot(draft_round)
    with pytest.raises(DomainError):
        services.update_round(funding_round=draft_round, by=officer, budget_yen=0)
    assert _snapshot(draft_round) == before


@pytest.mark.parametrize("ceiling", [0, -500, 1.5, None])
def test_tier_ceiling_must_be_positive_whole_yen(draft_round, officer, ceiling):
    before = _snapshot(draft_round)
    with pytest.raises(DomainError) as refused:
        services.save_tier(
            funding_round=draft_round, by=officer, code="school", name_ja="小学校区",
            ceiling_yen=ceiling,
        )
    assert refused.value.field == "ceiling_yen"
    assert _snapshot(draft_round) == before


def test_changing_a_ceiling_to_zero_is_refused(draft_round, officer):
    tier = draft_round.tiers.get()
    with pytest.raises(DomainError):
        services.save_tier(funding_round=draft_round, by=officer, tier=tier, ceiling_yen=0)
    tier.refresh_from_db()
    assert tier.ceiling_yen == 2_000_000


def test_tier_code_and_theme_number_stay_unique_on_change(draft_round, officer):
    ScaleTierFactory(funding_round=draft_round, code="school")
    ThemeFactory(funding_round=draft_round, number=2)
    tier = draft_round.tiers.get(code="school")
    theme = draft_round.themes.get(number=2)

    with pytest.raises(DomainError) as tier_refused:
        services.save_tier(funding_round=draft_round, by=officer, tier=tier, code="municipal")
    with pytest.raises(DomainError) as theme_refused:
        services.save_theme(funding_round=draft_round, by=officer, theme=theme, number=1)

    assert (tier_refused.value.code, theme_refused.value.code) == ("tier_code_taken", "theme_number_taken")


def test_theme_minimum_awards_cannot_exceed_the_kept_maximum(draft_round, officer):
    theme = draft_round.themes.get()
    services.save_theme(funding_round=draft_round, by=officer, theme=theme, min_awards=1, max_awards=2)
    with pytest.raises(DomainError) as refused:
        services.save_theme(funding_round=draft_round, by=officer, theme=theme, min_awards=3)
    assert refused.value.field == "min_awards"
    theme.refresh_from_db()
    assert (theme.min_awards, theme.max_awards) == (1, 2)


def test_theme_or_tier_of_another_round_is_refused(draft_round, officer, open_round):
    other_theme = open_round.themes.get()
    with pytest.raises(DomainError) as refused:
        services.save_theme(funding_round=draft_round, by=officer, theme=other_theme, title_ja="乗っ取り")
    assert refused.value.code == "wrong_round"
    other_theme.refresh_from_db()
    assert other_theme.title_ja != "乗っ取り"


def test_same_instant_in_japan_time_is_no_change(open_round, officer):
    """A form gives JST datetimes; the database gives UTC: no spurious history."""
    add_application(open_round)
    closes_jst = timezone.localtime(open_round.closes_at, services.JST)
    services.update_round(funding_round=open_round, by=officer, closes_at=closes_jst, min_prefectures=1)
    assert not open_round.events.exists()


# --- Reasons for changes to live rounds -----------------------------------------------


RULE_CHANGES = [
    ("round", {"min_prefectures": 2}),
    ("round", {"consortium_allowed": True}),
    ("round", {"allowed_legal_forms": ["npo"]}),
    ("round", {"max_award_years": 3}),
    ("tier", {"ceiling_yen": 3_000_000}),
    ("new_tier", {"code": "school", "name_ja": "小学校区", "ceiling_yen": 500_000}),
    ("theme", {"title_ja": "新しいテーマ名"}),
    ("new_theme", {"number": 2, "title_ja": "追加テーマ"}),
    ("delete_theme", {}),
    ("delete_tier", {}),
]


def _change(kind, funding_round, by, values, reason=""):
    if kind == "round":
        return services.update_round(funding_round=funding_round, by=by, reason=reason, **values)
    if kind == "tier":
        return services.save_tier(funding_round=funding_round, by=by, reason=reason,
                                  tier=funding_round.tiers.get(), **values)
    if kind == "new_tier":
        return services.save_tier(funding_round=funding_round, by=by, reason=reason, **values)
    if kind == "theme":
        return services.save_theme(funding_round=funding_round, by=by, reason=reason,
                                   theme=funding_round.themes.get(), **values)
    if kind == "new_theme":
        return services.save_theme(funding_round=funding_round, by=by, reason=reason, **values)
    if kind == "delete_theme":
        funding_round.applications.update(theme=None)
        return services.delete_theme(theme=funding_round.themes.get(), by=by, reason=reason)
    funding_round.applications.update(tier=None)
    return services.delete_tier(tier=funding_round.tiers.get(), by=by, reason=reason)


def _rules(funding_round):
    funding_round.refresh_from_db()
    return (
        funding_round.min_prefectures, funding_round.consortium_allowed,
        list(funding_round.allowed_legal_forms), funding_round.max_award_years,
        list(Theme.objects.filter(funding_round=funding_round).values_list("number", "title_ja")),
        list(ScaleTier.objects.filter(funding_round=funding_round).values_list("code", "ceiling_yen")),
        funding_round.events.count(),
    )


@pytest.mark.parametrize(("kind", "values"), RULE_CHANGES)
def test_live_round_with_applications_needs_a_reason(live_round, officer, kind, values):
    before = _rules(live_round)

    with pytest.raises(DomainError) as refused:
        _change(kind, live_round, officer, values, reason="  ")

    assert (refused.value.code, refused.value.field) == ("reason_required", "reason")
    assert _rules(live_round) == before


@pytest.mark.parametrize(("kind", "values"), RULE_CHANGES)
def test_change_with_a_reason_is_kept_in_the_history(live_round, officer, kind, values):
    _change(kind, live_round, officer, values, reason="事務局の運用変更のため")

    event = live_round.events.get()
    assert event.reason == "事務局の運用変更のため"
    assert event.actor == officer
    assert _rules(live_round)[-1] == 1


def test_round_field_change_records_old_and_new_values(live_round, officer):
    services.update_round(funding_round=live_round, by=officer, reason="全国展開のため", min_prefectures=2)
    event = live_round.events.get()
    assert (event.action, event.changes) == ("changed", {"min_prefectures": [1, 2]})


def test_ceiling_change_records_old_and_new_values(live_round, officer):
    services.save_tier(funding_round=live_round, by=officer, tier=live_round.tiers.get(),
                       ceiling_yen=2_500_000, reason="予算増額")
    event = live_round.events.get()
    assert event.changes == {"tier": "municipal", "ceiling_yen": [2_000_000, 2_500_000]}


def test_open_round_without_applications_changes_without_a_reason(open_round, officer):
    services.update_round(funding_round=open_round, by=officer, min_prefectures=2)
    open_round.refresh_from_db()
    assert open_round.min_prefectures == 2
    assert open_round.events.get().reason == ""


def test_title_change_of_a_live_round_needs_no_reason(live_round, officer):
    services.update_round(funding_round=live_round, by=officer, title_en="Renamed call")
    live_round.refresh_from_db()
    assert live_round.title_en == "Renamed call"


# --- Transitions -----------------------------------------------------------------------

ACTIONS = {
    Status.OPEN: services.open_round,
    Status.CLOSED: services.close_round,
    Status.REVIEWING: services.start_review,
    Status.DECIDED: services.mark_round_decided,
    Status.ARCHIVED: services.archive_round,
}


@pytest.mark.parametrize("source", list(Status))
@pytest.mark.parametrize("target", list(ACTIONS))
def test_transitions_follow_the_table(draft_round, officer, source, target):
    FundingRound.objects.filter(pk=draft_round.pk).update(status=source)
    allowed = target in FundingRound.TRANSITIONS.get(source, set())

    if allowed:
        ACTIONS[target](funding_round=draft_round, by=officer)
        draft_round.refresh_from_db()
        assert draft_round.status == target
        event = draft_round.events.get()
        assert (event.from_status, event.to_status) == (source, target)
    else:
        with pytest.raises(DomainError) as refused:
            ACTIONS[target](funding_round=draft_round, by=officer)
        assert refused.value.code == "bad_transition"
        draft_round.refresh_from_db()
        assert draft_round.status == source
        assert not draft_round.events.exists()


def test_archived_round_cannot_be_changed(draft_round, officer):
    FundingRound.objects.filter(pk=draft_round.pk).update(status=Status.ARCHIVED)
    with pytest.raises(DomainError) as refused:
        services.update_round(funding_round=draft_round, by=officer, title_ja="変更")
    assert refused.value.code == "round_archived"


# --- Copy ------------------------------------------------------------------------------


def test_copy_round_makes_next_years_draft(programme, officer):
    source = FundingRoundFactory(
        programme=programme, fiscal_year=2023, status=Status.DECIDED,
        title_ja="令和5年度 モデル調査 公募", title_en="FY2023 model study call",
        opens_at=jst(2023, 4, 28, 10), closes_at=jst(2023, 5, 31, 17),
        allowed_legal_forms=["npo", "voluntary"], consortium_allowed=True, min_prefectures=2,
    )
    ThemeFactory(funding_round=source, number=1, title_ja="居場所", min_awards=5, max_awards=7)
    ScaleTierFactory(funding_round=source, code="municipal", ceiling_yen=2_000_000)
    source.expense_categories.add(ExpenseCategoryFactory(code="travel"))

    copy = services.copy_round(source=source, by=officer)

    assert (copy.status, copy.fiscal_year, copy.copied_from) == (Status.DRAFT, 2024, source)
    assert (copy.title_ja, copy.title_en) == ("令和6年度 モデル調査 公募", "FY2024 model study call")
    assert (copy.opens_at, copy.closes_at) == (jst(2024, 4, 28, 10), jst(2024, 5, 31, 17))
    assert (copy.allowed_legal_forms, copy.consortium_allowed, copy.min_prefectures) == (
        ["npo", "voluntary"], True, 2
    )
    assert list(copy.themes.values_list("number", "title_ja", "min_awards", "max_awards")) == [
        (1, "居場所", 5, 7)
    ]
    assert list(copy.tiers.values_list("code", "ceiling_yen")) == [("municipal", 2_000_000)]
    assert list(copy.expense_categories.values_list("code", flat=True)) == ["travel"]
    assert copy.events.get().action == "copied"
    source.refresh_from_db()
    assert source.status == Status.DECIDED
    assert source.themes.count() == 1


def test_copy_round_to_a_chosen_year(draft_round, officer):
    copy = services.copy_round(source=draft_round, by=officer, fiscal_year=2030)
    assert copy.fiscal_year == 2030
    assert copy.opens_at.year - draft_round.opens_at.year == 4


def test_copy_round_refuses_an_impossible_year(draft_round, officer):
    with pytest.raises(DomainError) as refused:
        services.copy_round(source=draft_round, by=officer, fiscal_year=1999)
    assert refused.value.field == "fiscal_year"
    assert FundingRound.objects.count() == 1


@pytest.mark.parametrize("part", ["theme", "tier"])
def test_part_chosen_by_an_application_cannot_be_removed(live_round, officer, part):
    before = _rules(live_round)
    with pytest.raises(DomainError) as refused:
        if part == "theme":
            services.delete_theme(theme=live_round.themes.get(), by=officer, reason="不要")
        else:
            services.delete_tier(tier=live_round.tiers.get(), by=officer, reason="不要")
    assert refused.value.code == f"{part}_in_use"
    assert _rules(live_round) == before
