"""The aggregates against the hand-computed portfolio (see conftest)."""

import pytest

from reporting import aggregates
from reporting.aggregates import OutcomeScope

from .conftest import IBASHO_OF_A, TOTAL_PARTICIPANTS

pytestmark = pytest.mark.django_db


def test_totals_match_the_hand_computed_portfolio(portfolio):
    figures = aggregates.outcomes(OutcomeScope(programme_id=portfolio.programme.pk))

    assert figures["totals"] == {
        "awards": 2, "organisations": 2, "participants": TOTAL_PARTICIPANTS, "sessions": 110,
        "approved_yen": 4_000_000, "paid_yen": 500_000, "actual_yen": 3_000_000,
    }
    assert [(r["fiscal_year"], r["participants"]) for r in figures["by_fiscal_year"]] == [
        (2026, 190), (2027, 80)]
    assert [(r["code"], r["participants"]) for r in figures["by_target_group"]] == [
        ("older_alone", 70)]
    assert [(r["code"], r["participants"]) for r in figures["by_prefecture"]] == [
        ("13", 230), ("27", 40)]
    assert [(r["code"], r["participants"]) for r in figures["by_feature_tag"]] == [
        ("loose_participation", 230), ("multi_generation", 150)]
    [theme] = figures["by_theme"]
    assert (theme["awards"], theme["participants"], theme["approved_yen"]) == (
        2, TOTAL_PARTICIPANTS, 4_000_000)


def test_one_activity_is_summed_across_two_fiscal_years_and_interims_are_left_out(portfolio):
    scope = OutcomeScope(programme_id=portfolio.programme.pk)
    rows = aggregates.ReportActivity.objects.filter(
        scope.counted_reports_q("report__"), report__award=portfolio.award_a, name="居場所")

    assert sum(r.participants_total for r in rows) == IBASHO_OF_A


def test_fiscal_year_filter(portfolio):
    figures = aggregates.outcomes(OutcomeScope(fiscal_year=2027))

    assert figures["totals"]["participants"] == 80
    # Award B's FY2027 was never started but is still planned: it counts.
    assert figures["totals"]["awards"] == 2
    assert figures["totals"]["approved_yen"] == 2_000_000
    assert figures["totals"]["actual_yen"] == 1_000_000


def test_report_timeliness(portfolio):
    timeliness = aggregates.report_timeliness(OutcomeScope())

    assert timeliness["totals"] == {
        "on_time": 2, "late": 2, "overdue": 3, "pending": 3, "total": 10}
    annual = next(r for r in timeliness["rows"] if r["kind"] == "annual")
    assert (annual["on_time"], annual["late"], annual["pending"]) == (2, 1, 1)


def test_indicators_roll_up_by_name_and_unit(portfolio):
    [row] = aggregates.indicator_rollups(OutcomeScope())

    # Three annual reports, each with the planned indicator (target 500).
    assert (row["name"], row["unit"], row["target"], row["reports"]) == (
        "居場所の延べ参加者数", "人", 1500, 3)


def test_budget_by_category(portfolio):
    budget = aggregates.budget_execution(OutcomeScope(), aggregates.Labels())

    by_code = {row["label"]: row for row in budget["by_category"]}
    assert by_code["人件費"]["approved_yen"] == 2_400_000
    assert by_code["人件費"]["actual_yen"] == 1_800_000
    assert by_code["人件費"]["paid_yen"] is None
