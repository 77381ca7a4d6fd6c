"""The dashboard, the findings list and the outcomes endpoint run the same
number of queries for 3 awards as for 12."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from reporting.findings.services import create_finding
from reporting.models import FeatureTag
from tests.factories import (
    AwardFactory,
    HandedInReportFactory,
    OpenRoundFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_awards(programme, officer):
    funding_round = OpenRoundFactory(programme=programme, fiscal_year=2026)
    TargetGroupFactory(code="older_alone")
    tags = list(FeatureTag.objects.all()[:2])

    def add(n):
        for _ in range(n):
            award = AwardFactory(application__funding_round=funding_round,
                                 start_on=date(2026, 4, 1))
            report = HandedInReportFactory(
                award=award, fiscal_year=2026, feature_tags=[t.code for t in tags],
                activities=[{"name": "居場所", "participants_total": 10,
                             "participants_by_group": {"older_alone": 4}}])
            create_finding(
                programme=programme, by=officer,
                data={"kind": "outcome", "statement": "見守りが生まれた。", "fiscal_year": 2026,
                      "award": award, "feature_tags": tags, "prefectures": ["13"]},
                evidence=[{"report": report, "field": "outcomes", "quote": "見守りが生まれた"},
                          {"indicator_actual": report.indicator_actuals.get()}],
            )

    return add


def _count(get, url) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = get(url)
    assert response.status_code == 200
    return len(queries), response.content


PAGES = ["reporting:dashboard", "reporting:findings"]
EXPORTS = [("reporting:export", ["awards", "csv"]), ("reporting:export", ["reports", "csv"]),
           ("reporting:export", ["findings", "xlsx"]), ("reporting:open_data", ["json"])]
API = ["v1:outcomes", "v1:finding-list"]


def _counts(client, api) -> dict:
    counts = {}
    for name in PAGES:
        counts[name], counts[f"{name}:body"] = _count(client.get, reverse(name))
    for name, args in EXPORTS:
        counts[f"{name}{args}"] = _count(client.get, reverse(name, args=args))[0]
    for name in API:
        counts[name], counts[f"{name}:body"] = _count(api.get, reverse(name))
    return counts


def test_queries_do_not_grow_with_awards(client, oversight, add_awards):
    client.force_login(oversight)
    api = APIClient()
    api.force_authenticate(oversight)
    add_awards(3)
    few = _counts(client, api)
    assert 'data-total="participants">30<' in few["reporting:dashboard:body"].decode()

    add_awards(9)
    many = _counts(client, api)

    assert 'data-total="participants">120<' in many["reporting:dashboard:body"].decode()
    assert many["reporting:findings:body"].decode().count(
        '<th scope="row"><a href="/reporting/findings/') == 12
    assert b'"participants":120' in many["v1:outcomes:body"]
    assert b'"count":12' in many["v1:finding-list:body"]
    for key, value in few.items():
        if not key.endswith(":body"):
            assert many[key] == value, key
