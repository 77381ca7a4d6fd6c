"""The decisions page (issue 13.1): the single decision with an amount, the
per-application rows as a formset, blank amounts, and malformed input that
is refused with a message (400), never a 500, and changes nothing."""

import pytest
from django.urls import reverse
from django.utils import translation

from reviews.models import Decision
from tests.factories import ReviewAssignmentFactory, submitted_review


@pytest.fixture
def two(make_application, rubric):
    round_ = rubric.funding_round
    round_.budget_yen = 1_500_000
    round_.save()
    strong = make_application(status="under_review", requested_yen=1_000_000)
    weak = make_application(status="under_review", requested_yen=1_000_000)
    for application, values in ((strong, [5, 5]), (weak, [2, 2])):
        submitted_review(ReviewAssignmentFactory(application=application), values)
    return round_, strong, weak


def _rows(response) -> dict:
    """The POST data of the proposal formset as the page rendered it."""
    formset = response.context["row_formset"]
    management = formset.management_form
    data = {management.add_prefix(name): management[name].value() for name in management.fields}
    for form in formset:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, False):
                data[form.add_prefix(name)] = value
    return data


def test_single_decision_with_an_amount_is_recorded(client, officer, two):
    round_, strong, _weak = two
    client.force_login(officer)
    url = reverse("reviews:decisions", args=[round_.pk])
    response = client.post(url, {
        "action": "single", "single-application": strong.pk, "single-outcome": "awarded",
        "single-amount_yen": "９０万", "single-reason": "先駆性",
    })
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.application_id, decision.amount_yen) == (strong.pk, 900_000)


def test_single_award_with_a_blank_amount_awards_the_requested_amount(client, officer, two):
    round_, strong, _weak = two
    client.force_login(officer)
    response = client.post(reverse("reviews:decisions", args=[round_.pk]), {
        "action": "single", "single-application": strong.pk, "single-outcome": "awarded",
        "single-amount_yen": "",
    })
    assert response.status_code == 302
    assert Decision.objects.get().amount_yen == 1_000_000


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("data", [
    {"action": "single", "single-application": "abc", "single-outcome": "awarded"},
    {"action": "single", "single-application": "999999", "single-outcome": "awarded"},
    {"action": "single", "single-application": "{strong}", "single-outcome": "maybe"},
    {"action": "single", "single-application": "{strong}", "single-outcome": "awarded",
     "single-amount_yen": "yen"},
    {"action": "bulk", "amount_yen": "900000", "amount_abc": "1", "decide": "x"},
    {"action": "bulk", "rows-TOTAL_FORMS": "2", "rows-INITIAL_FORMS": "2",
     "rows-0-application": "nope", "rows-0-decide": "on", "rows-0-outcome": "awarded"},
    {"action": "bulk", "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "1",
     "rows-0-application": "999999", "rows-0-decide": "on", "rows-0-outcome": "awarded"},
    {"action": "recalculate", "rows-TOTAL_FORMS": "x"},
    {"action": "whatever"},
])
def test_malformed_input_is_a_400_with_a_message_and_changes_nothing(
    client, officer, two, data, language
):
    round_, strong, _weak = two
    data = {k: v.replace("{strong}", str(strong.pk)) for k, v in data.items()}
    client.force_login(officer)
    with translation.override(language):
        response = client.post(reverse("reviews:decisions", args=[round_.pk]), data,
                               headers={"accept-language": language})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Decision.objects.exists()


def test_bulk_rows_are_a_formset_and_recalculate_keeps_what_was_typed(client, officer, two):
    round_, strong, weak = two
    client.force_login(officer)
    url = reverse("reviews:decisions", args=[round_.pk])
    page = client.get(url)
    data = _rows(page)
    assert [r.selected for r in page.context["proposal"].rows] == [True, False]
    data["rows-0-amount_yen"] = "50万"
    data["action"] = "recalculate"
    response = client.post(url, data)
    assert response.status_code == 200
    assert [r.selected for r in response.context["proposal"].rows] == [True, True]
    assert 'value="50万"' in response.content.decode()

    data = _rows(response)
    data |= {"action": "bulk", "rows-0-decide": "on", "rows-1-decide": "on",
             "rows-1-outcome": "declined", "reason": "審査結果による", "confirmed": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert {(d.application_id, d.outcome, d.amount_yen) for d in Decision.objects.all()} == {
        (strong.pk, "awarded", 500_000), (weak.pk, "declined", None)
    }


def test_bulk_refused_by_the_service_changes_nothing_and_keeps_the_rows(client, officer, two):
    round_, strong, weak = two
    client.force_login(officer)
    url = reverse("reviews:decisions", args=[round_.pk])
    data = _rows(client.get(url))
    # Both awarded at the requested amount: over the round's budget.
    data |= {"action": "bulk", "rows-0-decide": "on", "rows-1-decide": "on",
             "rows-1-outcome": "awarded", "rows-1-amount_yen": "１００万", "confirmed": "1"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert not Decision.objects.exists()
    assert 'value="１００万"' in response.content.decode()


def test_bulk_award_with_a_blank_amount_awards_the_requested_amount(client, officer, two):
    round_, strong, _weak = two
    client.force_login(officer)
    url = reverse("reviews:decisions", args=[round_.pk])
    data = _rows(client.get(url))
    data |= {"action": "bulk", "rows-0-decide": "on", "rows-0-amount_yen": "", "confirmed": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert Decision.objects.get().amount_yen == strong.requested_yen
