"""Confidential scoring: drafts are kept and never counted, submission needs
every criterion, and other reviewers' scores stay hidden until one's own
review is submitted (round setting)."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from reviews.models import Criterion, Review, ReviewEvent, Rubric
from reviews.services import save_review_draft, submit_review
from tests.factories import ReviewAssignmentFactory, submitted_review


@pytest.fixture
def pair(make_application, rubric):
    """Two reviewers assigned to one application."""
    application = make_application(status="under_review")
    return (ReviewAssignmentFactory(application=application),
            ReviewAssignmentFactory(application=application))


def _post(client, assignment, values, **extra):
    criteria = Criterion.objects.filter(rubric__funding_round=assignment.application.funding_round)
    data = {f"criterion_{c.pk}": v for c, v in zip(criteria, values, strict=False) if v}
    data.update(extra)
    return client.post(reverse("reviews:assignment", args=[assignment.pk]), data)


def test_draft_keeps_partial_scores_and_submit_needs_all(client, pair):
    mine, _other = pair
    client.force_login(mine.reviewer)
    assert _post(client, mine, [4, None], comment_to_staff="途中").status_code == 302
    review = Review.objects.get()
    assert review.status == Review.Status.DRAFT
    assert list(review.scores.values_list("value", flat=True)) == [4]

    response = _post(client, mine, [4, None], submit="1", recommendation="support")
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT  # refused, but the draft is kept
    assert review.recommendation == "support"
    page = client.get(reverse("reviews:assignment", args=[mine.pk])).content.decode()
    assert "観点" in page

    _post(client, mine, [4, 2], submit="1", recommendation="support")
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assert review.weighted_total == 4 + 2
    assert ReviewEvent.objects.filter(action="review_submitted").count() == 1


def test_submitted_review_no_longer_changes(pair):
    mine, _other = pair
    review = submitted_review(mine, [3, 3])
    with pytest.raises(DomainError) as caught:
        save_review_draft(assignment=mine, by=mine.reviewer, scores={})
    assert caught.value.code == "review_submitted"
    assert list(review.scores.values_list("value", flat=True)) == [3, 3]


def test_scores_out_of_range_are_refused_naming_the_criterion(pair):
    mine, _other = pair
    criterion = Criterion.objects.first()
    with pytest.raises(DomainError) as caught:
        save_review_draft(assignment=mine, by=mine.reviewer, scores={criterion.pk: 9})
    assert criterion.name in str(caught.value.message)
    assert caught.value.field == f"criterion_{criterion.pk}"
    assert not Review.objects.exists()


def test_submission_needs_a_recommendation(pair):
    mine, _other = pair
    criteria = list(Criterion.objects.all())
    review = save_review_draft(assignment=mine, by=mine.reviewer,
                               scores={c.pk: 4 for c in criteria})
    with pytest.raises(DomainError) as caught:
        submit_review(review=review, by=mine.reviewer)
    assert caught.value.field == "recommendation"


def test_others_scores_hidden_until_own_review_is_submitted(client, pair):
    mine, other = pair
    submitted_review(other, [1, 2], recommendation="do_not_support")
    client.force_login(mine.reviewer)
    url = reverse("reviews:assignment", args=[mine.pk])

    response = client.get(url)
    assert response.context["others"] is None
    assert "🔒" in response.content.decode()

    _post(client, mine, [4, 4])  # a draft does not unlock
    assert client.get(url).context["others"] is None

    _post(client, mine, [4, 4], submit="1", recommendation="support")
    response = client.get(url)
    page = response.content.decode()
    assert "🔒" not in page
    assert [(o["label"], o["scores"], o["total"]) for o in response.context["others"]] == [
        ("A", [1, 2], 3)
    ]
    assert other.reviewer.full_name not in page and other.reviewer.email not in page


def test_round_setting_can_show_others_scores_before_submission(client, pair):
    mine, other = pair
    Rubric.objects.update(hide_scores_until_submitted=False)
    submitted_review(other, [1, 2])
    client.force_login(mine.reviewer)
    page = client.get(reverse("reviews:assignment", args=[mine.pk])).content.decode()
    assert "🔒" not in page
    assert other.reviewer.full_name not in page


def test_staff_cannot_score(client, officer, pair):
    mine, _other = pair
    client.force_login(officer)
    assert client.get(reverse("reviews:assignment", args=[mine.pk])).status_code == 200
    assert _post(client, mine, [4, 4]).status_code == 403
    assert not Review.objects.exists()
