"""API: once the application (or the round) is decided, saving a draft and
submitting answer 409 with the reason; nothing changes."""

import pytest

from grants.models import FundingRound
from reviews.models import Criterion, Review
from reviews.services import record_decision, save_review_draft
from tests.factories import (
    ReviewApplicationFactory,
    ReviewAssignmentFactory,
    ReviewerProfileFactory,
    ReviewRoundFactory,
    RubricFactory,
)


@pytest.fixture
def draft(programme, reviewer):
    """The `reviewer` persona's complete draft on an application under review."""
    review_round = ReviewRoundFactory(programme=programme)
    RubricFactory(funding_round=review_round, criteria=2)
    ReviewerProfileFactory(user=reviewer)
    application = ReviewApplicationFactory(funding_round=review_round, status="under_review")
    ReviewApplicationFactory(funding_round=review_round, status="under_review")  # still open
    assignment = ReviewAssignmentFactory(application=application, reviewer=reviewer)
    return save_review_draft(assignment=assignment, by=reviewer,
                             scores={c.pk: 4 for c in Criterion.objects.all()},
                             recommendation="support", comment_to_staff="下書き")


def _scores(value):
    return [{"criterion": c.pk, "value": value} for c in Criterion.objects.all()]


def _state(review):
    review = Review.objects.get(pk=review.pk)
    return review.status, review.comment_to_staff, sorted(
        review.scores.values_list("criterion_id", "value"))


@pytest.mark.parametrize("decided", ["application", "round"])
def test_writes_answer_409_after_the_decision(api_as, draft, officer, decided):
    application = draft.assignment.application
    if decided == "application":
        record_decision(application=application, outcome="declined", by=officer,
                        reason="水準に達しなかった。")
    else:
        FundingRound.objects.filter(pk=application.funding_round_id).update(
            status=FundingRound.Status.DECIDED)
    before = _state(draft)
    api = api_as("reviewer")
    code = f"{decided}_decided"

    put = api.put(f"/api/v1/reviews/{draft.pk}/", {"scores": _scores(1),
                                                   "comment_to_staff": "変更"}, format="json")
    assert put.status_code == 409 and put.json()["code"] == code
    assert "採否が決定済み" in put.json()["detail"]

    post = api.post("/api/v1/reviews/", {"assignment": draft.assignment_id,
                                         "scores": _scores(2)}, format="json")
    assert post.status_code == 409 and post.json()["code"] == code

    submit = api.post(f"/api/v1/reviews/{draft.pk}/submit/")
    assert submit.status_code == 409 and submit.json()["code"] == code

    english = api.post(f"/api/v1/reviews/{draft.pk}/submit/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 409
    assert "no longer be saved or submitted" in english.json()["detail"]
    assert _state(draft) == before
