"""The award list sorts, and its CSV and Excel exports list the same rows in
the same order as the screen (issue 13), whatever sort is chosen."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.queries import AWARD_SORTS
from tests.factories import AwardFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("reporting:award_list")


@pytest.fixture
def awards(programme):
    made = []
    for fiscal_year, name in [(2025, "あおぞら会"), (2026, "ひだまり"), (2026, "NPO法人 縁側"),
                              (2025, "まちの居場所")]:
        made.append(AwardFactory(
            application__funding_round__programme=programme,
            application__funding_round__fiscal_year=fiscal_year,
            application__organisation=OrganisationFactory(name=name)))
    return made


def _page(client, params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [a.award_number for a in response.context["awards"]]


def _csv(client, params) -> list[str]:
    response = client.get(reverse("reporting:export", args=["awards", "csv"]), params)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [row[0] for row in rows[1:]]


def _xlsx(client, params) -> list[str]:
    response = client.get(reverse("reporting:export", args=["awards", "xlsx"]), params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("sort", [None, *AWARD_SORTS])
def test_exports_follow_the_sort_of_the_page(client, oversight, awards, sort):
    client.force_login(oversight)
    params = {"sort": sort} if sort else {}
    on_screen = _page(client, params)
    assert len(on_screen) == 4
    assert _csv(client, params) == on_screen
    assert _xlsx(client, params) == on_screen


def test_sorts_change_the_order(client, oversight, awards):
    client.force_login(oversight)
    newest = _page(client, {"sort": "-fiscal_year"})
    assert newest == _page(client, {})
    assert newest[:2] == sorted(a.award_number for a in awards
                                if a.funding_round.fiscal_year == 2026)
    assert _page(client, {"sort": "fiscal_year"})[:2] == sorted(
        a.award_number for a in awards if a.funding_round.fiscal_year == 2025)
    by_name = _page(client, {"sort": "organisation"})
    assert by_name == [a.award_number for a in sorted(awards, key=lambda a: a.organisation.name)]
    assert _page(client, {"sort": "-organisation"}) == by_name[::-1]


def test_export_keeps_the_list_filters(client, oversight, awards):
    awards[1].organisation.prefecture = "27"
    awards[1].organisation.save()
    client.force_login(oversight)
    params = {"prefecture": "27", "sort": "award_number"}
    assert _page(client, params) == _csv(client, params) != []
    assert awards[1].award_number in _csv(client, params)


def test_sort_labels_are_in_japanese_and_export_links_carry_the_query(client, oversight, awards):
    client.force_login(oversight)
    body = client.get(LIST, {"sort": "-paid_yen"}, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "descending" not in body and "newest first" not in body
    assert "年度（新しい順）" in body
    assert reverse("reporting:export", args=["awards", "csv"]) + "?sort=-paid_yen" in body
