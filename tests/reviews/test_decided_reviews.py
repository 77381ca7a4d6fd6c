"""Reviews stop with the decision: once staff decided the application (or the
whole round is decided), a draft can no longer be saved nor a review
submitted. The refusal says why (ja and en) and changes nothing."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from core.errors import DomainError
from grants.models import FundingRound
from reviews.models import Criterion, Review, ReviewEvent, Score
from reviews.services import record_decision, save_review_draft, submit_review
from tests.factories import ReviewAssignmentFactory


@pytest.fixture
def assignment(make_application, rubric):
    """A declared assignment on an application under review, with a draft."""
    assignment = ReviewAssignmentFactory(application=make_application(status="under_review"))
    criteria = list(Criterion.objects.order_by("position"))
    save_review_draft(assignment=assignment, by=assignment.reviewer,
                      scores={criteria[0].pk: 3}, comment_to_staff="途中")
    return assignment


def _all_scores():
    return {c.pk: 4 for c in Criterion.objects.all()}


def _decline(assignment, officer):
    # Another application keeps the round under review.
    ReviewAssignmentFactory(application__funding_round=assignment.application.funding_round)
    record_decision(application=assignment.application, outcome="declined", by=officer,
                    reason="評価が採択水準に達しなかった。")


def _snapshot(assignment):
    review = Review.objects.get(assignment=assignment)
    return (review.status, review.comment_to_staff, review.recommendation,
            sorted(Score.objects.filter(review=review).values_list("criterion_id", "value")),
            ReviewEvent.objects.filter(action="review_submitted").count())


def test_draft_refused_once_the_application_is_decided(assignment, officer):
    _decline(assignment, officer)
    assert assignment.application.funding_round.status == FundingRound.Status.REVIEWING
    before = _snapshot(assignment)
    with pytest.raises(DomainError) as caught:
        save_review_draft(assignment=assignment, by=assignment.reviewer, scores=_all_scores(),
                          recommendation="support", comment_to_staff="変更")
    assert caught.value.code == "application_decided"
    assert "採否" in str(caught.value.message)
    assert _snapshot(assignment) == before


def test_submission_refused_once_the_application_is_decided(assignment, officer):
    review = save_review_draft(assignment=assignment, by=assignment.reviewer,
                               scores=_all_scores(), recommendation="support")
    _decline(assignment, officer)
    before = _snapshot(assignment)
    with pytest.raises(DomainError) as caught:
        submit_review(review=review, by=assignment.reviewer)
    assert caught.value.code == "application_decided"
    assert _snapshot(assignment) == before


def test_refused_once_the_round_is_decided_naming_why_in_english(assignment):
    funding_round = assignment.application.funding_round
    FundingRound.objects.filter(pk=funding_round.pk).update(status=FundingRound.Status.DECIDED)
    before = _snapshot(assignment)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        save_review_draft(assignment=assignment, by=assignment.reviewer, scores=_all_scores())
    assert caught.value.code == "round_decided"
    with translation.override("en"):
        message = str(caught.value.message)
    assert "decided" in message and "review" in message.lower()
    with pytest.raises(DomainError) as caught:
        submit_review(review=Review.objects.get(assignment=assignment), by=assignment.reviewer)
    assert caught.value.code == "round_decided"
    assert "採否" in str(caught.value.message)
    assert _snapshot(assignment) == before


def _post(client, assignment, **extra):
    data = {f"criterion_{pk}": value for pk, value in _all_scores().items()}
    data.update(recommendation="support", comment_to_staff="変更", **extra)
    return client.post(reverse("reviews:assignment", args=[assignment.pk]), data, follow=True)


@pytest.mark.parametrize("action", [{}, {"submit": "1"}])
def test_page_shows_why_and_changes_nothing(client, assignment, officer, action):
    client.force_login(assignment.reviewer)
    _decline(assignment, officer)
    before = _snapshot(assignment)
    response = _post(client, assignment, **action)
    page = response.content.decode()
    assert "この申請は採否が決定済みのため" in page
    assert "下書きを保存しました" not in page
    assert _snapshot(assignment) == before


@override_settings(LANGUAGE_CODE="en")
def test_page_offers_no_form_after_the_decision_and_says_why(client, assignment, officer):
    client.force_login(assignment.reviewer)
    _decline(assignment, officer)
    page = client.get(reverse("reviews:assignment", args=[assignment.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="submit"' not in page and 'name="save"' not in page
    assert "A decision has been recorded on this application" in page
