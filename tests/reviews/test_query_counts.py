"""List pages read with a constant number of queries, whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ReviewAssignmentFactory, ReviewerFactory, submitted_review


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_reviewer_queue_queries_do_not_grow(client, make_application, rubric):
    reviewer = ReviewerFactory()

    def grow_to(n):
        while reviewer.review_assignments.count() < n:
            ReviewAssignmentFactory(
                reviewer=reviewer, application=make_application(status="under_review"),
                no_conflict_declared_at=None if reviewer.review_assignments.count() % 2 else
                reviewer.date_joined,
            )

    client.force_login(reviewer)
    url = reverse("reviews:queue")
    grow_to(3)
    small = count_queries(client, url)
    grow_to(12)
    assert count_queries(client, url) == small


def _reviewed_applications(make_application, n, reviewers):
    from applications.models import Application

    while Application.objects.count() < n:
        application = make_application(status="under_review")
        for values, reviewer in zip(([4, 3], [2, 5], [3, 3]), reviewers, strict=True):
            submitted_review(ReviewAssignmentFactory(application=application, reviewer=reviewer),
                             values)


@pytest.mark.parametrize("page", ["ranking", "decisions", "assignments", "round"])
def test_round_pages_queries_do_not_grow(client, officer, make_application, rubric, page):
    reviewers = [ReviewerFactory() for _ in range(3)]
    url = reverse(f"reviews:{page}", args=[rubric.funding_round.pk])
    client.force_login(officer)
    _reviewed_applications(make_application, 3, reviewers)
    small = count_queries(client, url)
    _reviewed_applications(make_application, 12, reviewers)
    assert count_queries(client, url) == small
