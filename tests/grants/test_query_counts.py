"""List pages run the same number of queries for 3 rounds as for 12."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import FundingRoundFactory, OpenRoundFactory, ScaleTierFactory
from .conftest import add_application


def _rounds(programme, n):
    for _ in range(n):
        funding_round = OpenRoundFactory(programme=programme)
        ScaleTierFactory(funding_round=funding_round, code="school", ceiling_yen=500_000)
        add_application(funding_round)
        FundingRoundFactory(programme=programme)  # a draft


def _count(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_home_queries_do_not_grow(client, officer, programme):
    client.force_login(officer)
    _rounds(programme, 3)
    few, html = _count(client, reverse("home"))
    assert html.count("500,000円") == 3

    _rounds(programme, 9)
    many, html = _count(client, reverse("home"))

    assert html.count("500,000円") == 12
    assert many == few


def test_staff_round_list_queries_do_not_grow(client, officer, programme):
    client.force_login(officer)
    _rounds(programme, 3)
    few, html = _count(client, reverse("grants:staff_round_list"))
    assert html.count('<th scope="row">') == 6

    _rounds(programme, 9)
    many, html = _count(client, reverse("grants:staff_round_list"))

    assert html.count('<th scope="row">') == 24
    assert many == few


def test_public_round_list_queries_do_not_grow_for_anonymous(client, programme):
    _rounds(programme, 3)
    few, _html = _count(client, reverse("home"))
    _rounds(programme, 9)
    many, _html = _count(client, reverse("home"))
    assert many == few
