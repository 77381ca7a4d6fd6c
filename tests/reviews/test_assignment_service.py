"""Assignment through the services: conflicts detected automatically are
never assigned, statuses move, e-mails go once, infeasible requests explain
themselves, and nothing is assigned twice."""

import pytest
from django.core import mail

from accounts.models import Membership
from applications.models import Application, ApplicationEvent, ConsortiumMember
from core.errors import DomainError
from grants.models import FundingRound
from reviews.models import Assignment, ConflictOfInterest, ReviewEvent
from reviews.services import assign_reviewer, assign_reviewers_automatically
from reviews.tasks import notify_reviewer_assignments
from tests.factories import OrganisationFactory, ReviewerFactory


@pytest.fixture
def tied_round(review_round, make_application):
    """Six applications and five reviewers, four of them tied to one
    application each (corporate number, consortium member, membership,
    organisation name)."""
    apps = [make_application() for _ in range(6)]
    free = ReviewerFactory(profile__expertise_themes=[1, 2])
    by_number = ReviewerFactory(
        profile__affiliation_corporate_number=apps[0].organisation.corporate_number
    )
    member_org = OrganisationFactory()
    ConsortiumMember.objects.create(application=apps[1], name=member_org.name, legal_form="npo",
                                    corporate_number=member_org.corporate_number)
    by_consortium = ReviewerFactory(
        profile__affiliation_corporate_number=member_org.corporate_number
    )
    by_membership = ReviewerFactory()
    Membership.objects.create(organisation=apps[2].organisation, user=by_membership)
    by_name = ReviewerFactory(
        profile__affiliation_name="特定非営利活動法人 " + apps[3].organisation.name.replace(
            "NPO法人 ", ""
        )
    )
    ties = {
        (apps[0].pk, by_number.pk): "corporate_number",
        (apps[1].pk, by_consortium.pk): "corporate_number",
        (apps[2].pk, by_membership.pk): "membership",
        (apps[3].pk, by_name.pk): "organisation_name",
    }
    return apps, [free, by_number, by_consortium, by_membership, by_name], ties


def test_automatic_assignment_never_assigns_a_detected_conflict(
    tied_round, review_round, officer, django_capture_on_commit_callbacks
):
    apps, reviewers, ties = tied_round
    with django_capture_on_commit_callbacks(execute=True):
        result = assign_reviewers_automatically(
            funding_round=review_round, by=officer, k=3, max_load=6
        )

    pairs = set(Assignment.objects.values_list("application_id", "reviewer_id"))
    assert pairs == set(result.pairs)
    assert not pairs & set(ties)
    assert {
        (c.application_id, c.reviewer_id): c.kind for c in ConflictOfInterest.objects.all()
    } == ties
    for app in apps:
        assert Assignment.objects.filter(application=app).count() == 3
        app.refresh_from_db()
        assert app.status == Application.Status.UNDER_REVIEW
        assert ApplicationEvent.objects.filter(application=app, to_status="under_review").exists()
    loads = sorted(result.loads.values())
    assert loads[-1] - loads[0] <= 1  # balanced: 18 reviews over 5 reviewers
    assert ReviewEvent.objects.get(action="auto_assigned").changes["created"] == 18
    # One e-mail per reviewer, never with the application's content.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in reviewers)
    assert all(apps[0].title not in m.body for m in mail.outbox)

    # Run again: every application has its reviewers, so nothing changes and
    # no empty audit row is written.
    again = assign_reviewers_automatically(funding_round=review_round, by=officer, k=3, max_load=6)
    assert again.pairs == []
    assert Assignment.objects.count() == 18
    assert ReviewEvent.objects.filter(action="auto_assigned").count() == 1


def test_notification_task_is_idempotent(tied_round, review_round, officer,
                                         django_capture_on_commit_callbacks):
    apps, reviewers, _ties = tied_round
    with django_capture_on_commit_callbacks(execute=True):
        assign_reviewers_automatically(funding_round=review_round, by=officer, k=2, max_load=6)
    sent = len(mail.outbox)
    assert notify_reviewer_assignments(reviewers[0].pk) == 0
    assert len(mail.outbox) == sent


def test_rerun_and_higher_k_never_repeat_a_pair(tied_round, review_round, officer):
    apps, _reviewers, ties = tied_round
    assign_reviewers_automatically(funding_round=review_round, by=officer, k=2, max_load=6)
    first = set(Assignment.objects.values_list("application_id", "reviewer_id"))
    assert assign_reviewers_automatically(
        funding_round=review_round, by=officer, k=2, max_load=6
    ).pairs == []
    more = assign_reviewers_automatically(funding_round=review_round, by=officer, k=3, max_load=6)
    pairs = list(Assignment.objects.values_list("application_id", "reviewer_id"))
    assert len(pairs) == len(set(pairs)) == 18
    assert first <= set(pairs) and len(more.pairs) == 6


def test_infeasible_request_names_the_application(tied_round, review_round, officer):
    apps, _reviewers, _ties = tied_round
    before = Assignment.objects.count()
    with pytest.raises(DomainError) as caught:
        assign_reviewers_automatically(funding_round=review_round, by=officer, k=5, max_load=10)
    assert caught.value.code == "assignment_infeasible"
    message = str(caught.value.message)
    assert apps[0].receipt_number in message and "4" in message and "5" in message
    assert Assignment.objects.count() == before
    assert Application.objects.filter(status="under_review").count() == 0


def test_closed_round_starts_review_and_open_round_is_refused(make_application, review_round,
                                                              officer):
    make_application()
    ReviewerFactory()
    FundingRound.objects.filter(pk=review_round.pk).update(status="closed")
    assign_reviewers_automatically(funding_round=review_round, by=officer, k=1)
    review_round.refresh_from_db()
    assert review_round.status == FundingRound.Status.REVIEWING

    FundingRound.objects.filter(pk=review_round.pk).update(status="open")
    with pytest.raises(DomainError) as caught:
        assign_reviewers_automatically(funding_round=review_round, by=officer, k=1)
    assert caught.value.code == "round_not_closed"


def test_manual_assignment_refuses_conflicts_and_duplicates(tied_round, officer):
    apps, reviewers, _ties = tied_round
    free, by_number = reviewers[0], reviewers[1]
    assignment = assign_reviewer(application=apps[0], reviewer=free, by=officer)
    assert assignment.source == Assignment.Source.MANUAL
    apps[0].refresh_from_db()
    assert apps[0].status == Application.Status.UNDER_REVIEW

    with pytest.raises(DomainError) as caught:
        assign_reviewer(application=apps[0], reviewer=free, by=officer)
    assert caught.value.code == "already_assigned"
    with pytest.raises(DomainError) as caught:
        assign_reviewer(application=apps[0], reviewer=by_number, by=officer)
    assert caught.value.code == "conflict_of_interest"
    assert Assignment.objects.count() == 1


def test_manual_assignment_of_a_non_reviewer_is_refused(make_application, officer, applicant):
    with pytest.raises(DomainError) as caught:
        assign_reviewer(application=make_application(), reviewer=applicant, by=officer)
    assert caught.value.code == "not_a_reviewer"
    assert not Assignment.objects.exists()
