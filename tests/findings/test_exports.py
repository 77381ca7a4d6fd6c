"""Spreadsheet exports: formula injection is neutralised; the files hold
the rows the user may see."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.findings.services import create_finding
from tests.factories import FindingFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

DANGEROUS = ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("text", DANGEROUS)
def test_findings_csv_and_xlsx_neutralise_formulas(client, officer, programme, text):
    FindingFactory(programme=programme, statement=text)
    client.force_login(officer)

    rows = _csv(client.get(reverse("reporting:export", args=["findings", "csv"])))
    xlsx = client.get(reverse("reporting:export", args=["findings", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active

    assert rows[1][2] == "'" + text
    # NOTE: the XLSX format stores a carriage return as a line feed.
    assert sheet.cell(row=2, column=3).value == "'" + text.replace("\r", "\n")


def test_award_export_neutralises_organisation_names(client, oversight, portfolio):
    organisation = portfolio.award_b.organisation
    organisation.name = "=cmd|' /C calc'!A0"
    organisation.save()
    client.force_login(oversight)

    rows = _csv(client.get(reverse("reporting:export", args=["awards", "csv"])))
    opened = _csv(client.get(reverse("reporting:open_data", args=["csv"])))

    assert "'=cmd|' /C calc'!A0" in [row[5] for row in rows[1:]]
    assert "'=cmd|' /C calc'!A0" in [row[10] for row in opened[1:]]


def test_findings_export_follows_the_filters(client, oversight, programme, portfolio, officer):
    create_finding(programme=portfolio.programme, by=officer, data={
        "kind": "problem", "statement": "男性の参加が少ない。", "fiscal_year": 2026,
        "award": portfolio.award_a,
    }, evidence=[{"report": portfolio.reports["a_annual_2026"], "field": "problems",
                  "quote": "男性の参加が少ない"}])
    FindingFactory(programme=ProgrammeFactory(), kind="outcome", statement="別の事業")
    client.force_login(oversight)

    rows = _csv(client.get(reverse("reporting:export", args=["findings", "csv"]),
                           {"kind": "problem"}))

    assert [row[2] for row in rows[1:]] == ["男性の参加が少ない。"]
    assert portfolio.award_a.award_number in rows[1][10]  # the evidence names the report


def test_reports_export_marks_what_counts(client, oversight, portfolio):
    client.force_login(oversight)

    rows = _csv(client.get(reverse("reporting:export", args=["reports", "csv"])))

    # Four reports were handed in; three annual ones count in the totals.
    assert len(rows) == 5
    assert sum(int(row[8]) for row in rows[1:] if row[10] in ("Yes", "はい")) == 270
