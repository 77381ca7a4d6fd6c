"""POST /api/v1/award-years/<id>/payments/ names the scheduled payment it
settles, and answers it (issue 13.11)."""

from datetime import date

import pytest

from awards.services import schedule_payment
from tests.factories import AwardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(organisation, programme):
    return AwardFactory(application__organisation=organisation,
                        application__funding_round__programme=programme)


def _schedule(year, officer, due_on, amount=500_000):
    return schedule_payment(award_year=year, kind="advance", due_on=due_on, amount_yen=amount,
                            by=officer)


def test_the_api_takes_and_answers_the_schedule(api_as, award, officer):
    year = award.years.get(fiscal_year=2026)
    may = _schedule(year, officer, date(2026, 5, 1))
    other = _schedule(award.years.get(fiscal_year=2026), officer, date(2026, 6, 1), 100_000)
    client = api_as("officer")
    paid = client.post(f"/api/v1/award-years/{year.pk}/payments/", {
        "kind": "advance", "paid_on": "2026-05-01", "amount_yen": 200_000,
        "scheduled": may.pk}, format="json")
    assert paid.status_code == 201, paid.json()
    assert paid.json()["payments"][0]["scheduled"] == may.pk
    wrong = client.post(f"/api/v1/award-years/{year.pk}/payments/", {
        "kind": "settlement", "paid_on": "2026-05-01", "amount_yen": 100_000,
        "scheduled": other.pk}, format="json")
    assert wrong.status_code == 409 and wrong.json()["code"] == "schedule_mismatch"
    assert year.payments.count() == 1
