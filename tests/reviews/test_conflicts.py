"""SECURITY: a conflicted reviewer never opens the application: 404 on the
review pages, the API, the application pages and PDFs; declarations come
before reading; a conflicted review is never counted."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Membership
from applications.models import Application
from core.errors import DomainError
from reviews.models import Assignment, ConflictOfInterest
from reviews.ranking import round_ranking
from reviews.services import declare_conflict, declare_no_conflict
from tests.factories import ReviewAssignmentFactory, ReviewerFactory, submitted_review


def _application_pages(application) -> list[str]:
    """The applications app's pages for one application."""
    return [reverse("applications:detail", args=[application.pk])]


@pytest.fixture
def conflicted(make_application, rubric):
    """A reviewer whose assignment turned conflicted (declared)."""
    assignment = ReviewAssignmentFactory(application=make_application(status="under_review"))
    submitted_review(assignment, [5, 5])
    declare_conflict(assignment=assignment, by=assignment.reviewer, reason="元職員です")
    return assignment


def test_declared_conflict_hides_the_application_everywhere(client, conflicted):
    reviewer = conflicted.reviewer
    client.force_login(reviewer)
    api = APIClient()
    api.force_authenticate(reviewer)
    assert client.get(reverse("reviews:assignment", args=[conflicted.pk])).status_code == 404
    assert client.post(reverse("reviews:declare", args=[conflicted.pk]),
                       {"declaration": "none"}).status_code == 404
    assert api.post("/api/v1/reviews/", {"assignment": conflicted.pk, "scores": []},
                    format="json").status_code == 404
    assert api.post(f"/api/v1/assignments/{conflicted.pk}/declaration/",
                    {"has_conflict": False}, format="json").status_code == 404
    assert api.get("/api/v1/assignments/").json()["results"] == []
    assert api.get("/api/v1/reviews/").json() == []
    for url in _application_pages(conflicted.application):
        assert client.get(url).status_code == 404, url
    assert api.get(f"/api/v1/applications/{conflicted.application.pk}/").status_code == 404
    assert not Application.objects.visible_to(reviewer).exists()
    queue = client.get(reverse("reviews:queue")).content.decode()
    assert conflicted.application.receipt_number not in queue


def test_a_conflicted_review_is_never_counted(conflicted):
    row = round_ranking(conflicted.application.funding_round).rows[0]
    assert row.count == 0 and row.mean is None
    assert Assignment.objects.get().status == Assignment.Status.CONFLICTED


def test_membership_is_a_conflict_even_without_a_stored_row(client, make_application, rubric):
    """Defence in depth: a reviewer who belongs to the applicant organisation
    is out of scope whatever the assignment rows say."""
    assignment = ReviewAssignmentFactory(application=make_application(status="under_review"))
    Membership.objects.create(organisation=assignment.application.organisation,
                              user=assignment.reviewer)
    client.force_login(assignment.reviewer)
    assert client.get(reverse("reviews:assignment", args=[assignment.pk])).status_code == 404
    for url in _application_pages(assignment.application):
        assert client.get(url).status_code == 404, url


def test_application_content_is_shown_only_after_declaring_no_conflict(client, make_application,
                                                                       rubric):
    application = make_application(status="under_review", summary="秘密の事業内容")
    assignment = ReviewAssignmentFactory(application=application, no_conflict_declared_at=None)
    client.force_login(assignment.reviewer)
    url = reverse("reviews:assignment", args=[assignment.pk])

    page = client.get(url).content.decode()
    assert "秘密の事業内容" not in page
    assert application.organisation.name in page  # needed to judge a conflict
    assert not Application.objects.visible_to(assignment.reviewer).exists()

    response = client.post(reverse("reviews:declare", args=[assignment.pk]),
                           {"declaration": "none"})
    assert response.status_code == 302
    assert "秘密の事業内容" in client.get(url).content.decode()
    assert Application.objects.visible_to(assignment.reviewer).get() == application


def test_declaring_a_conflict_needs_a_reason_and_withdraws(client, make_application):
    assignment = ReviewAssignmentFactory(application=make_application(status="under_review"),
                                         no_conflict_declared_at=None)
    client.force_login(assignment.reviewer)
    url = reverse("reviews:declare", args=[assignment.pk])
    response = client.post(url, {"declaration": "conflict", "reason": ""})
    assert response.status_code == 400
    assert not ConflictOfInterest.objects.exists()

    response = client.post(url, {"declaration": "conflict", "reason": "理事を務めている"})
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get()
    assert (conflict.kind, conflict.reason) == ("declared", "理事を務めている")
    assert Assignment.objects.get().status == Assignment.Status.CONFLICTED


def test_only_the_assigned_reviewer_declares(make_application):
    assignment = ReviewAssignmentFactory(application=make_application(status="under_review"),
                                         no_conflict_declared_at=None)
    other = ReviewerFactory()
    with pytest.raises(DomainError):
        declare_no_conflict(assignment=assignment, by=other)
    assignment.refresh_from_db()
    assert assignment.no_conflict_declared_at is None


def test_declaring_no_conflict_detects_a_late_affiliation_conflict(make_application):
    application = make_application(status="under_review")
    assignment = ReviewAssignmentFactory(
        application=application, no_conflict_declared_at=None,
        reviewer__profile__affiliation_corporate_number=application.organisation.corporate_number,
    )
    with pytest.raises(DomainError) as caught:
        declare_no_conflict(assignment=assignment, by=assignment.reviewer)
    assert caught.value.code == "conflict_detected"


def test_visible_to_never_leaks_other_reviewers_assignments(client, make_application, rubric):
    mine = ReviewAssignmentFactory(application=make_application(status="under_review"))
    theirs = ReviewAssignmentFactory(application=make_application(status="under_review"))
    client.force_login(mine.reviewer)
    assert client.get(reverse("reviews:assignment", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("reviews:assignment", args=[mine.pk])).status_code == 200
    assert mine.no_conflict_declared_at <= timezone.now()
