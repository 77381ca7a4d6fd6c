"""Payments reconcile with the scheduled payment they settle and are listed
with the schedule in date order (issue 13.11)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from awards.models import AwardEvent
from awards.services import record_payment, schedule_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(award):
    return award.years.get(fiscal_year=2026)


def _schedule(year, officer, due_on, amount=500_000):
    return schedule_payment(award_year=year, kind="advance", due_on=due_on, amount_yen=amount,
                            by=officer)


def test_a_payment_settles_the_earliest_open_schedule_of_its_kind_and_amount(year, officer):
    august = _schedule(year, officer, date(2026, 8, 1))
    may = _schedule(year, officer, date(2026, 5, 1))
    first = record_payment(award_year=year, kind="advance", amount_yen=500_000,
                           paid_on=date(2026, 5, 2), by=officer)
    second = record_payment(award_year=year, kind="advance", amount_yen=500_000,
                            paid_on=date(2026, 8, 3), by=officer)
    assert (first.scheduled, second.scheduled) == (may, august)
    assert AwardEvent.objects.filter(action="payment_recorded").order_by("id").last().changes[
        "scheduled"] == august.pk


def test_an_amount_matching_no_schedule_settles_none(year, officer):
    _schedule(year, officer, date(2026, 5, 1))
    payment = record_payment(award_year=year, kind="advance", amount_yen=300_000,
                             paid_on=date(2026, 5, 2), by=officer)
    assert payment.scheduled is None


def test_staff_name_the_schedule_on_the_page(client, officer, award, year):
    may = _schedule(year, officer, date(2026, 5, 1), 600_000)
    client.force_login(officer)
    client.post(reverse("awards:payment_record", args=[year.pk]), {
        f"y{year.pk}r-kind": "advance", f"y{year.pk}r-paid_on": "2026-05-10",
        f"y{year.pk}r-amount_yen": "40万", f"y{year.pk}r-scheduled": str(may.pk),
    })
    assert year.payments.get().scheduled == may


def test_the_page_lists_schedule_and_payments_in_date_order(client, officer, award, year):
    _schedule(year, officer, date(2026, 8, 1))
    _schedule(year, officer, date(2026, 5, 1))
    record_payment(award_year=year, kind="advance", amount_yen=500_000,
                   paid_on=date(2026, 5, 2), by=officer)
    client.force_login(officer)
    page = client.get(reverse("reporting:award_detail", args=[award.pk])).content.decode()
    section = page[page.index('id="year-2026"'):page.index('id="year-2027"')]
    dates = re.findall(r'<tr class="(?:scheduled-payment|payment)"><th scope="row">([^<]+)<',
                       section)
    assert dates == ["2026年5月1日", "2026年5月2日", "2026年8月1日"]
    assert "✓ 支払済 2026年5月2日" in section and "2026年5月1日 の支払予定分" in section
    assert "○ 未払" in section
