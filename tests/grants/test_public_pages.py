"""Public round pages: home and round detail, for anyone, in ja and en."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import FundingRound

from ..factories import (
    ExpenseCategoryFactory,
    FundingRoundFactory,
    OpenRoundFactory,
    ScaleTierFactory,
    ThemeFactory,
)
from .conftest import PERSONAS, jst, login, persona_user

Status = FundingRound.Status


@pytest.fixture
def fy2023_round(programme):
    """Programme A's FY2023 call as DOMAIN.md states it (published, decided)."""
    funding_round = FundingRoundFactory(
        programme=programme, fiscal_year=2023, status=Status.DECIDED,
        title_ja="令和5年度 取組モデル調査 公募", title_en="FY2023 community model call",
        opens_at=jst(2023, 4, 28, 10), closes_at=jst(2023, 5, 31, 17), budget_yen=115_000_000,
        max_award_years=1, allowed_legal_forms=["npo", "voluntary"], min_prefectures=1,
    )
    ThemeFactory(funding_round=funding_round, number=1,
                 title_ja="誰もが気軽に参加できる地域のゆるやかなつながりの場づくり",
                 title_en="Loose community ties anyone can join",
                 example_activities="スポーツ・文化・芸術を通じた多世代交流", min_awards=5, max_awards=7)
    ScaleTierFactory(funding_round=funding_round, code="municipal", name_ja="市区町村区域想定",
                     name_en="Municipal area", ceiling_yen=2_000_000)
    ScaleTierFactory(funding_round=funding_round, code="school", name_ja="小学校区や自治会等の区域想定",
                     name_en="School district", ceiling_yen=500_000)
    funding_round.expense_categories.add(ExpenseCategoryFactory(code="honoraria"))
    return funding_round


def test_home_lists_accepting_and_upcoming_rounds_by_phase(client, programme):
    accepting = OpenRoundFactory(programme=programme, title_ja="受付中の公募")
    upcoming = OpenRoundFactory(
        programme=programme, title_ja="近日公開の公募",
        opens_at=timezone.now() + timedelta(days=7), closes_at=timezone.now() + timedelta(days=30),
    )
    FundingRoundFactory(programme=programme, title_ja="下書きの公募")
    OpenRoundFactory(programme=programme, title_ja="締切済みの公募",
                     opens_at=timezone.now() - timedelta(days=30),
                     closes_at=timezone.now() - timedelta(minutes=1))
    OpenRoundFactory(programme=programme, title_ja="終了した公募", status=Status.CLOSED)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["accepting"] == [accepting]
    assert response.context["upcoming"] == [upcoming]
    html = response.content.decode()
    assert "受付中の公募" in html and "近日公開の公募" in html
    assert "下書きの公募" not in html and "締切済みの公募" not in html and "終了した公募" not in html
    # Phase in words, not only colour.
    assert html.index('id="accepting-heading"') < html.index("受付中の公募") < html.index(
        'id="upcoming-heading"') < html.index("近日公開の公募")
    assert 'class="badge phase-upcoming"' in html and 'class="badge phase-accepting"' in html


def test_round_detail_shows_the_call(client, fy2023_round):
    response = client.get(reverse("grants:round_detail", args=[fy2023_round.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "令和5年度 取組モデル調査 公募" in html
    assert "誰もが気軽に参加できる地域のゆるやかなつながりの場づくり" in html
    assert "スポーツ・文化・芸術を通じた多世代交流" in html
    assert "5～7件" in html  # target number of awards (採択件数)
    assert "2,000,000円" in html and "200万円" in html
    assert "500,000円" in html and "50万円" in html
    assert "115,000,000円" in html and "1億1,500万円" in html
    assert "令和5年度" in html and "2023" in html
    assert "令和5年5月31日 17:00 (JST)" in html  # deadlines carry the era (issue 13)
    assert "謝金" in html
    assert "NPO法人" in html and "任意団体" in html


def test_round_detail_in_english_when_switched(client, fy2023_round):
    client.cookies["django_language"] = "en"

    response = client.get(reverse("grants:round_detail", args=[fy2023_round.pk]))

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "FY2023 community model call" in html
    assert "Loose community ties anyone can join" in html
    assert "¥2,000,000" in html and "200万円" in html
    assert "31 May 2023, 17:00 (JST)" in html
    assert "令和5年度" in html


def test_language_switch_through_set_language(client, fy2023_round):
    url = reverse("grants:round_detail", args=[fy2023_round.pk])
    response = client.post(reverse("set_language"), {"language": "en", "next": url}, follow=True)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "FY2023 community model call" in response.content.decode()


def test_home_in_english_shows_english_titles(client, programme):
    OpenRoundFactory(programme=programme, title_ja="受付中の公募", title_en="Call accepting now")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html and "Call accepting now" in html
    assert "受付中の公募" not in html


def test_nationwide_and_consortium_rules_are_spelled_out(client, programme):
    funding_round = OpenRoundFactory(programme=programme, consortium_allowed=True, min_prefectures=2,
                                     allowed_legal_forms=[])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("grants:round_detail", args=[funding_round.pk])).content.decode()
    assert "Must span at least 2 prefectures; a nationwide activity area also qualifies." in html
    assert "Yes: a lead organisation may apply with member organisations." in html
    assert "All legal forms, including unincorporated voluntary groups" in html


DRAFT_VISIBLE = {"oversight", "other_officer", "officer"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_draft_round_is_404_outside_staff_and_oversight(client, request, programme, persona):
    draft = FundingRoundFactory(programme=programme, title_ja="未公開の公募")
    login(client, persona_user(request, persona))

    response = client.get(reverse("grants:round_detail", args=[draft.pk]))

    assert response.status_code == (200 if persona in DRAFT_VISIBLE else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_published_round_is_public(client, request, fy2023_round, persona):
    login(client, persona_user(request, persona))
    response = client.get(reverse("grants:round_detail", args=[fy2023_round.pk]))
    assert response.status_code == 200
    edit_url = reverse("grants:round_edit", args=[fy2023_round.pk])
    assert (f'href="{edit_url}"' in response.content.decode()) == (persona == "officer")


def test_round_leaves_the_home_page_at_its_deadline(client, programme):
    import time_machine

    OpenRoundFactory(programme=programme, title_ja="締切間近の公募",
                     opens_at=jst(2026, 5, 1, 10), closes_at=jst(2026, 5, 31, 17))
    with time_machine.travel(jst(2026, 5, 31, 16, 59), tick=False):
        assert "締切間近の公募" in client.get(reverse("home")).content.decode()
    with time_machine.travel(jst(2026, 5, 31, 17, 0), tick=False):
        assert "締切間近の公募" not in client.get(reverse("home")).content.decode()
    with time_machine.travel(jst(2026, 4, 30, 12), tick=False):
        response = client.get(reverse("home"))
        assert [r.title_ja for r in response.context["upcoming"]] == ["締切間近の公募"]


def test_accepting_round_links_to_the_application_form(client, programme):
    accepting = OpenRoundFactory(programme=programme)
    closed = OpenRoundFactory(programme=programme, status=Status.CLOSED)
    apply_href = f'{reverse("applications:new")}?round={accepting.pk}'
    assert apply_href in client.get(reverse("grants:round_detail", args=[accepting.pk])).content.decode()
    closed_html = client.get(reverse("grants:round_detail", args=[closed.pk])).content.decode()
    assert f'{reverse("applications:new")}?round=' not in closed_html
