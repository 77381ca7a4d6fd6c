"""Staff screening list: filters, search, sorting, counts, exports, queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from applications.services import submit_application
from core.vocab import LegalForm
from tests.factories import ApplicationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("applications:staff_list")


def submit_new(funding_round, by, **kwargs):
    organisation = kwargs.pop("organisation", None) or OrganisationFactory(member=by)
    application = ApplicationFactory(funding_round=funding_round, organisation=organisation,
                                     **kwargs)
    submit_application(application=application, by=by)
    application.refresh_from_db()
    return application


@pytest.fixture
def listed(open_round, applicant):
    """Three submitted applications and one draft."""
    tokyo = submit_new(open_round, applicant, title="東京の居場所", lines=[(2026, 300_000)])
    osaka = submit_new(
        open_round, applicant, title="大阪の見守り", prefectures=["27"],
        organisation=OrganisationFactory(member=applicant, prefecture="27",
                                         name="大阪ひだまり会"),
        lines=[(2026, 1_500_000)],
    )
    voluntary = submit_new(
        open_round, applicant, title="縁側クラブ",
        organisation=OrganisationFactory(member=applicant, legal_form=LegalForm.VOLUNTARY,
                                         corporate_number="", name="まちの縁側クラブ"),
        lines=[(2026, 800_000)],
    )
    ApplicationFactory(funding_round=open_round, title="まだ下書き")
    return {"tokyo": tokyo, "osaka": osaka, "voluntary": voluntary}


def titles(response):
    return [a.title for a in response.context["page"]]


def test_staff_see_submitted_applications_not_drafts(client, officer, listed):
    client.force_login(officer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(["東京の居場所", "大阪の見守り", "縁側クラブ"])
    assert [(c["status"], c["count"]) for c in response.context["counts"]] == [("submitted", 3)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"prefecture": "27"}, ["大阪の見守り"]),
        ({"legal_form": "voluntary"}, ["縁側クラブ"]),
        ({"min_yen": "800000"}, ["大阪の見守り", "縁側クラブ"]),
        ({"min_yen": "800000", "max_yen": "800000"}, ["縁側クラブ"]),
        ({"q": "ひだまり"}, ["大阪の見守り"]),
        ({"q": "居場所"}, ["東京の居場所"]),
        ({"status": "returned"}, []),
    ],
)
def test_filters_and_search(client, officer, listed, query, expected):
    client.force_login(officer)
    assert sorted(titles(client.get(LIST, query))) == sorted(expected)


def test_search_by_receipt_number_and_filter_by_round_theme_tier(client, officer, listed):
    client.force_login(officer)
    receipt = listed["osaka"].receipt_number
    assert titles(client.get(LIST, {"q": receipt})) == ["大阪の見守り"]
    application = listed["tokyo"]
    query = {"funding_round": application.funding_round_id, "theme": application.theme_id,
             "tier": application.tier_id}
    assert len(titles(client.get(LIST, query))) == 3
    other_round = ApplicationFactory().funding_round
    assert titles(client.get(LIST, {"funding_round": other_round.pk})) == []


def test_sorting_by_amount(client, officer, listed):
    client.force_login(officer)
    assert titles(client.get(LIST, {"sort": "requested_yen"})) == [
        "東京の居場所", "縁側クラブ", "大阪の見守り"]
    assert titles(client.get(LIST, {"sort": "-requested_yen"})) == [
        "大阪の見守り", "縁側クラブ", "東京の居場所"]


def test_pagination(client, officer, open_round, applicant, settings):
    for n in range(27):
        submit_new(open_round, applicant, title=f"申請{n:02d}")
    client.force_login(officer)
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 2
    assert not set(titles(first)) & set(titles(second))


@pytest.mark.parametrize(("persona", "expected"), [
    ("officer", 200), ("other_officer", 200), ("oversight", 200),
    ("applicant", 403), ("reviewer", 403), ("outsider", 403),
])
def test_who_may_open_the_list_and_exports(request, client, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == expected
    assert client.get(reverse("applications:staff_export_csv")).status_code == expected
    assert client.get(reverse("applications:staff_export_xlsx")).status_code == expected


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.fixture
def injected(open_round, applicant):
    return submit_new(
        open_round, applicant, title='=HYPERLINK("http://evil.example","click")',
        organisation=OrganisationFactory(member=applicant, name="@SUM(1+1)"),
    )


def test_csv_export_is_neutralised_and_filtered(client, officer, injected, listed):
    client.force_login(officer)
    response = client.get(reverse("applications:staff_export_csv"), {"q": "HYPERLINK"})
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2  # header + the one matching application
    row = rows[1]
    assert '\'=HYPERLINK("http://evil.example","click")' in row
    assert "'@SUM(1+1)" in row
    assert injected.receipt_number in row
    assert str(injected.requested_yen) in row


def test_xlsx_export_is_neutralised_and_has_no_formulas(client, officer, injected, listed):
    client.force_login(officer)
    response = client.get(reverse("applications:staff_export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 4
    cells = [cell for row in rows for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = [cell.value for cell in cells]
    assert '\'=HYPERLINK("http://evil.example","click")' in values
    assert "'@SUM(1+1)" in values
    amounts = [row[11].value for row in rows]
    assert sorted(amounts) == sorted([500_000, 300_000, 1_500_000, 800_000])


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(client, officer, open_round, applicant):
    client.force_login(officer)
    for n in range(3):
        submit_new(open_round, applicant, lines=[(2026, 100_000), (2027, 200_000)],
                   title=f"少数{n}")
    client.get(LIST)  # the filter's options are cached from the first view on
    small = count_queries(client, LIST)
    for n in range(9):
        submit_new(open_round, applicant, lines=[(2026, 100_000), (2027, 200_000)],
                   title=f"多数{n}")
    assert count_queries(client, LIST) == small


def test_export_queries_do_not_grow_with_rows(client, officer, open_round, applicant):
    client.force_login(officer)
    url = reverse("applications:staff_export_csv")
    for _n in range(3):
        submit_new(open_round, applicant)
    small = count_queries(client, url)
    for _n in range(9):
        submit_new(open_round, applicant)
    assert count_queries(client, url) == small
