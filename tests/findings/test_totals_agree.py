"""The dashboard, the outcomes API, the CSV export and the model report PDF
show the same totals, and they equal the hand-computed portfolio."""

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reporting.exports import AWARD_KEYS
from reporting.model_report import build_model_report

from .conftest import TOTAL_PARTICIPANTS
from .helpers import dashboard_total, pdf_numbers

pytestmark = pytest.mark.django_db

# FY2026 alone: 120 + 30 + 40 participants; approved 2 × 1,000,000;
# paid 500,000; actual 2,000,000.
FY2026 = {"participants": 190, "approved_yen": 2_000_000, "paid_yen": 500_000,
          "actual_yen": 2_000_000, "awards": 2}


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]


@pytest.mark.parametrize("fiscal_year, expected", [
    (None, {"participants": TOTAL_PARTICIPANTS, "approved_yen": 4_000_000, "paid_yen": 500_000,
            "actual_yen": 3_000_000, "awards": 2}),
    (2026, FY2026),
])
def test_dashboard_api_and_csv_agree(client, oversight, portfolio, fiscal_year, expected):
    client.force_login(oversight)
    query = {"programme": portfolio.programme.pk}
    if fiscal_year:
        query["fiscal_year"] = fiscal_year

    html = client.get(reverse("reporting:dashboard"), query).content.decode()
    api = APIClient()
    api.force_authenticate(oversight)
    body = api.get(reverse("v1:outcomes"), query).json()
    rows = _csv_rows(client.get(reverse("reporting:export", args=["awards", "csv"]), query).content)

    for key, value in expected.items():
        assert dashboard_total(html, key) == value, key
        assert body["totals"][key] == value, key
    assert len(rows) == expected["awards"]
    for key in ("participants", "approved_yen", "paid_yen", "actual_yen"):
        column = AWARD_KEYS.index(key)
        assert sum(int(row[column]) for row in rows) == expected[key], key


def test_model_report_pdf_shows_the_same_totals(portfolio):
    pdf = build_model_report(portfolio.programme, 2026)

    numbers = pdf_numbers(pdf)
    for value in FY2026.values():
        assert value in numbers
    # Award A's 居場所 (120) and 訪問 (30) are listed with their reach.
    assert {120, 30, 40} <= numbers
    assert pdf.startswith(b"%PDF")


def test_model_report_of_the_second_year(portfolio):
    numbers = pdf_numbers(build_model_report(portfolio.programme, 2027))

    assert 80 in numbers
    assert 190 not in numbers
