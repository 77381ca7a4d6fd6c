import pytest

from awards.models import AwardEvent, BudgetChangeRequest
from awards.services import (
    approve_budget_change,
    reject_budget_change,
    request_budget_change,
)
from core.errors import DomainError

pytestmark = pytest.mark.django_db

# FY2026 lines: personnel 600,000, honoraria 300,000, consumables 100,000.
# Threshold 20% of the receiving category: honoraria → 60,000.


@pytest.fixture
def year(award):
    return award.years.get(fiscal_year=2026)


def _budget(year):
    return dict(year.budget_lines.values_list("expense_category__code", "approved_yen"))


@pytest.mark.parametrize(("amount", "auto"), [(59_999, True), (60_000, True), (60_001, False)])
def test_threshold_below_at_and_above(year, applicant, amount, auto):
    change = request_budget_change(award_year=year, from_category="personnel",
                                   to_category="honoraria", amount_yen=amount,
                                   reason="講師謝金の増加", by=applicant)

    assert change.threshold_yen == 60_000
    assert change.is_auto_approved is auto
    if auto:
        assert change.status == BudgetChangeRequest.Status.APPROVED
        assert _budget(year) == {"personnel": 600_000 - amount, "honoraria": 300_000 + amount,
                                 "consumables": 100_000}
    else:
        assert change.status == BudgetChangeRequest.Status.PENDING
        assert _budget(year) == {"personnel": 600_000, "honoraria": 300_000,
                                 "consumables": 100_000}
    year.refresh_from_db()
    assert year.approved_yen == 1_000_000 == sum(_budget(year).values())


def test_threshold_follows_the_round_setting(year, applicant):
    funding_round = year.award.funding_round
    funding_round.budget_change_threshold_percent = 10
    funding_round.save()

    change = request_budget_change(award_year=year, from_category="personnel",
                                   to_category="honoraria", amount_yen=30_001,
                                   reason="r", by=applicant)

    assert (change.threshold_yen, change.status) == (30_000, "pending")


def test_staff_approve_a_large_change_and_history_is_kept(year, applicant, officer):
    change = request_budget_change(award_year=year, from_category="personnel",
                                   to_category="honoraria", amount_yen=200_000,
                                   reason="講師謝金の増加", by=applicant)

    approve_budget_change(change_request=change, by=officer, comment="妥当")

    change.refresh_from_db()
    assert (change.status, change.decided_by, change.is_auto_approved) == ("approved", officer, False)
    assert _budget(year)["honoraria"] == 500_000
    moved = AwardEvent.objects.get(action="budget_changed")
    assert moved.changes["from"] == ["personnel", 600_000, 400_000]
    assert moved.changes["to"] == ["honoraria", 300_000, 500_000]
    assert list(AwardEvent.objects.filter(award_year=year).values_list("action", flat=True)) == [
        "year_state", "change_requested", "budget_changed", "change_decided",
    ]


def test_reject_keeps_the_budget(year, applicant, officer):
    change = request_budget_change(award_year=year, from_category="personnel",
                                   to_category="honoraria", amount_yen=200_000,
                                   reason="r", by=applicant)

    reject_budget_change(change_request=change, by=officer, comment="根拠不足")

    assert BudgetChangeRequest.objects.get().status == "rejected"
    assert _budget(year)["honoraria"] == 300_000


def test_cannot_move_more_than_the_category_holds(year, applicant):
    with pytest.raises(DomainError) as error:
        request_budget_change(award_year=year, from_category="consumables",
                              to_category="personnel", amount_yen=100_001, reason="r",
                              by=applicant)

    assert error.value.code == "exceeds_category"
    assert not BudgetChangeRequest.objects.exists()


def test_pending_requests_reserve_money(year, applicant):
    request_budget_change(award_year=year, from_category="consumables", to_category="personnel",
                          amount_yen=80_000, reason="r", by=applicant)

    with pytest.raises(DomainError) as error:
        request_budget_change(award_year=year, from_category="consumables",
                              to_category="honoraria", amount_yen=30_000, reason="r",
                              by=applicant)
    assert error.value.code == "exceeds_category"


def test_decided_request_cannot_be_decided_again(year, applicant, officer):
    change = request_budget_change(award_year=year, from_category="personnel",
                                   to_category="honoraria", amount_yen=1_000, reason="r",
                                   by=applicant)

    with pytest.raises(DomainError) as error:
        approve_budget_change(change_request=change, by=officer)
    assert error.value.code == "bad_transition"
    assert _budget(year)["honoraria"] == 301_000
