"""HTML pages: scope first (404), then the policy (403); query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Award, AwardEvent, BudgetChangeRequest
from awards.services import record_payment, request_budget_change
from reporting.models import ProgressReport, ReportEvent
from reporting.services import save_report_draft, submit_report
from tests.factories import (
    AwardedApplicationFactory,
    AwardFactory,
    OpenRoundFactory,
    OrganisationFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db

READERS = {"applicant": 200, "outsider": 404, "reviewer": 404, "oversight": 200,
           "other_officer": 200, "officer": 200}


def _client(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    return client


@pytest.mark.parametrize(("persona", "expected"), READERS.items())
def test_award_detail_scope(client, request, award, persona, expected):
    response = _client(client, request, persona).get(
        reverse("reporting:award_detail", args=[award.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert award.award_number in response.content.decode()


def test_award_detail_needs_login(client, award):
    response = client.get(reverse("reporting:award_detail", args=[award.pk]))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 403), ("outsider", 403), ("reviewer", 403), ("oversight", 200),
    ("other_officer", 200), ("officer", 200),
])
def test_staff_award_list_is_for_staff_and_oversight(client, request, award, persona, expected):
    response = _client(client, request, persona).get(reverse("reporting:award_list"))
    assert response.status_code == expected


def test_my_awards_lists_only_my_organisations(client, applicant, award, programme):
    other = AwardFactory(application__funding_round__programme=programme)
    client.force_login(applicant)

    page = client.get(reverse("reporting:award_mine")).content.decode()

    assert award.award_number in page
    assert other.award_number not in page


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 403), ("outsider", 404), ("reviewer", 404), ("oversight", 403),
    ("other_officer", 403), ("officer", 302),
])
def test_award_status_change_only_by_programme_staff(client, request, award, persona, expected):
    response = _client(client, request, persona).post(
        reverse("awards:award_status", args=[award.pk]),
        {"st-to": "suspended", "st-reason": "報告未提出"},
    )
    assert response.status_code == expected
    award.refresh_from_db()
    assert award.status == ("suspended" if expected == 302 else "active")
    assert AwardEvent.objects.filter(action="status").exists() is (expected == 302)


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 302), ("outsider", 404), ("reviewer", 404), ("oversight", 403),
    ("other_officer", 403), ("officer", 403),
])
def test_budget_change_request_only_by_the_organisation(client, request, award, persona,
                                                        expected):
    year = award.years.get(fiscal_year=2026)
    response = _client(client, request, persona).post(
        reverse("awards:change_request_new", args=[year.pk]),
        {"from_category": year.budget_lines.get(expense_category__code="personnel")
         .expense_category_id,
         "to_category": year.budget_lines.get(expense_category__code="honoraria")
         .expense_category_id,
         "amount_yen": 10_000, "reason": "講師謝金"},
    )
    assert response.status_code == expected
    assert BudgetChangeRequest.objects.exists() is (expected == 302)


@pytest.fixture
def submitted(award, applicant):
    report = ReportFactory(award=award, kind="interim", by=applicant)
    report = save_report_draft(report=report, data={"summary": "<b>実施</b>した。"},
                               lock_version=report.lock_version, by=applicant)
    return submit_report(report=report, by=applicant)


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 403), ("outsider", 404), ("reviewer", 404), ("oversight", 403),
    ("other_officer", 403), ("officer", 302),
])
def test_report_review_only_by_programme_staff(client, request, submitted, persona, expected):
    response = _client(client, request, persona).post(
        reverse("reporting:report_review", args=[submitted.pk]),
        {"decision": "revise", "comment": "内訳を追記してください"},
    )
    assert response.status_code == expected
    submitted.refresh_from_db()
    assert submitted.status == ("revision_requested" if expected == 302 else "submitted")


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 302), ("outsider", 404), ("reviewer", 404), ("oversight", 403),
    ("other_officer", 403), ("officer", 403),
])
def test_report_edit_only_by_the_organisation(client, request, award, applicant, persona,
                                              expected):
    report = ReportFactory(award=award, kind="interim", by=applicant)
    response = _client(client, request, persona).post(
        reverse("reporting:report_edit", args=[report.pk]),
        {"lock_version": report.lock_version, "summary": "書いた", "action": "save",
         "act-TOTAL_FORMS": 0, "act-INITIAL_FORMS": 0},
    )
    assert response.status_code == expected
    report.refresh_from_db()
    assert report.summary == ("書いた" if expected == 302 else "")


def test_report_form_saves_activities_and_submits(client, award, applicant):
    report = ReportFactory(award=award, kind="interim", by=applicant)
    client.force_login(applicant)
    url = reverse("reporting:report_edit", args=[report.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {
        "lock_version": report.lock_version, "summary": "毎週開催", "action": "submit",
        "feature_tags": ["loose_participation"],
        "act-TOTAL_FORMS": 1, "act-INITIAL_FORMS": 0,
        "act-0-name": "居場所", "act-0-sessions_held": 20, "act-0-participants_total": 300,
        "act-0-group_older_alone": 120,
    })

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    activity = report.activities.get()
    assert (activity.name, activity.participants_total) == ("居場所", 300)
    assert activity.participant_counts.get().count == 120
    assert report.versions.get().content["feature_tags"] == ["loose_participation"]


def test_refused_submission_keeps_the_draft(client, award, applicant):
    report = ReportFactory(award=award, kind="interim", by=applicant)
    client.force_login(applicant)

    response = client.post(reverse("reporting:report_edit", args=[report.pk]), {
        "lock_version": report.lock_version, "summary": "連絡は taro@example.jp へ",
        "action": "submit", "act-TOTAL_FORMS": 0, "act-INITIAL_FORMS": 0,
    })

    assert response.status_code == 200
    assert "taro@example.jp" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.summary) == ("draft", "連絡は taro@example.jp へ")


def test_autosave_refuses_a_stale_version_with_412(client, award, applicant):
    report = ReportFactory(award=award, kind="interim", by=applicant)
    client.force_login(applicant)
    url = reverse("reporting:report_autosave", args=[report.pk])
    data = {"lock_version": report.lock_version, "summary": "一回目",
            "act-TOTAL_FORMS": 0, "act-INITIAL_FORMS": 0}

    first = client.post(url, data)
    second = client.post(url, {**data, "summary": "古い画面"})

    assert first.status_code == 200 and first.json()["lock_version"] == report.lock_version + 1
    assert second.status_code == 412
    report.refresh_from_db()
    assert report.summary == "一回目"


@pytest.mark.parametrize(("persona", "expected"), READERS.items())
def test_report_pdf_for_each_submitted_version(client, request, submitted, persona, expected):
    response = _client(client, request, persona).get(
        reverse("reporting:report_pdf", args=[submitted.pk, 1]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert b"IPAexGothic" in response.content


def test_staff_accept_personal_data_through_the_page(client, award, applicant, officer):
    report = ReportFactory(award=award, kind="interim", by=applicant)
    save_report_draft(report=report, data={"summary": "会場 03-1234-5678"},
                      lock_version=report.lock_version, by=applicant)
    client.force_login(officer)

    response = client.post(reverse("reporting:report_personal_data", args=[report.pk]),
                           {"reason": "公共施設の代表番号"})

    assert response.status_code == 302
    assert ReportEvent.objects.filter(report=report, action="personal_data_accepted",
                                      actor=officer).exists()
    assert ProgressReport.objects.get().personal_data_accepted == ["03-1234-5678"]


# --- Query counts -------------------------------------------------------------------


def _awards(n, programme):
    funding_round = OpenRoundFactory(programme=programme)
    for _ in range(n):
        application = AwardedApplicationFactory(funding_round=funding_round,
                                                organisation=OrganisationFactory())
        AwardFactory(application=application)


def _count(client, url, rows=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    if rows is not None:
        assert len(response.context["awards"]) == rows
    return len(queries)


@pytest.mark.parametrize("query", ["", "?overdue=&prefecture=13&fiscal_year=2026&status=active"])
def test_award_list_queries_do_not_grow(client, officer, programme, query):
    client.force_login(officer)
    url = reverse("reporting:award_list") + query
    _awards(3, programme)
    few = _count(client, url, 3)
    _awards(9, programme)
    assert Award.objects.count() == 12
    assert _count(client, url, 12) == few


def test_award_list_filters(client, officer, programme, award):
    other = AwardFactory(application__prefectures=["27"],
                         application__organisation__prefecture="27")
    client.force_login(officer)

    def numbers(query):
        response = client.get(reverse("reporting:award_list") + query)
        return {a.award_number for a in response.context["awards"]}

    assert numbers("?prefecture=27") == {other.award_number}
    assert numbers(f"?programme={programme.pk}") == {award.award_number}
    assert numbers("?status=suspended") == set()


def test_award_detail_queries_are_bounded(client, officer, applicant, award):
    """One of everything, then more of everything: the same queries."""
    client.force_login(officer)
    url = reverse("reporting:award_detail", args=[award.pk])
    year = award.years.get(fiscal_year=2026)

    def add(day):
        record_payment(award_year=year, kind="advance", amount_yen=100_000,
                       paid_on=date(2026, 5, day), by=officer)
        request_budget_change(award_year=year, from_category="personnel",
                              to_category="honoraria", amount_yen=1_000, reason="r",
                              by=applicant)

    add(1)
    ReportFactory(award=award, kind="interim", by=applicant)
    before = _count(client, url)
    add(2)
    add(3)
    ReportFactory(award=award, kind="annual", by=applicant)

    assert _count(client, url) == before
