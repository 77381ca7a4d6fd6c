import pytest

from awards.models import AwardYear
from core.errors import DomainError, StaleVersion
from reporting.models import ProgressReport, ReportEvent, ReportVersion
from reporting.services import (
    accept_report,
    request_report_revision,
    save_report_draft,
    start_report,
    submit_report,
)
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

FILLED = {
    "summary": "毎週の居場所を開いた。",
    "outcomes": "参加者同士の見守りが生まれた。",
    "know_how": "予約不要にした。",
    "problems": "男性の参加が少ない。",
    "feature_tags": ["loose_participation", "multi_generation"],
    "activities": [
        {"name": "居場所", "sessions_held": 48, "participants_total": 798,
         "participants_by_group": {"older_alone": 300}},
        {"name": "訪問", "sessions_held": 10, "participants_total": 16},
    ],
    "expense_actuals": [
        {"expense_category": "personnel", "actual_yen": 600_000},
        {"expense_category": "honoraria", "actual_yen": 290_000},
        {"expense_category": "consumables", "actual_yen": 100_000},
    ],
}


@pytest.fixture
def report(award, applicant):
    return ReportFactory(award=award, by=applicant)


def _save(report, by, **data):
    report.refresh_from_db()
    return save_report_draft(report=report, data=data, lock_version=report.lock_version, by=by)


def test_start_prefills_indicators_and_approved_categories(report):
    assert report.kind == "annual" and report.fiscal_year == 2026
    assert list(report.indicator_actuals.values_list("name", "target")) == [("居場所の延べ参加者数", 500)]
    assert sorted(report.expense_actuals.values_list("expense_category__code", flat=True)) == [
        "consumables", "honoraria", "personnel",
    ]
    assert start_report(deadline=report.deadline, by=None).pk == report.pk


def test_reports_of_a_year_not_started_cannot_be_started(award, applicant):
    deadline = award.deadlines.get(kind="interim", fiscal_year=2027)
    with pytest.raises(DomainError) as error:
        start_report(deadline=deadline, by=applicant)
    assert error.value.code == "year_not_started"


def test_autosave_with_stale_version_is_refused(report, applicant):
    stale = report.lock_version
    save_report_draft(report=report, data={"summary": "一回目"}, lock_version=stale, by=applicant)

    with pytest.raises(StaleVersion):
        save_report_draft(report=report, data={"summary": "古い画面から"}, lock_version=stale,
                          by=applicant)

    report.refresh_from_db()
    assert (report.summary, report.lock_version) == ("一回目", stale + 1)


def test_participants_by_group_cannot_exceed_the_total(report, applicant):
    with pytest.raises(DomainError) as error:
        _save(report, applicant, activities=[{"name": "居場所", "participants_total": 5,
                                              "participants_by_group": {"older_alone": 6}}])
    assert error.value.code == "group_above_total"


def test_expense_difference_above_share_needs_an_explanation(report, applicant):
    data = dict(FILLED, expense_actuals=[
        {"expense_category": "personnel", "actual_yen": 600_000},
        {"expense_category": "honoraria", "actual_yen": 240_000},  # exactly 20% less: fine
        {"expense_category": "consumables", "actual_yen": 100_000},
    ])
    _save(report, applicant, **data)
    _save(report, applicant, expense_actuals=[{"expense_category": "honoraria",
                                                "actual_yen": 239_999}])

    with pytest.raises(DomainError) as error:
        submit_report(report=report, by=applicant)
    assert (error.value.code, error.value.field) == ("explanation_required", "expense_actuals")

    _save(report, applicant, expense_actuals=[{"expense_category": "honoraria",
                                                "actual_yen": 239_999,
                                                "explanation": "講師が1名欠けた"}])
    assert submit_report(report=report, by=applicant).status == "submitted"


def test_version_history_through_revision_and_resubmission(report, applicant, officer):
    _save(report, applicant, **FILLED)
    submit_report(report=report, by=applicant)

    with pytest.raises(DomainError):
        _save(report, applicant, summary="提出後の編集")

    request_report_revision(report=report, by=officer, comment="参加者数の内訳を追記してください")
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.REVISION_REQUESTED
    _save(report, applicant, summary="内訳を追記した。")
    submit_report(report=report, by=applicant)
    accept_report(report=report, by=officer)

    versions = list(ReportVersion.objects.filter(report=report).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["summary"] == "毎週の居場所を開いた。"
    assert versions[1].content["summary"] == "内訳を追記した。"
    assert versions[0].content["activities"][0] == {
        "name": "居場所", "description": "", "sessions_held": 48, "participants_total": 798,
        "participants_by_group": {"older_alone": 300},
    }
    assert list(report.events.filter(action="status").values_list("to_status", flat=True)) == [
        "submitted", "revision_requested", "submitted", "accepted",
    ]


def test_accepting_the_annual_report_marks_the_year_reported(report, applicant, officer):
    _save(report, applicant, **FILLED)
    submit_report(report=report, by=applicant)

    accept_report(report=report, by=officer)

    assert report.deadline.award_year.__class__.objects.get(
        pk=report.deadline.award_year_id).state == AwardYear.State.REPORTED


def test_revision_needs_a_comment(report, applicant, officer):
    _save(report, applicant, **FILLED)
    submit_report(report=report, by=applicant)

    with pytest.raises(DomainError) as error:
        request_report_revision(report=report, by=officer, comment="")
    assert error.value.field == "comment"
    assert ProgressReport.objects.get().status == "submitted"
    assert not ReportEvent.objects.filter(to_status="revision_requested").exists()


@pytest.mark.parametrize(("honoraria", "refused"), [(240_000, False), (360_000, False),
                                                    (239_999, True), (360_001, True)])
def test_explanation_boundary_is_twenty_percent(report, applicant, honoraria, refused):
    _save(report, applicant, **dict(FILLED, expense_actuals=[
        {"expense_category": "personnel", "actual_yen": 600_000},
        {"expense_category": "honoraria", "actual_yen": honoraria},
        {"expense_category": "consumables", "actual_yen": 100_000},
    ]))
    report.refresh_from_db()

    if refused:
        with pytest.raises(DomainError) as error:
            submit_report(report=report, by=applicant)
        assert error.value.code == "explanation_required"
        assert ProgressReport.objects.get().status == "draft"
    else:
        assert submit_report(report=report, by=applicant).status == "submitted"
