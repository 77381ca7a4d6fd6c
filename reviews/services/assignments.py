"""Assigning reviewers, by hand or optimally (reviews.assignment)."""

from collections import defaultdict
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application
from applications.services import set_application_status
from core.errors import DomainError
from core.roles import Role
from core.transitions import record
from grants.models import FundingRound
from grants.services import start_review

from ..assignment import AssignmentProblem, Infeasible, Shortfall, solve_assignment
from ..models import Assignment, ReviewerProfile, ReviewEvent
from ..queries import rubric_for
from ..ranking import UNDECIDED_STATUSES
from ..tasks import notify_reviewer_assignments
from .common import locked_round
from .reviewers import refresh_conflicts

# Applications waiting to be reviewed move to "under review" when assigned.
_TO_START = (Application.Status.SUBMITTED, Application.Status.ELIGIBLE)


def assignable_applications(funding_round):
    """Applications of a round that still take reviewers: submitted,
    eligible or under review, and not yet decided."""
    return Application.objects.filter(
        funding_round=funding_round, status__in=UNDECIDED_STATUSES, decision__isnull=True
    )


def _open_for_assignment(funding_round, by) -> FundingRound:
    """A closed round starts its review with the first assignment."""
    funding_round = locked_round(funding_round)
    if funding_round.status == FundingRound.Status.CLOSED:
        return start_review(funding_round=funding_round, by=by,
                            reason=_("Reviewers assigned."))
    if funding_round.status != FundingRound.Status.REVIEWING:
        raise DomainError(
            _("Reviewers can be assigned once the round has closed (its status is %(status)s).")
            % {"status": FundingRound.Status(funding_round.status).label},
            code="round_not_closed",
        )
    return funding_round


def _start_reviews(application_ids, *, by) -> None:
    for application in Application.objects.filter(pk__in=application_ids, status__in=_TO_START):
        set_application_status(application=application, to=Application.Status.UNDER_REVIEW,
                               by=by, reason=_("Reviewers assigned."))


def _notify(reviewer_ids) -> None:
    for reviewer_id in sorted(set(reviewer_ids)):
        transaction.on_commit(partial(notify_reviewer_assignments.delay, reviewer_id))


@transaction.atomic
def assign_reviewer(*, application, reviewer, by, due_on=None) -> Assignment:
    """Staff assign one reviewer by hand; never a conflicted pair, never twice."""
    funding_round = _open_for_assignment(application.funding_round, by)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not assignable_applications(funding_round).filter(pk=application.pk).exists():
        raise DomainError(_("This application is not waiting for review."),
                          code="application_not_reviewable")
    profile = ReviewerProfile.objects.filter(user=reviewer).select_related("user").first()
    if profile is None or not profile.is_active or reviewer.role != Role.REVIEWER:
        raise DomainError(_("%(name)s is not an active reviewer.") % {"name": reviewer},
                          code="not_a_reviewer", field="reviewer")
    if Assignment.objects.filter(application=application, reviewer=reviewer).exists():
        raise DomainError(
            _("%(name)s has already been assigned to this application.") % {"name": reviewer},
            code="already_assigned", field="reviewer",
        )
    conflicts = refresh_conflicts(applications=Application.objects.filter(pk=application.pk),
                                  reviewer_ids=[reviewer.pk], by=by)
    if (application.pk, reviewer.pk) in conflicts:
        raise DomainError(
            _("%(name)s has a conflict of interest with this application.") % {"name": reviewer},
            code="conflict_of_interest", field="reviewer",
        )
    assignment = Assignment.objects.create(
        application=application, reviewer=reviewer, assigned_by=by,
        due_on=due_on or rubric_for(funding_round).review_due_on,
        source=Assignment.Source.MANUAL,
    )
    record(ReviewEvent, funding_round=funding_round, by=by, action=ReviewEvent.Action.ASSIGNED,
           application=application, changes={"reviewer": reviewer.pk, "source": "manual"})
    _start_reviews([application.pk], by=by)
    _notify([reviewer.pk])
    return assignment


@transaction.atomic
def unassign_reviewer(*, assignment, by, reason: str = "") -> None:
    """Take back an assignment nobody has started scoring."""
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("application").get(
        pk=assignment.pk
    )
    if hasattr(assignment, "review"):
        raise DomainError(_("The reviewer has started this review; it cannot be taken back."),
                          code="review_started")
    record(ReviewEvent, funding_round_id=assignment.application.funding_round_id, by=by,
           action=ReviewEvent.Action.UNASSIGNED, application=assignment.application, why=reason,
           changes={"reviewer": assignment.reviewer_id})
    assignment.delete()


