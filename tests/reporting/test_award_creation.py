from datetime import date

import pytest

from applications.models import Application
from awards.models import Award, AwardEvent, AwardYear, ReportDeadline
from awards.services import create_award_from_application
from core.errors import DomainError
from tests.factories import AwardedApplicationFactory
from tests.factories.reporting import category

pytestmark = pytest.mark.django_db


def _lines(award):
    return {
        (line.award_year.fiscal_year, line.expense_category.code): line.approved_yen
        for year in award.years.all()
        for line in year.budget_lines.select_related("expense_category", "award_year")
    }


def test_award_copies_the_application_budget(organisation, officer):
    application = AwardedApplicationFactory(organisation=organisation)

    award = create_award_from_application(application=application, by=officer,
                                          start_on=date(2026, 4, 1))

    assert award.organisation == organisation
    assert award.funding_round == application.funding_round
    assert award.theme == application.theme and award.tier == application.tier
    assert award.award_number.endswith("-2026-A001")
    assert award.approved_yen == 2_000_000
    assert _lines(award) == {
        (2026, "personnel"): 600_000, (2026, "honoraria"): 300_000, (2026, "consumables"): 100_000,
        (2027, "personnel"): 600_000, (2027, "honoraria"): 300_000, (2027, "consumables"): 100_000,
    }
    years = {y.fiscal_year: y.state for y in award.years.all()}
    assert years == {2026: AwardYear.State.ACTIVE, 2027: AwardYear.State.PLANNED}
    assert AwardEvent.objects.filter(award=award, action="created", actor=officer).exists()


def test_creation_is_idempotent(organisation, officer):
    application = AwardedApplicationFactory(organisation=organisation)

    first = create_award_from_application(application=application, by=officer)
    second = create_award_from_application(application=application, amount_yen=1, by=officer)

    assert first.pk == second.pk
    assert Award.objects.count() == 1
    assert second.approved_yen == 2_000_000


def test_lower_awarded_amount_scales_every_line_and_adds_up(organisation, officer):
    application = AwardedApplicationFactory(organisation=organisation)

    award = create_award_from_application(application=application, amount_yen=1_000_001,
                                          by=officer)

    lines = _lines(award)
    assert sum(lines.values()) == 1_000_001
    assert award.approved_yen == 1_000_001
    assert lines[(2026, "personnel")] == 300_001  # largest remainder, earliest first
    assert lines[(2026, "consumables")] == 50_000
    assert sum(y.approved_yen for y in award.years.all()) == 1_000_001


def test_explicit_budget_by_year_and_category(organisation, officer):
    application = AwardedApplicationFactory(organisation=organisation)

    award = create_award_from_application(
        application=application, by=officer,
        approved_yen_by_year_and_category={2026: {category("personnel"): 400_000,
                                                  "travel": 100_000}},
    )

    assert _lines(award) == {(2026, "personnel"): 400_000, (2026, "travel"): 100_000}
    assert award.end_on == date(2027, 3, 31)


def test_amount_above_request_is_refused(organisation, officer):
    application = AwardedApplicationFactory(organisation=organisation)

    with pytest.raises(DomainError) as error:
        create_award_from_application(application=application, amount_yen=2_000_001, by=officer)

    assert error.value.code == "above_requested"
    assert not Award.objects.exists()


def test_budget_above_tier_ceiling_is_refused(organisation, officer):
    application = AwardedApplicationFactory(organisation=organisation)

    with pytest.raises(DomainError) as error:
        create_award_from_application(
            application=application, by=officer,
            approved_yen_by_year_and_category={2026: {"personnel": 2_000_001}},
        )

    assert error.value.code == "above_ceiling"
    assert not Award.objects.exists()


@pytest.mark.parametrize("status", [Application.Status.UNDER_REVIEW, Application.Status.DECLINED])
def test_only_awarded_applications_become_awards(organisation, officer, status):
    application = AwardedApplicationFactory(organisation=organisation, status=status)

    with pytest.raises(DomainError) as error:
        create_award_from_application(application=application, by=officer)

    assert error.value.code == "not_awarded"
    assert not Award.objects.exists()


def test_reporting_schedule_follows_round_defaults(organisation, officer):
    application = AwardedApplicationFactory(organisation=organisation)

    award = create_award_from_application(application=application, by=officer,
                                          start_on=date(2026, 7, 1))

    schedule = sorted(award.deadlines.values_list("kind", "fiscal_year", "due_on"),
                      key=lambda row: row[2])
    assert schedule == [
        (ReportDeadline.Kind.INTERIM, 2026, date(2026, 10, 31)),
        (ReportDeadline.Kind.ANNUAL, 2026, date(2027, 4, 30)),
        (ReportDeadline.Kind.INTERIM, 2027, date(2027, 10, 31)),
        (ReportDeadline.Kind.ANNUAL, 2027, date(2028, 4, 30)),
        (ReportDeadline.Kind.FINAL, 2027, date(2028, 5, 31)),
    ]


def test_interim_report_before_a_late_start_is_left_out(organisation, officer):
    application = AwardedApplicationFactory(organisation=organisation)

    award = create_award_from_application(application=application, by=officer,
                                          start_on=date(2026, 11, 15))

    assert not award.deadlines.filter(kind="interim", fiscal_year=2026).exists()
    assert award.deadlines.filter(kind="interim", fiscal_year=2027).exists()
