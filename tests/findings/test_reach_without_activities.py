"""A report handed in with feature tags but no activity rows still counts:
its award appears under its feature tags and prefectures (with 0
participants), as it does under its theme, and nothing is counted twice."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.vocab import LegalForm
from tests.factories import AwardFactory, HandedInReportFactory, OrganisationFactory

from .conftest import TOTAL_PARTICIPANTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def award_c(portfolio):
    """A Fukuoka (40) voluntary group whose FY2026 annual report lists
    features but no activities."""
    award = AwardFactory(
        application__funding_round=portfolio.funding_round,
        application__organisation=OrganisationFactory(
            name="博多みまもり会", prefecture="40", legal_form=LegalForm.VOLUNTARY,
            corporate_number=""),
        application__prefectures=["40"], start_on=date(2026, 4, 1),
    )
    HandedInReportFactory(award=award, kind="annual", fiscal_year=2026, activities=[],
                          feature_tags=["role_creation", "loose_participation"])
    return award


def _outcomes(officer, **params):
    client = APIClient()
    client.force_authenticate(officer)
    response = client.get(reverse("v1:outcomes"), params)
    assert response.status_code == 200
    return response.json()


def test_feature_tags_and_prefectures_count_a_report_without_activities(officer, award_c):
    figures = _outcomes(officer)

    tags = {r["code"]: (r["participants"], r["awards"]) for r in figures["by_feature_tag"]}
    prefectures = {r["code"]: (r["participants"], r["awards"]) for r in figures["by_prefecture"]}
    assert tags == {"loose_participation": (230, 2), "multi_generation": (150, 1),
                    "role_creation": (0, 1)}
    assert prefectures == {"13": (230, 1), "27": (40, 1), "40": (0, 1)}
    [theme] = figures["by_theme"]
    assert (theme["awards"], theme["reporting_awards"], theme["participants"]) == (
        3, 3, TOTAL_PARTICIPANTS)
    assert figures["totals"]["awards"] == 3
    assert figures["totals"]["participants"] == TOTAL_PARTICIPANTS
    assert [(r["fiscal_year"], r["participants"], r["awards"])
            for r in figures["by_fiscal_year"]] == [(2026, 190, 3), (2027, 80, 1)]


def test_the_fiscal_year_filter_keeps_the_report_without_activities(officer, award_c):
    figures = _outcomes(officer, fiscal_year=2026)

    tags = {r["code"]: r["awards"] for r in figures["by_feature_tag"]}
    assert tags == {"loose_participation": 2, "multi_generation": 1, "role_creation": 1}
    assert {r["code"] for r in figures["by_prefecture"]} == {"13", "27", "40"}

    later = _outcomes(officer, fiscal_year=2027)
    assert {r["code"] for r in later["by_prefecture"]} == {"13"}
    assert {r["code"] for r in later["by_feature_tag"]} == {"loose_participation"}
