"""API for reviews: the reviewer's own assignments and reviews, hidden scores,
staff assignment, ranking and decisions; scope 404, policy 403, refusals 409;
never a reviewer identity in an applicant's responses."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.models import Assignment, Criterion, Decision, Review
from tests.factories import (
    ReviewApplicationFactory,
    ReviewAssignmentFactory,
    ReviewerFactory,
    ReviewerProfileFactory,
    ReviewRoundFactory,
    RubricFactory,
    submitted_review,
)

from .helpers import PERSONAS


@pytest.fixture
def review_round(programme):
    round_ = ReviewRoundFactory(programme=programme)
    RubricFactory(funding_round=round_, criteria=2)
    return round_


@pytest.fixture
def mine(review_round, reviewer):
    """The `reviewer` persona's declared assignment, beside another reviewer's."""
    ReviewerProfileFactory(user=reviewer)
    application = ReviewApplicationFactory(funding_round=review_round, status="under_review")
    other = ReviewAssignmentFactory(application=application,
                                    reviewer__full_name="別の 審査員")
    return ReviewAssignmentFactory(application=application, reviewer=reviewer), other


def _scores(value_a, value_b):
    a, b = Criterion.objects.order_by("position")
    return [{"criterion": a.pk, "value": value_a}, {"criterion": b.pk, "value": value_b}]


def test_reviewer_lists_only_own_assignments(api_as, mine, review_round):
    assignment, other = mine
    ReviewAssignmentFactory(application=ReviewApplicationFactory(funding_round=review_round))
    body = api_as("reviewer").get("/api/v1/assignments/").json()
    assert [row["id"] for row in body["results"]] == [assignment.pk]
    assert body["results"][0]["has_declared_no_conflict"] is True


def test_draft_submit_and_hidden_scores(api_as, mine):
    assignment, other = mine
    submitted_review(other, [1, 1], recommendation="do_not_support")
    api = api_as("reviewer")

    created = api.post("/api/v1/reviews/", {"assignment": assignment.pk,
                                            "scores": _scores(4, None)}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["total"] is None
    assert body["other_reviews"] is None  # hidden until own submission

    review_id = body["id"]
    refused = api.post(f"/api/v1/reviews/{review_id}/submit/")
    assert refused.status_code == 409 and refused.json()["code"] == "score_missing"

    api.put(f"/api/v1/reviews/{review_id}/", {"scores": _scores(4, 5),
                                              "recommendation": "support"}, format="json")
    submitted = api.post(f"/api/v1/reviews/{review_id}/submit/")
    assert submitted.status_code == 200
    body = submitted.json()
    assert (body["status"], body["total"]) == ("submitted", 9)
    assert [(o["label"], o["scores"], o["total"]) for o in body["other_reviews"]] == [
        ("A", [1, 1], 2)
    ]
    assert "別の 審査員" not in json.dumps(body, ensure_ascii=False)

    again = api.put(f"/api/v1/reviews/{review_id}/", {"scores": _scores(1, 1)}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "review_submitted"


def test_declaration_through_the_api(api_as, review_round, reviewer):
    ReviewerProfileFactory(user=reviewer)
    assignment = ReviewAssignmentFactory(
        application=ReviewApplicationFactory(funding_round=review_round, status="under_review"),
        reviewer=reviewer, no_conflict_declared_at=None,
    )
    api = api_as("reviewer")
    refused = api.post("/api/v1/reviews/", {"assignment": assignment.pk, "scores": []},
                       format="json")
    assert refused.status_code == 403
    response = api.post(f"/api/v1/assignments/{assignment.pk}/declaration/",
                        {"has_conflict": True, "reason": "役員を兼ねている"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "conflicted"
    assert api.get("/api/v1/assignments/").json()["results"] == []
    assert api.post(f"/api/v1/assignments/{assignment.pk}/declaration/",
                    {"has_conflict": False}, format="json").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_ranking_endpoint_scope(api_as, review_round, persona):
    response = api_as(persona).get(f"/api/v1/rounds/{review_round.pk}/ranking/")
    expected = {"anonymous": 401, "applicant": 404, "outsider": 404, "reviewer": 404}
    assert response.status_code == expected.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_assign_endpoint_permissions(api_as, review_round, persona):
    ReviewApplicationFactory(funding_round=review_round)
    ReviewerFactory()
    response = api_as(persona).post(f"/api/v1/rounds/{review_round.pk}/assign/", {"k": 1},
                                    format="json")
    expected = {"anonymous": 401, "applicant": 404, "outsider": 404, "reviewer": 404,
                "oversight": 403, "other_officer": 403, "officer": 200}[persona]
    assert response.status_code == expected
    assert Assignment.objects.count() == (1 if expected == 200 else 0)
    if expected == 200:
        assert response.json()["created"] == 1


def test_assign_endpoint_explains_infeasibility(api_as, review_round):
    application = ReviewApplicationFactory(funding_round=review_round)
    ReviewerFactory()
    response = api_as("officer").post(f"/api/v1/rounds/{review_round.pk}/assign/", {"k": 3},
                                      format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "assignment_infeasible"
    assert application.receipt_number in body["detail"]


def _ranked_round(review_round, n):
    reviewers = [ReviewerFactory() for _ in range(3)]
    for _ in range(n):
        application = ReviewApplicationFactory(funding_round=review_round, status="under_review")
        for reviewer, values in zip(reviewers, ([4, 3], [2, 5], [5, 5]), strict=True):
            submitted_review(ReviewAssignmentFactory(application=application, reviewer=reviewer),
                             values)


def test_ranking_endpoint_body_and_constant_queries(api_as, programme):
    api = api_as("officer")

    def measure(n):
        round_ = ReviewRoundFactory(programme=programme)
        RubricFactory(funding_round=round_, criteria=2)
        _ranked_round(round_, n)
        with CaptureQueriesContext(connection) as captured:
            response = api.get(f"/api/v1/rounds/{round_.pk}/ranking/")
        assert response.status_code == 200
        return response.json(), len(captured.captured_queries)

    small, small_queries = measure(3)
    large, large_queries = measure(12)
    assert small_queries == large_queries
    rows = large["groups"][0]["rows"]
    assert len(rows) == 12
    assert rows[0]["count"] == 3 and rows[0]["mean"] == pytest.approx((7 + 7 + 10) / 3)
    assert rows[0]["rank"] == 1
    assert large["max_total"] == 10
    assert "reviewer" not in json.dumps(large)


def test_decisions_endpoint(api_as, review_round, django_capture_on_commit_callbacks):
    first = ReviewApplicationFactory(funding_round=review_round, status="under_review",
                                     requested_yen=900_000)
    second = ReviewApplicationFactory(funding_round=review_round, status="under_review")
    api = api_as("officer")
    bad = api.post(f"/api/v1/rounds/{review_round.pk}/decisions/", {"decisions": [
        {"application": first.pk, "outcome": "awarded", "amount_yen": 1_000_000},
    ]}, format="json")
    assert bad.status_code == 409 and bad.json()["code"] == "amount_above_request"
    assert not Decision.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/rounds/{review_round.pk}/decisions/", {"decisions": [
            {"application": first.pk, "outcome": "awarded", "amount_yen": 800_000},
            {"application": second.pk, "outcome": "declined", "reason": "順位"},
        ]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {(d["receipt_number"], d["outcome"], d["amount_yen"]) for d in body["decisions"]} == {
        (first.receipt_number, "awarded", 800_000), (second.receipt_number, "declined", None)
    }
    assert body["batches"][0]["total"] == 2  # notices follow in the background
    progress = api_as("oversight").get(f"/api/v1/rounds/{review_round.pk}/decisions/")
    assert progress.status_code == 200
    assert progress.json()["batches"][0]["done"] == 2
    assert api_as("oversight").post(f"/api/v1/rounds/{review_round.pk}/decisions/", {
        "decisions": []}, format="json").status_code == 403


def test_applicant_responses_never_name_a_reviewer(api_as, mine, applicant, review_round):
    assignment, other = mine
    submitted_review(other, [3, 3])
    api = api_as("applicant")
    bodies = [
        api.get("/api/v1/assignments/"), api.get("/api/v1/reviews/"),
        api.get(f"/api/v1/reviews/{Review.objects.get().pk}/"),
        api.get(f"/api/v1/rounds/{review_round.pk}/ranking/"),
        api.get(f"/api/v1/rounds/{review_round.pk}/decisions/"),
    ]
    text = " ".join(b.content.decode() for b in bodies)
    assert [b.status_code for b in bodies] == [200, 200, 404, 404, 404]
    for user in (assignment.reviewer, other.reviewer):
        assert user.full_name not in text and user.email not in text


def test_reviewer_list_endpoints_queries_do_not_grow(api_as, review_round, reviewer):
    ReviewerProfileFactory(user=reviewer)
    api = api_as("reviewer")

    def grow_to(n):
        while reviewer.review_assignments.count() < n:
            assignment = ReviewAssignmentFactory(
                application=ReviewApplicationFactory(funding_round=review_round,
                                                     status="under_review"),
                reviewer=reviewer,
            )
            submitted_review(assignment, [3, 4])

    def measure():
        counts = []
        for url in ("/api/v1/assignments/", "/api/v1/reviews/"):
            with CaptureQueriesContext(connection) as captured:
                assert api.get(url).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    grow_to(3)
    small = measure()
    grow_to(12)
    assert measure() == small
    assert len(api.get("/api/v1/reviews/").json()) == 12