@transaction.atomic
def assign_reviewers_automatically(
    *, funding_round, by, k=None, max_load=None, min_load=None, due_on=None, reviewer_ids=None
):
    """Give every waiting application k reviewers, optimally: no conflicts,
    loads within bounds, matching expertise preferred, load balanced
    (reviews.assignment). Existing assignments count and are kept.
    Returns the AssignmentResult; refuses with the pre-check's reasons."""
    funding_round = _open_for_assignment(funding_round, by)
    rubric = rubric_for(funding_round)
    k = rubric.reviews_per_application if k is None else k
    max_load = rubric.max_load if max_load is None else max_load
    min_load = rubric.min_load if min_load is None else min_load
    due_on = due_on or rubric.review_due_on
    if k < 1 or min_load > max_load:
        raise DomainError(_("Check the numbers: k at least 1 and minimum load not above "
                            "the maximum."), code="bad_bounds", field="k")
    applications = assignable_applications(funding_round)
    apps = list(applications.values("id", "theme__number", "receipt_number"))
    profiles = ReviewerProfile.objects.active()
    if reviewer_ids is not None:
        profiles = profiles.filter(user_id__in=list(reviewer_ids))
    pool = list(profiles.values("user_id", "expertise_themes", "user__full_name"))
    conflicts = refresh_conflicts(applications=applications, by=by)
    assigned = list(
        Assignment.objects.filter(application__funding_round=funding_round).values_list(
            "application_id", "reviewer_id", "status"
        )
    )
    problem = AssignmentProblem(
        applications=[a["id"] for a in apps],
        reviewers=[p["user_id"] for p in pool],
        k=k, max_load=max_load, min_load=min_load,
        # Withdrawn (conflicted) pairs are never assigned again either.
        conflicts=conflicts | {(a, r) for a, r, s in assigned if s != Assignment.Status.ACTIVE},
        existing={(a, r) for a, r, s in assigned if s == Assignment.Status.ACTIVE},
        themes={a["id"]: a["theme__number"] for a in apps},
        expertise={p["user_id"]: p["expertise_themes"] or [] for p in pool},
    )
    try:
        result = solve_assignment(problem)
    except Infeasible as infeasible:
        labels = {"application": {a["id"]: a["receipt_number"] or f"#{a['id']}" for a in apps},
                  "reviewer": {p["user_id"]: p["user__full_name"] for p in pool}}
        raise DomainError(
            " ".join(describe_shortfall(s, labels) for s in infeasible.shortfalls[:5]),
            code="assignment_infeasible", field="k",
        ) from infeasible
    if not result.pairs:
        return result  # every application already has k reviewers: nothing changed
    Assignment.objects.bulk_create(
        Assignment(application_id=a, reviewer_id=r, assigned_by=by, due_on=due_on,
                   source=Assignment.Source.AUTOMATIC)
        for a, r in result.pairs
    )
    per_app = defaultdict(list)
    for a, r in result.pairs:
        per_app[a].append(r)
    record(ReviewEvent, funding_round=funding_round, by=by,
           action=ReviewEvent.Action.AUTO_ASSIGNED, changes={
               "k": k, "max_load": max_load, "min_load": min_load, "created": result.count,
               "objective": result.objective, "expertise_matches": result.expertise_matches,
           })
    _start_reviews(list(per_app), by=by)
    _notify(r for _a, r in result.pairs)
    return result


def describe_shortfall(shortfall: Shortfall, labels: dict) -> str:
    """A sentence for staff explaining one reason the request is infeasible."""
    app = labels.get("application", {}).get(shortfall.subject, shortfall.subject)
    reviewer = labels.get("reviewer", {}).get(shortfall.subject, shortfall.subject)
    values = {"app": app, "reviewer": reviewer, "available": shortfall.available,
              "needed": shortfall.needed}
    messages = {
        "application": _("Application %(app)s has only %(available)s unconflicted reviewers "
                         "with capacity, needs %(needed)s."),
        "capacity": _("%(needed)s reviews are needed but the reviewers' load caps allow only "
                      "%(available)s."),
        "minimum_total": _("The minimum loads add up to %(needed)s reviews but only "
                           "%(available)s are to be assigned."),
        "reviewer_minimum": _("Reviewer %(reviewer)s can take only %(available)s applications, "
                              "below the minimum of %(needed)s."),
        "min_above_max": _("Reviewer %(reviewer)s has a minimum load above the maximum."),
        "solver": _("No assignment satisfies every bound; raise the load cap or lower the "
                    "minimum."),
    }
    return messages[shortfall.kind] % values
