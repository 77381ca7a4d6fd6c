"""Where an award made by a decision starts: today, or 1 April of its first
fiscal year, and retroactively when the decision comes after its years."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from awards.models import AwardEvent, AwardYear
from awards.services import create_award_from_application
from tests.factories import AwardedApplicationFactory, OpenRoundFactory

pytestmark = pytest.mark.django_db

DECIDED_AT = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
ONE_YEAR = {"personnel": 600_000, "consumables": 100_000}


def _award_one_year_application(fiscal_year, organisation, officer):
    with time_machine.travel(DECIDED_AT, tick=False):
        funding_round = OpenRoundFactory(fiscal_year=fiscal_year, max_award_years=1)
        application = AwardedApplicationFactory(
            organisation=organisation, funding_round=funding_round,
            budget={fiscal_year: ONE_YEAR},
        )
        # As reviews.services.decisions does it.
        return create_award_from_application(application=application, amount_yen=700_000,
                                             by=officer)


def test_award_decided_after_its_year_starts_retroactively(organisation, officer):
    award = _award_one_year_application(2025, organisation, officer)

    assert (award.start_on, award.end_on) == (date(2025, 4, 1), date(2026, 3, 31))
    assert award.years.get().state == AwardYear.State.ACTIVE
    created = AwardEvent.objects.get(award=award, action="created")
    assert created.changes["retroactive_start"] is True
    assert created.changes["start_on"] == "2025-04-01"
    assert "2025-04-01" in created.reason


def test_award_decided_during_its_year_starts_on_the_decision_day(organisation, officer):
    award = _award_one_year_application(2026, organisation, officer)

    assert (award.start_on, award.end_on) == (date(2026, 11, 22), date(2027, 3, 31))
    created = AwardEvent.objects.get(award=award, action="created")
    assert "retroactive_start" not in created.changes
    assert created.reason == ""
