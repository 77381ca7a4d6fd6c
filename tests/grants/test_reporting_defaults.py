"""The round's reporting schedule defaults page: who may use it, what it
stores, and that it changes new awards only."""

from datetime import date

import pytest
from django.urls import reverse

from awards.models import ReportDeadline
from core.errors import DomainError
from grants.models import FundingRound, FundingRoundEvent, ReportingDefaults
from grants.reporting_defaults import save_reporting_defaults

from ..factories import AwardFactory
from .conftest import PERSONAS, login, persona_user

Status = FundingRound.Status

VALID = {
    "interim_due_month": "11",
    "interim_due_day": "30",
    "annual_due_days": "45",
    "final_due_days": "90",
    "reminder_days_before": "3, 14、7",
    "expense_variance_percent": "25",
    "reason": "報告期限を延長",
}


def _url(funding_round):
    return reverse("grants:round_reporting_defaults", args=[funding_round.pk])


def _events(funding_round):
    return FundingRoundEvent.objects.filter(
        funding_round=funding_round, action="reporting_defaults_changed"
    )


def _deadlines(award):
    return sorted(award.deadlines.values_list("kind", "fiscal_year", "due_on"))


def test_get_shows_the_built_in_defaults_when_none_are_saved(client, officer, draft_round):
    client.force_login(officer)

    response = client.get(_url(draft_round))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {
        "interim_due_month": 10, "interim_due_day": 31, "annual_due_days": 30,
        "final_due_days": 61, "reminder_days_before": "14, 3", "expense_variance_percent": 20,
    }
    html = response.content.decode()
    assert 'for="id_interim_due_month"' in html and 'value="14, 3"' in html
    assert response.context["is_saved"] is False


def test_round_edit_page_links_to_the_defaults(client, officer, draft_round):
    client.force_login(officer)

    html = client.get(reverse("grants:round_edit", args=[draft_round.pk])).content.decode()

    assert f'href="{_url(draft_round)}"' in html


def test_post_stores_the_values_and_records_an_event(client, officer, draft_round):
    client.force_login(officer)

    response = client.post(_url(draft_round), VALID)

    assert response.status_code == 302
    defaults = ReportingDefaults.objects.get(funding_round=draft_round)
    assert (defaults.interim_due_month, defaults.interim_due_day) == (11, 30)
    assert (defaults.annual_due_days, defaults.final_due_days) == (45, 90)
    assert defaults.reminder_days_before == [14, 7, 3]
    assert defaults.expense_variance_percent == 25
    event = _events(draft_round).get()
    assert event.actor == officer and event.reason == "報告期限を延長"
    assert event.changes == {
        "interim_due_month": [10, 11], "interim_due_day": [31, 30],
        "annual_due_days": [30, 45], "final_due_days": [61, 90],
        "reminder_days_before": [[14, 3], [14, 7, 3]],
        "expense_variance_percent": [20, 25],
    }
    page = client.get(_url(draft_round))
    assert page.context["form"].initial["reminder_days_before"] == "14, 7, 3"
    history = client.get(reverse("grants:round_history", args=[draft_round.pk]))
    rows = [row for row in history.context["events"] if row["event"] == event]
    assert [str(row["action"]) for row in rows] == [str(FundingRoundEvent.Action(event.action).label)]
    assert len(rows[0]["changes"]) == 6


def test_saving_the_same_values_again_records_nothing(officer, draft_round):
    values = {"interim_due_month": 11, "interim_due_day": 30, "annual_due_days": 45,
              "final_due_days": 90, "reminder_days_before": [14, 3],
              "expense_variance_percent": 20}
    save_reporting_defaults(funding_round=draft_round, by=officer, **values)
    save_reporting_defaults(funding_round=draft_round, by=officer, **values)

    assert _events(draft_round).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"interim_due_month": "13"}, "interim_due_month"),
        ({"interim_due_month": "0"}, "interim_due_month"),
        ({"interim_due_month": "2", "interim_due_day": "30"}, "interim_due_day"),
        ({"interim_due_month": "4", "interim_due_day": "31"}, "interim_due_day"),
        ({"annual_due_days": "-1"}, "annual_due_days"),
        ({"final_due_days": "366"}, "final_due_days"),
        ({"reminder_days_before": "14, 0"}, "reminder_days_before"),
        ({"reminder_days_before": "1, 2, 3, 4, 5, 6"}, "reminder_days_before"),
        ({"reminder_days_before": "two weeks"}, "reminder_days_before"),
        ({"expense_variance_percent": "101"}, "expense_variance_percent"),
    ],
)
def test_impossible_values_are_refused_next_to_the_field(client, officer, draft_round,
                                                         changes, field):
    client.force_login(officer)

    response = client.post(_url(draft_round), {**VALID, **changes})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not ReportingDefaults.objects.filter(funding_round=draft_round).exists()
    assert not _events(draft_round).exists()


def test_refusal_keeps_saved_values(officer, draft_round):
    save_reporting_defaults(funding_round=draft_round, by=officer, final_due_days=90)
    with pytest.raises(DomainError) as refused:
        save_reporting_defaults(funding_round=draft_round, by=officer, final_due_days=90,
                                annual_due_days=400)

    assert refused.value.field == "annual_due_days"
    defaults = ReportingDefaults.objects.get(funding_round=draft_round)
    assert (defaults.final_due_days, defaults.annual_due_days) == (90, 30)
    assert _events(draft_round).count() == 1


def _expected(persona, is_draft):
    if persona == "anonymous":
        return 302
    if persona == "officer":
        return 200
    if is_draft and persona in ("applicant", "outsider", "reviewer"):
        return 404
    return 403


@pytest.mark.parametrize("is_draft", [True, False], ids=["draft", "published"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_page_by_persona(client, request, draft_round, persona, is_draft):
    if not is_draft:
        FundingRound.objects.filter(pk=draft_round.pk).update(status=Status.OPEN)
    login(client, persona_user(request, persona))

    got = client.get(_url(draft_round))
    posted = client.post(_url(draft_round), VALID)

    expected = _expected(persona, is_draft)
    assert got.status_code == expected
    assert posted.status_code == (302 if persona == "officer" else expected)
    if persona == "anonymous":
        assert posted["Location"].startswith(reverse("accounts:login"))
    if persona != "officer":
        assert not ReportingDefaults.objects.filter(funding_round=draft_round).exists()
        assert not _events(draft_round).exists()


def test_new_awards_use_the_new_defaults_and_existing_ones_keep_theirs(client, officer,
                                                                       open_round):
    before = AwardFactory(application__funding_round=open_round)
    before_deadlines = _deadlines(before)
    client.force_login(officer)

    response = client.post(_url(open_round), VALID)
    after = AwardFactory(application__funding_round=open_round)

    assert response.status_code == 302
    interim, annual, final = (ReportDeadline.Kind.INTERIM, ReportDeadline.Kind.ANNUAL,
                              ReportDeadline.Kind.FINAL)
    assert _deadlines(before) == before_deadlines == sorted([
        (interim, 2026, date(2026, 10, 31)), (interim, 2027, date(2027, 10, 31)),
        (annual, 2026, date(2027, 4, 30)), (annual, 2027, date(2028, 4, 30)),
        (final, 2027, date(2028, 5, 31)),
    ])
    assert _deadlines(after) == sorted([
        (interim, 2026, date(2026, 11, 30)), (interim, 2027, date(2027, 11, 30)),
        (annual, 2026, date(2027, 5, 15)), (annual, 2027, date(2028, 5, 15)),
        (final, 2027, date(2028, 6, 29)),
    ])
