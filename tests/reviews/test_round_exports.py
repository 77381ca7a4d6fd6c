"""The ranking and decisions pages link to each application and its reviews
and download as CSV and XLSX (formula-safe, the screen's order, real numbers
and dates), with a constant number of queries; scoped like the pages."""

import csv
from datetime import datetime
from io import BytesIO, StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reviews.services import record_decision
from tests.factories import ReviewAssignmentFactory, ReviewerFactory, submitted_review

pytestmark = pytest.mark.django_db


def export_url(funding_round, kind, fmt):
    return reverse("reviews:round_export", args=[funding_round.pk, kind, fmt])


def _reviewed(make_application, n, reviewers, **kwargs):
    from applications.models import Application

    while Application.objects.count() < n:
        application = make_application(status="under_review", **kwargs)
        for values, reviewer in zip(([4, 3], [2, 5]), reviewers, strict=True):
            submitted_review(ReviewAssignmentFactory(application=application, reviewer=reviewer),
                             values)


@pytest.fixture
def reviewed(make_application, rubric):
    reviewers = [ReviewerFactory(full_name="審査 一郎"), ReviewerFactory(full_name="審査 二郎")]
    strong = make_application(status="under_review", title="=HYPERLINK(\"x\")",
                              requested_yen=1_234_567)
    for values, reviewer in zip(([5, 5], [4, 5]), reviewers, strict=True):
        submitted_review(ReviewAssignmentFactory(application=strong, reviewer=reviewer), values)
    weak = make_application(status="under_review", title="縁側カフェ")
    submitted_review(ReviewAssignmentFactory(application=weak, reviewer=reviewers[0]), [1, 2])
    return strong, weak


@pytest.mark.parametrize("page", ["ranking", "decisions"])
def test_pages_link_to_the_application_and_its_reviews(client, officer, rubric, reviewed, page):
    strong, weak = reviewed
    client.force_login(officer)
    body = client.get(reverse(f"reviews:{page}", args=[rubric.funding_round.pk])).content.decode()
    for application in reviewed:
        assert reverse("applications:detail", args=[application.pk]) in body
        for assignment in application.review_assignments.all():
            assert reverse("reviews:assignment", args=[assignment.pk]) in body
    assert "審査 一郎" in body
    assert export_url(rubric.funding_round, page, "csv") in body
    assert export_url(rubric.funding_round, page, "xlsx") in body


def test_decided_rows_link_too(client, officer, rubric, reviewed):
    strong, _weak = reviewed
    record_decision(application=strong, outcome="awarded", amount_yen=1_000_000, by=officer)
    client.force_login(officer)
    response = client.get(reverse("reviews:decisions", args=[rubric.funding_round.pk]))
    decided = response.content.decode().split('id="decided-heading"')[1]
    assert reverse("applications:detail", args=[strong.pk]) in decided


def test_ranking_csv_in_the_screens_order_and_formula_safe(client, officer, rubric, reviewed):
    strong, weak = reviewed
    client.force_login(officer)
    response = client.get(export_url(rubric.funding_round, "ranking", "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(StringIO(response.content.decode("utf-8-sig"))))
    assert [r[4] for r in rows[1:]] == [strong.receipt_number, weak.receipt_number]
    assert rows[1][5] == "'=HYPERLINK(\"x\")"
    assert rows[1][7] == "1234567"


def test_ranking_xlsx_has_numbers_and_formats(client, officer, rubric, reviewed):
    client.force_login(officer)
    response = client.get(export_url(rubric.funding_round, "ranking", "xlsx"))
    sheet = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    yen_col = header.index("申請額（円）") + 1 if "申請額（円）" in header else 8
    cell = sheet.cell(row=2, column=yen_col)
    assert cell.value == 1_234_567 and cell.number_format == "#,##0"
    calibrated = sheet.cell(row=2, column=13)
    assert isinstance(calibrated.value, float) and calibrated.number_format == "0.00"
    assert sheet.cell(row=2, column=6).value == "'=HYPERLINK(\"x\")"


def test_decisions_xlsx_has_real_dates(client, officer, rubric, reviewed):
    strong, weak = reviewed
    record_decision(application=strong, outcome="awarded", amount_yen=1_000_000, by=officer)
    client.force_login(officer)
    response = client.get(export_url(rubric.funding_round, "decisions", "xlsx"))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [weak.receipt_number, strong.receipt_number]  # proposal first
    decided = rows[1]
    assert decided[8] == 1_000_000
    assert isinstance(decided[11], datetime)
    assert sheet.cell(row=3, column=12).number_format == "yyyy-mm-dd hh:mm"


@pytest.mark.parametrize(("kind", "fmt"), [("ranking", "csv"), ("decisions", "xlsx")])
def test_export_queries_do_not_grow(client, officer, make_application, rubric, kind, fmt):
    reviewers = [ReviewerFactory() for _ in range(2)]
    client.force_login(officer)
    url = export_url(rubric.funding_round, kind, fmt)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    _reviewed(make_application, 3, reviewers)
    small = count()
    _reviewed(make_application, 15, reviewers)
    assert count() == small


@pytest.mark.parametrize(("persona", "status"), [
    ("applicant", 404), ("reviewer", 404), ("outsider", 404), ("oversight", 200),
    ("officer", 200),
])
def test_exports_are_scoped_like_the_pages(request, client, rubric, reviewed, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(export_url(rubric.funding_round, "ranking", "csv")).status_code == status
    assert client.get(export_url(rubric.funding_round, "decisions", "xlsx")).status_code == status


def test_unknown_export_is_404(client, officer, rubric):
    client.force_login(officer)
    url = reverse("reviews:round_export", args=[rubric.funding_round.pk, "reviews", "csv"])
    assert client.get(url).status_code == 404
