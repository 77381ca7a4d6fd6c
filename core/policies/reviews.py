"""Policies for reviews: who sees which assignment, review and decision, and
who may assign, score and decide.

SECURITY: a reviewer with a conflict of interest (stored, or a membership of
the applicant organisation) is outside every scope below, so pages, API and
PDFs answer 404. Reviewer identities are never in an applicant's scope.
"""

from django.apps import apps
from django.db.models import Q

from .base import (
    NOTHING,
    active_user,
    is_programme_staff,
    is_reviewer,
    is_staff_user,
    of_member,
    sees_all_programmes,
)

__all__ = [
    "reviewer_application_scope",
    "assignments_visible_to",
    "reviews_visible_to",
    "decisions_visible_to",
    "review_rounds_visible_to",
    "can_manage_reviews",
    "can_view_ranking",
    "can_manage_reviewer_pool",
    "can_declare_on_assignment",
    "can_score_assignment",
    "can_view_decision",
]


def _unconflicted(user, prefix: str = "") -> Q:
    """Applications (at `prefix`) the user has no conflict with: two NOT IN
    subqueries (no join, so no duplicate rows and no DISTINCT)."""
    conflict = apps.get_model("reviews", "ConflictOfInterest")
    conflicted = conflict.objects.filter(reviewer=user).values("application_id")
    own = f"{prefix}pk__in" if prefix else "pk__in"
    return ~Q(**{own: conflicted}) & ~of_member(user, prefix)


def _active_assignment():
    """Assignment.Status.ACTIVE, read through the app registry (core sits below reviews)."""
    return apps.get_model("reviews", "Assignment").Status.ACTIVE


def reviewer_application_scope(user) -> Q:
    """Applications a reviewer may open: assigned to them, active, declared
    free of conflict before reading, and not conflicted."""
    assignment = apps.get_model("reviews", "Assignment")
    assigned = assignment.objects.filter(
        reviewer=user, status=assignment.Status.ACTIVE, no_conflict_declared_at__isnull=False
    ).values("application_id")
    return Q(pk__in=assigned) & _unconflicted(user)


def assignments_visible_to(user) -> Q:
    """Staff and oversight: all; reviewers: their own active, unconflicted
    assignments; nobody else."""
    if sees_all_programmes(user):
        return Q()
    if not is_reviewer(user):
        return NOTHING
    return Q(reviewer=user, status=_active_assignment()) & _unconflicted(user, "application__")


def reviews_visible_to(user) -> Q:
    """Staff and oversight: all; reviewers: the reviews of their own visible
    assignments (others' scores are shown through the round setting)."""
    if sees_all_programmes(user):
        return Q()
    if not is_reviewer(user):
        return NOTHING
    return Q(assignment__reviewer=user, assignment__status=_active_assignment()) & _unconflicted(
        user, "assignment__application__"
    )


def decisions_visible_to(user) -> Q:
    """Staff and oversight: all; applicants: their organisations' decisions;
    reviewers: none."""
    if sees_all_programmes(user):
        return Q()
    if not active_user(user) or is_reviewer(user):
        return NOTHING
    return of_member(user, "application__")


def review_rounds_visible_to(user) -> Q:
    """Rounds whose review pages (assignment, ranking, decisions) a user may
    open: staff and oversight only."""
    return Q() if sees_all_programmes(user) else NOTHING


def can_manage_reviews(user, funding_round) -> bool:
    """Rubric, assignment and decisions: staff of the round's programme."""
    return is_programme_staff(user, funding_round.programme)


def can_view_ranking(user, funding_round) -> bool:
    """Staff and oversight read rankings of every round."""
    return sees_all_programmes(user)


def can_manage_reviewer_pool(user) -> bool:
    """Any programme staff member invites and edits reviewers."""
    return is_staff_user(user)


def can_declare_on_assignment(user, assignment) -> bool:
    """Only the assigned reviewer declares conflicts on an active assignment."""
    return (
        is_reviewer(user)
        and assignment.reviewer_id == user.pk
        and assignment.status == assignment.Status.ACTIVE
    )


def can_score_assignment(user, assignment) -> bool:
    """The assigned reviewer scores, once they declared no conflict."""
    return can_declare_on_assignment(user, assignment) and assignment.is_declared


def can_view_decision(user, decision) -> bool:
    """Staff, oversight and members of the applicant organisation."""
    if sees_all_programmes(user):
        return True
    return (
        active_user(user)
        and not is_reviewer(user)
        and decision.application.organisation.has_member(user)
    )


RULES = {
    "reviews.manage_round": can_manage_reviews,
    "reviews.view_ranking": can_view_ranking,
    "reviews.declare_conflict": can_declare_on_assignment,
    "reviews.score": can_score_assignment,
    "reviews.view_decision": can_view_decision,
}
