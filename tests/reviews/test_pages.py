"""Staff pages end to end: automatic assignment, the proposal with the
funding line, bulk decisions with notice progress."""

from django.urls import reverse

from reviews.models import Assignment, Decision
from tests.factories import ReviewAssignmentFactory, ReviewerFactory, submitted_review


def test_assign_page_runs_the_optimiser(client, officer, make_application, rubric):
    apps = [make_application() for _ in range(4)]
    for _ in range(3):
        ReviewerFactory()
    client.force_login(officer)
    url = reverse("reviews:assignments", args=[rubric.funding_round.pk])
    response = client.post(url, {"action": "auto", "k": 2, "max_load": 4, "min_load": 0})
    assert response.status_code == 302
    assert Assignment.objects.count() == 8
    page = client.get(url).content.decode()
    assert all(a.receipt_number in page for a in apps)

    response = client.post(url, {"action": "auto", "k": 4, "max_load": 9, "min_load": 0})
    assert response.status_code == 400
    assert "3" in response.content.decode() and Assignment.objects.count() == 8


def test_proposal_and_bulk_decisions(client, officer, make_application, rubric,
                                     django_capture_on_commit_callbacks):
    round_ = rubric.funding_round
    round_.budget_yen = 1_500_000
    round_.save()
    strong = make_application(status="under_review", requested_yen=1_000_000)
    weak = make_application(status="under_review", requested_yen=1_000_000)
    for application, values in ((strong, [5, 5]), (weak, [2, 2])):
        submitted_review(ReviewAssignmentFactory(application=application), values)
    client.force_login(officer)
    url = reverse("reviews:decisions", args=[round_.pk])

    response = client.get(url)
    proposal = response.context["proposal"]
    assert [(r.ranked.id, r.selected, r.reason) for r in proposal.rows] == [
        (strong.pk, True, "rank"), (weak.pk, False, "budget")
    ]
    assert proposal.funding_line == (10 + 4) / 2

    # Lowering the strong one's amount makes room for the weak one.
    rows = _rows(strong, weak)
    lowered = client.get(url, rows | {"rows-0-amount_yen": "500000"}).context["proposal"]
    assert [r.selected for r in lowered.rows] == [True, True]
    response = client.post(url, rows | {"action": "recalculate", "rows-0-amount_yen": "500000"})
    assert response.status_code == 200 and not Decision.objects.exists()
    assert [r.selected for r in response.context["proposal"].rows] == [True, True]

    ticked = rows | {
        "action": "bulk", "reason": "審査結果による",
        "rows-0-decide": "on", "rows-0-outcome": "awarded", "rows-0-amount_yen": "900000",
        "rows-1-decide": "on", "rows-1-outcome": "declined", "rows-1-amount_yen": "1000000",
    }
    # First a confirmation page: what will be recorded and e-mailed; nothing yet.
    confirmation = client.post(url, ticked)
    assert confirmation.status_code == 200 and not Decision.objects.exists()
    assert [i["application"].pk for i in confirmation.context["items"]] == [strong.pk, weak.pk]
    body = confirmation.content.decode()
    assert 'name="confirmed" value="1"' in body
    assert 'name="rows-0-amount_yen" value="900000"' in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**ticked, "confirmed": "1"})
    assert response.status_code == 302
    assert {(d.application_id, d.outcome, d.amount_yen) for d in Decision.objects.all()} == {
        (strong.pk, "awarded", 900_000), (weak.pk, "declined", None)
    }
    page = client.get(url)
    assert page.context["batches"][0].done == 2
    assert reverse("reviews:notice", args=[Decision.objects.first().pk]) in page.content.decode()


def _rows(*applications) -> dict:
    """The proposal formset's data for these applications, in this order."""
    data = {"rows-TOTAL_FORMS": len(applications), "rows-INITIAL_FORMS": len(applications)}
    for i, application in enumerate(applications):
        data |= {f"rows-{i}-application": application.pk, f"rows-{i}-outcome": "declined"}
    return data


def test_bulk_decision_needs_a_valid_amount_for_awards(client, officer, make_application, rubric):
    application = make_application(status="under_review")
    client.force_login(officer)
    response = client.post(reverse("reviews:decisions", args=[rubric.funding_round.pk]), {
        **_rows(application), "action": "bulk", "rows-0-decide": "on",
        "rows-0-outcome": "awarded", "rows-0-amount_yen": "たくさん",
    })
    assert response.status_code == 400
    assert application.receipt_number in response.content.decode()
    assert not Decision.objects.exists()


def test_assign_and_remove_by_hand(client, officer, make_application, rubric):
    application = make_application()
    reviewer = ReviewerFactory()
    client.force_login(officer)
    url = reverse("reviews:assignments", args=[rubric.funding_round.pk])
    response = client.post(url, {"action": "manual", "application": application.pk,
                                 "reviewer": reviewer.pk, "due_on": "2026-12-01"})
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.reviewer, str(assignment.due_on)) == (reviewer, "2026-12-01")

    again = client.post(url, {"action": "manual", "application": application.pk,
                              "reviewer": reviewer.pk})
    assert again.status_code == 400 and Assignment.objects.count() == 1

    response = client.post(reverse("reviews:unassign", args=[assignment.pk]))
    assert response.status_code == 302 and not Assignment.objects.exists()
