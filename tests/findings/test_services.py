"""Findings services: rules, evidence and the event written for every change."""

import pytest

from core.errors import DomainError, StaleVersion
from reporting.findings.models import Finding, FindingEvent, FindingEvidence
from reporting.findings.services import (
    add_finding_evidence,
    create_finding,
    delete_finding,
    remove_finding_evidence,
    update_finding,
)
from reporting.models import FeatureTag
from tests.factories import OpenRoundFactory, ProgrammeFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _data(**overrides):
    return {"kind": "know_how", "statement": "予約不要にすると初めての人が来やすい。",
            "fiscal_year": 2026, **overrides}


def test_create_with_a_quoted_passage_and_an_indicator(portfolio, officer):
    report = portfolio.reports["a_annual_2026"]
    indicator = report.indicator_actuals.get()

    finding = create_finding(
        programme=portfolio.programme, by=officer,
        data=_data(award=portfolio.award_a,
                   feature_tags=[FeatureTag.objects.get(code="loose_participation")],
                   prefectures=["13", "13"]),
        evidence=[{"report": report, "field": "know_how", "quote": "予約不要に"},
                  {"indicator_actual": indicator.pk}],
    )

    assert finding.theme == portfolio.award_a.theme  # the award's theme by default
    assert finding.prefectures == ["13"]
    assert list(finding.evidence.values_list("field", "indicator_actual")) == [
        ("know_how", None), ("", indicator.pk)]
    event = FindingEvent.objects.get(finding=finding)
    assert event.action == "created" and event.actor == officer
    assert event.changes["evidence"][0] == {"report": report.pk, "field": "know_how",
                                            "quote": "予約不要に"}


def test_a_quote_must_be_in_the_report(portfolio, officer):
    report = portfolio.reports["a_annual_2026"]

    with pytest.raises(DomainError) as error:
        create_finding(programme=portfolio.programme, by=officer, data=_data(),
                       evidence=[{"report": report, "field": "outcomes", "quote": "書いていない"}])

    assert (error.value.code, error.value.field) == ("quote_not_found", "evidence.0.quote")
    assert not Finding.objects.exists() and not FindingEvent.objects.exists()


def test_a_quote_matches_across_line_breaks_and_full_width_characters(portfolio, officer):
    report = portfolio.reports["a_annual_2026"]
    finding = create_finding(programme=portfolio.programme, by=officer, data=_data(),
                             evidence=[{"report": report, "field": "outcomes",
                                        "quote": "参加者同士の\n見守り"}])
    assert finding.evidence.count() == 1


def test_draft_reports_cannot_be_evidence(portfolio, officer):
    draft = ReportFactory(award=portfolio.award_b, kind="interim", fiscal_year=2026)

    with pytest.raises(DomainError) as error:
        create_finding(programme=portfolio.programme, by=officer, data=_data(),
                       evidence=[{"report": draft, "field": "summary", "quote": "x"}])

    assert error.value.code == "report_not_handed_in"


def test_theme_and_award_must_belong_to_the_programme(portfolio, officer):
    other_theme = OpenRoundFactory(programme=ProgrammeFactory()).themes.get()

    with pytest.raises(DomainError) as error:
        create_finding(programme=portfolio.programme, by=officer, data=_data(theme=other_theme))
    assert error.value.code == "theme_not_in_programme"

    other = ProgrammeFactory()
    with pytest.raises(DomainError) as error:
        create_finding(programme=other, by=officer, data=_data(award=portfolio.award_a))
    assert error.value.code == "award_not_in_programme"
    assert not Finding.objects.exists()


def test_update_records_what_changed(portfolio, officer):
    finding = create_finding(programme=portfolio.programme, by=officer, data=_data())

    update_finding(finding=finding, by=officer, lock_version=1,
                   data={"statement": "予約不要が効いた。", "kind": "know_how"})

    finding.refresh_from_db()
    event = FindingEvent.objects.filter(finding=finding).latest("id")
    assert (event.action, event.changes) == (
        "updated", {"statement": ["予約不要にすると初めての人が来やすい。", "予約不要が効いた。"]})
    assert finding.lock_version == 2


def test_update_with_a_stale_version_changes_nothing(portfolio, officer):
    finding = create_finding(programme=portfolio.programme, by=officer, data=_data())
    update_finding(finding=finding, by=officer, lock_version=1, data={"statement": "一回目"})

    with pytest.raises(StaleVersion):
        update_finding(finding=finding, by=officer, lock_version=1, data={"statement": "古い画面"})

    finding.refresh_from_db()
    assert finding.statement == "一回目"
    assert FindingEvent.objects.filter(finding=finding).count() == 2


def test_evidence_added_and_removed_leave_events(portfolio, officer):
    finding = create_finding(programme=portfolio.programme, by=officer, data=_data())
    report = portfolio.reports["b_annual_2026"]

    row = add_finding_evidence(finding=finding, by=officer,
                               item={"report": report.pk, "field": "problems",
                                     "quote": "男性の参加が少ない"})
    remove_finding_evidence(evidence=row, by=officer)

    assert not FindingEvidence.objects.exists()
    assert list(FindingEvent.objects.filter(finding=finding).values_list("action", flat=True)
                .order_by("id")) == ["created", "evidence_added", "evidence_removed"]


def test_delete_keeps_the_history(portfolio, officer):
    finding = create_finding(programme=portfolio.programme, by=officer, data=_data())
    number = finding.pk

    delete_finding(finding=finding, by=officer, reason="重複")

    assert not Finding.objects.exists()
    event = FindingEvent.objects.get(finding_number=number, action="deleted")
    assert event.finding is None and event.reason == "重複"
    assert event.changes["statement"] == "予約不要にすると初めての人が来やすい。"
