"""API: the reviewer's assignments name the project and the round, in a
constant number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ReviewApplicationFactory,
    ReviewAssignmentFactory,
    ReviewerProfileFactory,
    ReviewRoundFactory,
)


def _get(api):
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/v1/assignments/")
    assert response.status_code == 200
    return response.json()["results"], len(captured.captured_queries)


def test_assignments_name_the_project_and_round_in_constant_queries(api_as, programme,
                                                                     reviewer):
    ReviewerProfileFactory(user=reviewer)
    review_round = ReviewRoundFactory(programme=programme)

    def grow_to(n):
        while reviewer.review_assignments.count() < n:
            ReviewAssignmentFactory(reviewer=reviewer, application=ReviewApplicationFactory(
                funding_round=review_round, status="under_review"))

    api = api_as("reviewer")
    grow_to(2)
    rows, small = _get(api)
    assert {row["application"]["funding_round_title"] for row in rows} == {review_round.title}
    assert all(row["application"]["title"].startswith("つながりの場づくり") for row in rows)
    grow_to(10)
    rows, large = _get(api)
    assert len(rows) == 10 and large == small
