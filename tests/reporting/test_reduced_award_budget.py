"""A reduced award (減額交付) has its lines pro-rated from the request; staff
may redistribute them between categories after the start, until anything
is paid, keeping the year's total (issue 13.11)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from awards.services import record_payment
from tests.factories import AwardFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@pytest.fixture
def reduced(organisation, programme):
    """Requested ¥2,000,000 over FY2026–27, awarded ¥1,600,000: ¥800,000 a year
    in the request's proportions (480,000 / 240,000 / 80,000)."""
    return AwardFactory(application__organisation=organisation,
                        application__funding_round__programme=programme,
                        amount_yen=1_600_000)


def _lines(year):
    return dict(year.budget_lines.values_list("expense_category__code", "approved_yen"))


def _post(client, year, amounts):
    data = {f"y{year.pk}b-amount_{code}": value for code, value in amounts.items()}
    return client.post(reverse("awards:year_budget", args=[year.pk]), data, follow=True)


def test_staff_redistribute_the_pro_rated_first_year(client, officer, reduced):
    first = reduced.years.get(fiscal_year=2026)
    assert _lines(first) == {"personnel": 480_000, "honoraria": 240_000, "consumables": 80_000}
    client.force_login(officer)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("reporting:award_detail", args=[reduced.pk])).content.decode()
        assert reverse("awards:year_budget", args=[first.pk]) in page
        assert "減額交付のため、申請額から按分した金額です。" in page
        _post(client, first, {"personnel": "50万", "honoraria": "22万", "consumables": "8万"})
    assert _lines(first) == {"personnel": 500_000, "honoraria": 220_000, "consumables": 80_000}
    assert reduced.events.filter(action="budget_set").count() == 1


def test_the_total_of_a_started_reduced_year_stays(client, officer, reduced):
    first = reduced.years.get(fiscal_year=2026)
    client.force_login(officer)
    with time_machine.travel(TODAY, tick=False):
        response = _post(client, first, {"personnel": "60万", "honoraria": "24万",
                                         "consumables": "8万"})
    assert "合計は800,000円のままです" in response.content.decode()
    assert _lines(first) == {"personnel": 480_000, "honoraria": 240_000, "consumables": 80_000}
    reduced.refresh_from_db()
    assert reduced.approved_yen == 1_600_000


def test_once_paid_the_lines_are_locked(client, officer, reduced):
    first = reduced.years.get(fiscal_year=2026)
    record_payment(award_year=first, kind="advance", amount_yen=100_000,
                   paid_on=date(2026, 5, 1), by=officer)
    client.force_login(officer)
    with time_machine.travel(TODAY, tick=False):
        _post(client, first, {"personnel": "50万", "honoraria": "22万", "consumables": "8万"})
    assert _lines(first)["personnel"] == 480_000


def test_a_full_award_that_started_stays_locked(client, officer, award):
    first = award.years.get(fiscal_year=2026)
    client.force_login(officer)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("reporting:award_detail", args=[award.pk])).content.decode()
        _post(client, first, {"personnel": "50万", "honoraria": "40万", "consumables": "10万"})
    assert reverse("awards:year_budget", args=[first.pk]) not in page
    assert _lines(first)["personnel"] == 600_000
