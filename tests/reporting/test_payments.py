from datetime import date

import pytest
from django.db import IntegrityError, transaction

from awards.models import AwardYear, Payment
from awards.services import (
    mark_year_reported,
    record_payment,
    schedule_payment,
    settle_award_year,
)
from core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(award):
    return award.years.get(fiscal_year=2026)


def test_balance_is_approved_minus_paid(year, officer):
    schedule_payment(award_year=year, kind="advance", due_on=date(2026, 5, 1),
                     amount_yen=600_000, by=officer)
    record_payment(award_year=year, kind="advance", amount_yen=600_000,
                   paid_on=date(2026, 5, 1), by=officer)

    year = AwardYear.objects.get(pk=year.pk)
    assert (year.paid_yen, year.balance_yen) == (600_000, 400_000)


def test_advances_never_exceed_the_approved_amount(year, officer):
    record_payment(award_year=year, kind="advance", amount_yen=900_000,
                   paid_on=date(2026, 5, 1), by=officer)

    with pytest.raises(DomainError) as error:
        record_payment(award_year=year, kind="advance", amount_yen=100_001,
                       paid_on=date(2026, 6, 1), by=officer)

    assert error.value.code == "above_approved"
    assert Payment.objects.count() == 1


def test_settlement_above_approved_is_refused(year, officer):
    mark_year_reported(award_year=year, by=officer)

    with pytest.raises(DomainError) as error:
        settle_award_year(award_year=year, confirmed_yen=1_000_001, by=officer)

    assert (error.value.code, error.value.field) == ("above_approved", "confirmed_yen")
    year.refresh_from_db()
    assert (year.state, year.confirmed_yen) == (AwardYear.State.REPORTED, None)


def test_settlement_at_approved_is_allowed_and_the_rest_is_paid(year, officer):
    record_payment(award_year=year, kind="advance", amount_yen=500_000,
                   paid_on=date(2026, 5, 1), by=officer)
    mark_year_reported(award_year=year, by=officer)

    settle_award_year(award_year=year, confirmed_yen=1_000_000, by=officer)
    year = AwardYear.objects.get(pk=year.pk)
    assert (year.state, year.settlement_due_yen, year.to_return_yen) == ("settled", 500_000, 0)

    record_payment(award_year=year, kind="settlement", amount_yen=500_000,
                   paid_on=date(2027, 6, 1), by=officer)
    assert AwardYear.objects.get(pk=year.pk).balance_yen == 0


def test_overpaid_advance_shows_the_amount_to_return(year, officer):
    record_payment(award_year=year, kind="advance", amount_yen=1_000_000,
                   paid_on=date(2026, 5, 1), by=officer)
    mark_year_reported(award_year=year, by=officer)

    settle_award_year(award_year=year, confirmed_yen=870_000, by=officer)

    year = AwardYear.objects.get(pk=year.pk)
    assert year.to_return_yen == 130_000
    with pytest.raises(DomainError):
        record_payment(award_year=year, kind="refund", amount_yen=130_001,
                       paid_on=date(2027, 6, 1), by=officer)
    record_payment(award_year=year, kind="refund", amount_yen=130_000,
                   paid_on=date(2027, 6, 1), by=officer)
    year = AwardYear.objects.get(pk=year.pk)
    assert (year.paid_yen, year.to_return_yen, year.balance_yen) == (870_000, 0, 0)


def test_a_year_not_reported_cannot_be_settled(year, officer):
    with pytest.raises(DomainError) as error:
        settle_award_year(award_year=year, confirmed_yen=1, by=officer)
    assert error.value.code == "year_not_reported"


def test_database_refuses_confirmed_above_approved(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardYear.objects.filter(pk=year.pk).update(confirmed_yen=1_000_001)
