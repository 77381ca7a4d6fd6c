from datetime import date

import pytest
import time_machine

from awards.models import AwardEvent, AwardYear, ContinuationDecision
from awards.services import record_continuation, set_year_budget, start_award_year
from core.errors import DomainError
from tests.factories import AwardFactory

pytestmark = pytest.mark.django_db


def _year(award, fiscal_year):
    return award.years.get(fiscal_year=fiscal_year)


def test_a_later_year_cannot_start_without_continuation(award, officer):
    with pytest.raises(DomainError) as error:
        start_award_year(award_year=_year(award, 2027), by=officer)

    assert error.value.code == "continuation_required"
    assert _year(award, 2027).state == AwardYear.State.PLANNED


@pytest.mark.parametrize("decision", ["continue", "continue_with_changes"])
def test_continue_lets_the_year_start(award, officer, decision):
    record_continuation(award=award, fiscal_year=2027, decision=decision,
                        reason="中間報告で成果を確認", by=officer)

    start_award_year(award_year=_year(award, 2027), by=officer)

    year = _year(award, 2027)
    assert year.state == AwardYear.State.ACTIVE
    assert year.started_at is not None
    assert AwardEvent.objects.filter(award_year=year, action="continuation",
                                     to_status=decision).exists()


def test_stop_ends_the_award_after_the_previous_year(award, officer):
    record_continuation(award=award, fiscal_year=2027, decision="stop",
                        reason="活動実績が計画を大きく下回った", by=officer)

    award.refresh_from_db()
    assert _year(award, 2027).state == AwardYear.State.STOPPED
    assert str(award.end_on) == "2027-03-31"
    assert not award.deadlines.filter(fiscal_year=2027).exclude(kind="final").exists()
    final = award.deadlines.get(kind="final")
    assert (final.fiscal_year, str(final.due_on)) == (2026, "2027-05-31")
    with pytest.raises(DomainError) as error:
        start_award_year(award_year=_year(award, 2027), by=officer)
    assert error.value.code == "continuation_required"


def test_continuation_needs_a_reason(award, officer):
    with pytest.raises(DomainError) as error:
        record_continuation(award=award, fiscal_year=2027, decision="continue", reason=" ",
                            by=officer)

    assert error.value.field == "reason"
    assert not ContinuationDecision.objects.exists()


def test_first_year_needs_no_continuation_and_cannot_get_one(award, officer):
    with pytest.raises(DomainError) as error:
        record_continuation(award=award, fiscal_year=2026, decision="continue", reason="x",
                            by=officer)
    assert error.value.code == "not_a_later_year"


def test_staff_change_a_planned_year_budget_with_changes(award, officer):
    set_year_budget(award_year=_year(award, 2027),
                    amounts={"personnel": 700_000, "honoraria": 300_000}, by=officer,
                    reason="継続(変更あり)")

    year = _year(award, 2027)
    award.refresh_from_db()
    assert year.approved_yen == 1_000_000
    assert dict(year.budget_lines.values_list("expense_category__code", "approved_yen")) == {
        "personnel": 700_000, "honoraria": 300_000,
    }
    assert award.approved_yen == 2_000_000
    assert AwardEvent.objects.filter(award_year=year, action="budget_set").exists()


def test_budget_of_a_running_year_is_locked(award, officer):
    with pytest.raises(DomainError) as error:
        set_year_budget(award_year=_year(award, 2026), amounts={"personnel": 1}, by=officer)

    assert error.value.code == "budget_locked"
    assert _year(award, 2026).approved_yen == 1_000_000


def test_first_year_budget_editable_until_the_award_starts(organisation, programme, officer):
    award = AwardFactory(application__organisation=organisation,
                         application__funding_round__programme=programme,
                         start_on=date(2026, 7, 1))
    first = award.years.get(fiscal_year=2026)
    with time_machine.travel(date(2026, 6, 30)):
        set_year_budget(award_year=first, amounts={"personnel": 800_000}, by=officer)
    with time_machine.travel(date(2026, 7, 1)), pytest.raises(DomainError) as error:
        set_year_budget(award_year=first, amounts={"personnel": 900_000}, by=officer)
    assert error.value.code == "budget_locked"
    first.refresh_from_db()
    assert first.approved_yen == 800_000
