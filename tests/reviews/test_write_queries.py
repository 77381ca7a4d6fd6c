"""Issue 12: a review write does not grow with the round.

The whole path of one review (staff assign, the reviewer declares, saves a
draft and submits, the assignment e-mail runs) runs the same number of
queries whether the reviewer already holds 2 or 30 assignments and the round
2 or 30 applications. The lookup of the reviewer's not yet notified
assignments reads a partial index (reviews.Assignment.Meta.indexes), so its
cost follows the new assignments, not all of them (bench/review_writes.py
measures it on PostgreSQL at N = 1,000 and 10,000).
"""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.models import Criterion, Review
from reviews.services import assign_reviewer, declare_no_conflict, save_review_draft, submit_review

pytestmark = pytest.mark.django_db


def _write_one_review(application, reviewer, officer) -> int:
    scores = {c.pk: 4 for c in Criterion.objects.filter(
        rubric__funding_round_id=application.funding_round_id)}
    with CaptureQueriesContext(connection) as captured:
        assignment = assign_reviewer(application=application, reviewer=reviewer, by=officer)
        assignment = declare_no_conflict(assignment=assignment, by=reviewer)
        review = save_review_draft(assignment=assignment, by=reviewer, scores=scores,
                                   recommendation="support")
        submit_review(review=review, by=reviewer)
    assert Review.objects.get(pk=review.pk).status == Review.Status.SUBMITTED
    return len(captured.captured_queries)


def test_one_review_runs_the_same_queries_with_2_or_30_earlier_reviews(
    django_capture_on_commit_callbacks, officer, pool_reviewer, rubric, make_application,
):
    def grow_to(n):
        while Review.objects.filter(assignment__reviewer=pool_reviewer).count() < n:
            with django_capture_on_commit_callbacks(execute=True):
                _write_one_review(make_application(), pool_reviewer, officer)

    grow_to(2)
    with django_capture_on_commit_callbacks(execute=True):
        small = _write_one_review(make_application(), pool_reviewer, officer)
    grow_to(30)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        large = _write_one_review(make_application(), pool_reviewer, officer)
    assert large == small
    # The e-mail lists only the new assignment, not the 30 earlier ones.
    assert len(mail.outbox) == 1
    assert "1件の申請の審査をお願いします" in mail.outbox[0].body
