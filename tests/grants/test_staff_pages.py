"""Staff round pages: who may open them, and what they do through the services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import FundingRound, ScaleTier, Theme

from ..factories import FundingRoundFactory, OpenRoundFactory
from .conftest import PERSONAS, add_application, login, persona_user

Status = FundingRound.Status


def _round_pages(funding_round):
    theme = funding_round.themes.first()
    tier = funding_round.tiers.first()
    pk = funding_round.pk
    return {
        "round_edit": reverse("grants:round_edit", args=[pk]),
        "round_copy": reverse("grants:round_copy", args=[pk]),
        "theme_add": reverse("grants:theme_add", args=[pk]),
        "theme_edit": reverse("grants:theme_edit", args=[pk, theme.pk]),
        "theme_delete": reverse("grants:theme_delete", args=[pk, theme.pk]),
        "tier_add": reverse("grants:tier_add", args=[pk]),
        "tier_edit": reverse("grants:tier_edit", args=[pk, tier.pk]),
        "tier_delete": reverse("grants:tier_delete", args=[pk, tier.pk]),
    }


CHANGE_PAGES = [
    "round_edit", "round_copy", "theme_add", "theme_edit", "theme_delete", "tier_add", "tier_edit",
    "tier_delete",
]


def _expected_change_status(persona, is_draft):
    if persona == "anonymous":
        return 302
    if persona == "officer":
        return 200
    if is_draft and persona in ("applicant", "outsider", "reviewer"):
        return 404
    return 403


@pytest.mark.parametrize("is_draft", [True, False], ids=["draft", "published"])
@pytest.mark.parametrize("page", CHANGE_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_change_pages_by_persona(client, request, draft_round, persona, page, is_draft):
    if not is_draft:
        FundingRound.objects.filter(pk=draft_round.pk).update(status=Status.OPEN)
    login(client, persona_user(request, persona))

    response = client.get(_round_pages(draft_round)[page])

    assert response.status_code == _expected_change_status(persona, is_draft)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("is_draft", [True, False], ids=["draft", "published"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_history_page_by_persona(client, request, draft_round, persona, is_draft):
    if not is_draft:
        FundingRound.objects.filter(pk=draft_round.pk).update(status=Status.OPEN)
    login(client, persona_user(request, persona))

    response = client.get(reverse("grants:round_history", args=[draft_round.pk]))

    expected = {
        "anonymous": 302, "officer": 200, "other_officer": 200, "oversight": 200,
    }.get(persona, 404 if is_draft else 403)
    assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_round_list_by_persona(client, request, draft_round, persona):
    login(client, persona_user(request, persona))
    response = client.get(reverse("grants:staff_round_list"))
    expected = {"anonymous": 302, "officer": 200, "other_officer": 200, "oversight": 200}
    assert response.status_code == expected.get(persona, 403)
    if response.status_code == 200:
        html = response.content.decode()
        assert draft_round.title_ja in html
        edit_link = f'href="{reverse("grants:round_edit", args=[draft_round.pk])}"'
        assert (edit_link in html) == (persona == "officer")


@pytest.mark.parametrize("persona", PERSONAS)
def test_round_create_page_by_persona(client, request, programme, persona):
    login(client, persona_user(request, persona))
    response = client.get(reverse("grants:round_create"))
    assert response.status_code == {"anonymous": 302, "officer": 200}.get(persona, 403)


@pytest.mark.parametrize("persona", ["applicant", "reviewer", "oversight", "other_officer"])
def test_refused_posts_change_nothing(client, request, draft_round, persona):
    FundingRound.objects.filter(pk=draft_round.pk).update(status=Status.OPEN)
    login(client, persona_user(request, persona))
    pages = _round_pages(draft_round)

    responses = [
        client.post(reverse("grants:round_transition", args=[draft_round.pk]), {"action": "close"}),
        client.post(pages["round_edit"], {"title_ja": "乗っ取り"}),
        client.post(pages["theme_delete"], {"reason": "x"}),
        client.post(pages["tier_edit"], {"code": "x", "name_ja": "x", "ceiling_yen": "1", "sort_order": "0"}),
        client.post(pages["round_copy"], {"fiscal_year": "2030"}),
    ]

    assert {r.status_code for r in responses} == {403}
    draft_round.refresh_from_db()
    assert draft_round.status == Status.OPEN
    assert draft_round.title_ja != "乗っ取り"
    assert draft_round.themes.count() == 1
    assert draft_round.tiers.get().code == "municipal"
    assert FundingRound.objects.count() == 1
    assert not draft_round.events.exists()


# --- What the pages do ------------------------------------------------------------------


def _round_post(**overrides):
    data = {
        "fiscal_year": "2026",
        "title_ja": "令和8年度 モデル調査 公募",
        "title_en": "FY2026 model study call",
        "opens_at": "2026-04-28T10:00",
        "closes_at": "2026-05-31T17:00",
        "budget_yen": "115,000,000",
        "max_award_years": "2",
        "ceiling_basis": "per_fiscal_year",
        "expense_categories": [],
        "allowed_legal_forms": ["npo", "voluntary"],
        "min_prefectures": "1",
        "budget_change_threshold_percent": "20",
    }
    data.update(overrides)
    return data


def test_officer_creates_a_draft_round(client, officer, programme):
    client.force_login(officer)
    from grants.models import ExpenseCategory

    categories = list(ExpenseCategory.objects.filter(code__in=["personnel", "travel"]))
    response = client.post(reverse("grants:round_create"), _round_post(
        programme=str(programme.pk), expense_categories=[str(c.pk) for c in categories],
    ))

    funding_round = FundingRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:round_edit", args=[funding_round.pk])
    assert funding_round.status == Status.DRAFT
    assert funding_round.budget_yen == 115_000_000
    # datetime-local is read in Japan time.
    assert timezone.localtime(funding_round.closes_at).isoformat() == "2026-05-31T17:00:00+09:00"
    assert funding_round.closes_at.utcoffset() is not None
    assert sorted(funding_round.expense_categories.values_list("code", flat=True)) == ["personnel", "travel"]
    assert funding_round.allowed_legal_forms == ["npo", "voluntary"]
    assert funding_round.events.get().action == "created"


def test_create_page_cannot_place_a_round_in_another_programme(client, officer, programme):
    from ..factories import ProgrammeFactory

    foreign = ProgrammeFactory()
    client.force_login(officer)
    response = client.post(reverse("grants:round_create"), _round_post(programme=str(foreign.pk)))
    assert response.status_code == 200
    assert "programme" in response.context["form"].errors
    assert not FundingRound.objects.exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"closes_at": "2026-04-01T09:00"}, "closes_at"),
    ({"budget_yen": "0"}, "budget_yen"),
    ({"budget_yen": "1.5"}, "budget_yen"),
])
def test_create_page_shows_rule_errors_next_to_the_field(client, officer, programme, overrides, field):
    client.force_login(officer)
    response = client.post(reverse("grants:round_create"),
                           _round_post(programme=str(programme.pk), **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not FundingRound.objects.exists()


def test_edit_page_of_a_draft_lists_open_problems(client, officer, programme):
    funding_round = FundingRoundFactory(programme=programme)
    client.force_login(officer)
    response = client.get(reverse("grants:round_edit", args=[funding_round.pk]))
    assert len(response.context["problems"]) == 3
    assert 'id="problems-heading"' in response.content.decode()


def test_edit_page_saves_changes(client, officer, draft_round):
    client.force_login(officer)
    data = _round_post(
        fiscal_year=str(draft_round.fiscal_year), title_ja="改題した公募",
        opens_at=timezone.localtime(draft_round.opens_at).strftime("%Y-%m-%dT%H:%M"),
        closes_at=timezone.localtime(draft_round.closes_at).strftime("%Y-%m-%dT%H:%M"),
        expense_categories=[str(c.pk) for c in draft_round.expense_categories.all()],
        consortium_allowed="on", min_prefectures="2",
    )
    response = client.post(reverse("grants:round_edit", args=[draft_round.pk]), data)
    assert response.status_code == 302
    draft_round.refresh_from_db()
    assert (draft_round.title_ja, draft_round.consortium_allowed, draft_round.min_prefectures) == (
        "改題した公募", True, 2
    )


def _edit_data(funding_round, **overrides):
    data = _round_post(
        fiscal_year=str(funding_round.fiscal_year), title_ja=funding_round.title_ja,
        title_en=funding_round.title_en,
        opens_at=timezone.localtime(funding_round.opens_at).strftime("%Y-%m-%dT%H:%M"),
        closes_at=timezone.localtime(funding_round.closes_at).strftime("%Y-%m-%dT%H:%M"),
        budget_yen=str(funding_round.budget_yen), max_award_years=str(funding_round.max_award_years),
        expense_categories=[str(c.pk) for c in funding_round.expense_categories.all()],
        allowed_legal_forms=list(funding_round.allowed_legal_forms),
    )
    data.update(overrides)
    return data


def test_rule_change_of_a_live_round_needs_a_reason_on_the_page(client, officer, open_round):
    add_application(open_round)
    client.force_login(officer)
    url = reverse("grants:round_edit", args=[open_round.pk])
    # The seconds of the factory's times are lost in the form: align them.
    FundingRound.objects.filter(pk=open_round.pk).update(
        opens_at=open_round.opens_at.replace(second=0, microsecond=0),
        closes_at=open_round.closes_at.replace(second=0, microsecond=0),
    )
    open_round.refresh_from_db()

    refused = client.post(url, _edit_data(open_round, min_prefectures="2"))
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    open_round.refresh_from_db()
    assert open_round.min_prefectures == 1
    assert not open_round.events.exists()

    accepted = client.post(url, _edit_data(open_round, min_prefectures="2", reason="広域化のため"))
    assert accepted.status_code == 302
    open_round.refresh_from_db()
    assert open_round.min_prefectures == 2
    event = open_round.events.get()
    assert (event.reason, event.changes) == ("広域化のため", {"min_prefectures": [1, 2]})

    history = client.get(reverse("grants:round_history", args=[open_round.pk])).content.decode()
    assert "広域化のため" in history
    assert "1 → 2" in history
    assert officer.full_name in history


def test_ceiling_change_of_a_live_round_on_the_page(client, officer, open_round):
    add_application(open_round)
    tier = open_round.tiers.get()
    client.force_login(officer)
    url = reverse("grants:tier_edit", args=[open_round.pk, tier.pk])
    data = {"code": tier.code, "name_ja": tier.name_ja, "name_en": tier.name_en,
            "area_description": "", "ceiling_yen": "２，５００，０００", "sort_order": "0"}

    refused = client.post(url, data)
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    tier.refresh_from_db()
    assert tier.ceiling_yen == 2_000_000

    accepted = client.post(url, {**data, "reason": "単価上昇"})
    assert accepted.status_code == 302
    tier.refresh_from_db()
    assert tier.ceiling_yen == 2_500_000
    history = client.get(reverse("grants:round_history", args=[open_round.pk])).content.decode()
    assert "2,000,000円 → 2,500,000円" in history and "単価上昇" in history


def test_theme_add_edit_and_delete_pages(client, officer, draft_round):
    client.force_login(officer)
    add = client.post(reverse("grants:theme_add", args=[draft_round.pk]), {
        "number": "2", "title_ja": "自然に足が向く地域の居場所の提供", "example_activities": "メンズシェッド",
        "min_awards": "1", "max_awards": "2",
    })
    assert add.status_code == 302
    theme = draft_round.themes.get(number=2)
    assert (theme.min_awards, theme.max_awards) == (1, 2)

    edit = client.post(reverse("grants:theme_edit", args=[draft_round.pk, theme.pk]), {
        "number": "2", "title_ja": theme.title_ja, "min_awards": "3", "max_awards": "2",
    })
    assert edit.status_code == 200 and "min_awards" in edit.context["form"].errors

    delete = client.post(reverse("grants:theme_delete", args=[draft_round.pk, theme.pk]), {})
    assert delete.status_code == 302
    assert not Theme.objects.filter(pk=theme.pk).exists()
    assert list(draft_round.events.values_list("action", flat=True).order_by("id")) == [
        "theme_added", "theme_removed"
    ]


def test_tier_add_page_refuses_zero_ceiling(client, officer, draft_round):
    client.force_login(officer)
    response = client.post(reverse("grants:tier_add", args=[draft_round.pk]), {
        "code": "school", "name_ja": "小学校区", "ceiling_yen": "0", "sort_order": "10",
    })
    assert response.status_code == 200 and "ceiling_yen" in response.context["form"].errors
    assert not ScaleTier.objects.filter(code="school").exists()


def test_theme_of_another_round_is_404(client, officer, draft_round, programme):
    other = OpenRoundFactory(programme=programme)
    client.force_login(officer)
    url = reverse("grants:theme_edit", args=[draft_round.pk, other.themes.get().pk])
    assert client.get(url).status_code == 404


def test_transition_buttons_open_and_close_the_round(client, officer, draft_round):
    client.force_login(officer)
    url = reverse("grants:round_transition", args=[draft_round.pk])

    client.post(url, {"action": "open"})
    draft_round.refresh_from_db()
    assert draft_round.status == Status.OPEN

    client.post(url, {"action": "close", "reason": "予定数に達したため"})
    draft_round.refresh_from_db()
    assert draft_round.status == Status.CLOSED
    assert draft_round.events.order_by("-id").first().reason == "予定数に達したため"


def test_refused_transition_shows_the_reason_and_changes_nothing(client, officer, programme):
    incomplete = FundingRoundFactory(programme=programme)
    client.force_login(officer)
    response = client.post(reverse("grants:round_transition", args=[incomplete.pk]),
                           {"action": "open"}, follow=True)
    incomplete.refresh_from_db()
    assert incomplete.status == Status.DRAFT
    assert not incomplete.events.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_unknown_transition_is_a_bad_request(client, officer, draft_round):
    client.force_login(officer)
    response = client.post(reverse("grants:round_transition", args=[draft_round.pk]), {"action": "explode"})
    assert response.status_code == 400


def test_transition_get_only_asks_for_confirmation(client, officer, draft_round):
    client.force_login(officer)
    url = reverse("grants:round_transition", args=[draft_round.pk])
    assert client.get(url).status_code == 400  # no action: nothing to confirm
    response = client.get(url, {"action": "open", "reason": "公募開始"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="action" value="open"' in body and 'method="post"' in body
    assert "公募開始" in body  # the note typed on the round page is kept
    draft_round.refresh_from_db()
    assert draft_round.status == Status.DRAFT
    assert not draft_round.events.filter(action="status").exists()


def test_the_round_page_asks_before_moving_the_round(client, officer, draft_round):
    client.force_login(officer)
    body = client.get(reverse("grants:round_edit", args=[draft_round.pk])).content.decode()
    transition = reverse("grants:round_transition", args=[draft_round.pk])
    assert f'<form method="get" action="{transition}">' in body


def test_closing_confirmation_says_what_happens_in_japanese(client, officer, draft_round):
    FundingRound.objects.filter(pk=draft_round.pk).update(status=Status.OPEN)
    client.force_login(officer)
    response = client.get(reverse("grants:round_transition", args=[draft_round.pk]),
                          {"action": "close"}, HTTP_ACCEPT_LANGUAGE="ja")
    body = response.content.decode()
    assert "これ以上の申請の提出・再提出はできなくなります" in body
    assert "確定する: 受付終了" in body


@pytest.mark.parametrize("persona", ["applicant", "reviewer", "oversight", "other_officer"])
def test_the_confirmation_page_is_staff_only(client, request, draft_round, persona):
    login(client, persona_user(request, persona))
    response = client.get(reverse("grants:round_transition", args=[draft_round.pk]),
                          {"action": "open"})
    assert response.status_code in (403, 404)


def test_copy_page_makes_next_years_draft(client, officer, draft_round):
    client.force_login(officer)
    url = reverse("grants:round_copy", args=[draft_round.pk])
    assert client.get(url).context["form"].initial["fiscal_year"] == draft_round.fiscal_year + 1

    response = client.post(url, {"fiscal_year": str(draft_round.fiscal_year + 1)})

    copy = FundingRound.objects.exclude(pk=draft_round.pk).get()
    assert response["Location"] == reverse("grants:round_edit", args=[copy.pk])
    assert (copy.status, copy.fiscal_year, copy.copied_from_id) == (
        Status.DRAFT, draft_round.fiscal_year + 1, draft_round.pk
    )
    assert copy.opens_at - draft_round.opens_at >= timedelta(days=365)


def test_staff_list_counts_themes_tiers_and_applications(client, oversight, open_round):
    from ..factories import ScaleTierFactory, ThemeFactory

    ThemeFactory(funding_round=open_round, number=2)
    ScaleTierFactory(funding_round=open_round, code="school")
    add_application(open_round)
    add_application(open_round)
    client.force_login(oversight)

    rows = client.get(reverse("grants:staff_round_list")).context["rows"]

    ((funding_round, may_manage),) = rows
    assert (funding_round.theme_count, funding_round.tier_count, funding_round.application_count) == (2, 2, 2)
    assert may_manage is False


def test_staff_list_filters_by_status(client, officer, open_round, draft_round):
    client.force_login(officer)
    rows = client.get(reverse("grants:staff_round_list"), {"status": "draft"}).context["rows"]
    assert [r.pk for r, _may in rows] == [draft_round.pk]


def test_datetime_inputs_are_japan_time_whatever_the_active_zone(client, officer, programme, settings):
    from .conftest import jst

    settings.TIME_ZONE = "UTC"
    client.force_login(officer)
    client.post(reverse("grants:round_create"), _round_post(programme=str(programme.pk)))
    funding_round = FundingRound.objects.get()
    assert (funding_round.opens_at, funding_round.closes_at) == (jst(2026, 4, 28, 10), jst(2026, 5, 31, 17))
    page = client.get(reverse("grants:round_edit", args=[funding_round.pk])).content.decode()
    assert 'value="2026-05-31T17:00"' in page
