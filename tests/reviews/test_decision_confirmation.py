"""Bulk decisions send e-mails, so the decisions page asks first: the
confirmation page lists what will be recorded and sent; only its own POST
(confirmed) records them and sends the notices."""

import pytest
from django.urls import reverse

from reviews.models import Decision
from tests.factories import ReviewAssignmentFactory, submitted_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(make_application, rubric):
    apps = [make_application(status="under_review", requested_yen=1_000_000) for _ in range(2)]
    for application in apps:
        submitted_review(ReviewAssignmentFactory(application=application), [4, 4])
    return apps


def ticked(apps):
    """The proposal formset's rows, both ticked: the first awarded, the second declined."""
    return {
        "action": "bulk", "reason": "審査結果による",
        "rows-TOTAL_FORMS": 2, "rows-INITIAL_FORMS": 2,
        "rows-0-application": apps[0].pk, "rows-0-decide": "on",
        "rows-0-outcome": "awarded", "rows-0-amount_yen": "800000",
        "rows-1-application": apps[1].pk, "rows-1-decide": "on",
        "rows-1-outcome": "declined", "rows-1-amount_yen": "",
    }


def test_no_mail_before_the_confirmation(client, officer, rubric, two, mailoutbox,
                                         django_capture_on_commit_callbacks):
    client.force_login(officer)
    url = reverse("reviews:decisions", args=[rubric.funding_round.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, ticked(two), HTTP_ACCEPT_LANGUAGE="ja")
    body = response.content.decode()
    assert response.status_code == 200
    assert "2件の採否を記録します" in body
    assert "申請団体にメールで送ります" in body
    assert "1件、合計800,000円を採択します" in body
    assert not Decision.objects.exists() and mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**ticked(two), "confirmed": "1"})
    assert response.status_code == 302
    assert Decision.objects.count() == 2
    assert len(mailoutbox) == 2


def test_back_to_the_proposal_keeps_the_amounts_and_records_nothing(client, officer, rubric, two):
    client.force_login(officer)
    url = reverse("reviews:decisions", args=[rubric.funding_round.pk])
    response = client.post(url, {**ticked(two), "confirmed": "1", "action": "recalculate"})
    assert response.status_code == 200 and not Decision.objects.exists()
    row = next(r for r in response.context["proposal"].rows if r.ranked.id == two[0].pk)
    assert row.amount_yen == 800_000


def test_nothing_ticked_is_refused_without_a_confirmation(client, officer, rubric, two):
    client.force_login(officer)
    url = reverse("reviews:decisions", args=[rubric.funding_round.pk])
    response = client.post(url, {"action": "bulk", "reason": ""})
    assert response.status_code == 400
    assert "confirmed" not in response.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize("persona", ["oversight", "other_officer"])
def test_only_managing_staff_reach_the_confirmation(request, client, rubric, two, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("reviews:decisions", args=[rubric.funding_round.pk])
    assert client.post(url, ticked(two)).status_code in (403, 404)
    assert not Decision.objects.exists()
