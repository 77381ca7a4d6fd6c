"""A decision to award makes the multi-year award (issue 5 builds on issue 4)."""

import pytest

from applications.models import Application, BudgetLine
from awards.models import Award
from reviews.services.decisions import record_decision
from tests.factories import ExpenseCategoryFactory
from tests.factories.reviews import ReviewApplicationFactory

pytestmark = pytest.mark.django_db


def _application_with_budget(officer):
    application = ReviewApplicationFactory(
        funding_round__programme__staff=[officer], requested_yen=900_000, budget=False
    )
    personnel = ExpenseCategoryFactory(code="personnel", name_ja="人件費")
    travel = ExpenseCategoryFactory(code="travel", name_ja="旅費")
    application.funding_round.expense_categories.add(personnel, travel)
    year = application.funding_round.fiscal_year
    BudgetLine.objects.create(application=application, fiscal_year=year,
                              expense_category=personnel, amount_yen=600_000)
    BudgetLine.objects.create(application=application, fiscal_year=year,
                              expense_category=travel, amount_yen=300_000)
    return application


def test_awarding_creates_one_award_with_the_awarded_amount(officer):
    application = _application_with_budget(officer)

    record_decision(application=application, outcome="awarded", by=officer,
                    amount_yen=600_000, reason="優れた計画")

    award = Award.objects.get(application=application)
    assert award.organisation_id == application.organisation_id
    lines = [line for year in award.years.all() for line in year.budget_lines.all()]
    assert sum(line.approved_yen for line in lines) == 600_000
    assert sorted(line.approved_yen for line in lines) == [200_000, 400_000]
    application.refresh_from_db()
    assert application.status == Application.Status.AWARDED


def test_declining_creates_no_award(officer):
    application = _application_with_budget(officer)
    record_decision(application=application, outcome="declined", by=officer, reason="対象外")
    assert not Award.objects.filter(application=application).exists()
