"""Confidential scoring: drafts, then submission."""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.transitions import record
from grants.models import FundingRound

from ..models import (
    Assignment,
    ConflictOfInterest,
    Criterion,
    Decision,
    Recommendation,
    Review,
    ReviewEvent,
    Score,
)
from .common import require_reviewing

TEXT_FIELDS = ("recommendation", "comment_to_staff", "comment_to_applicant")


def weighted_total(criteria, values: Mapping[int, int]) -> int:
    """Σ weight × score over the criteria (every one scored)."""
    return sum(c.weight * values[c.pk] for c in criteria)


def _scoring_assignment(assignment, by) -> Assignment:
    """The reviewer's own active, declared, unconflicted assignment, locked
    with its application: a decision (which locks the application) waits for
    the write, or the write sees the decision and is refused."""
    assignment = (
        Assignment.objects.select_for_update(of=("self", "application"))
        .select_related("application__funding_round")
        .get(pk=assignment.pk)
    )
    if assignment.reviewer_id != getattr(by, "pk", None):
        raise DomainError(_("Only the assigned reviewer can score this application."),
                          code="not_assigned_reviewer")
    if assignment.status != Assignment.Status.ACTIVE or ConflictOfInterest.objects.filter(
        application_id=assignment.application_id, reviewer_id=assignment.reviewer_id
    ).exists():
        raise DomainError(_("A conflict of interest has been recorded for this application."),
                          code="assignment_conflicted")
    if assignment.no_conflict_declared_at is None:
        raise DomainError(_("Declare that you have no conflict of interest before scoring."),
                          code="declaration_required")
    _require_undecided(assignment)
    require_reviewing(assignment.application.funding_round)
    return assignment


def decided_refusal(assignment) -> DomainError | None:
    """Why the assignment's review can no longer change, once the round or
    the application is decided (None while it can)."""
    if assignment.application.funding_round.status in (
        FundingRound.Status.DECIDED, FundingRound.Status.ARCHIVED
    ):
        return DomainError(
            _("The round has been decided: reviews can no longer be saved or submitted."),
            code="round_decided",
        )
    if Decision.objects.filter(application_id=assignment.application_id).exists():
        return DomainError(
            _("A decision has been recorded on this application: reviews can no longer be "
              "saved or submitted."),
            code="application_decided",
        )
    return None


def _require_undecided(assignment) -> None:
    """Reviews stop with the decision: the round's, or the application's."""
    refusal = decided_refusal(assignment)
    if refusal is not None:
        raise refusal


@transaction.atomic
def save_review_draft(
    *, assignment, by, scores: Mapping[int, int | None], recommendation: str = "",
    comment_to_staff: str = "", comment_to_applicant: str = "",
) -> Review:
    """Keep the reviewer's scores and comments as a draft (any subset of
    criteria); a submitted review no longer changes."""
    assignment = _scoring_assignment(assignment, by)
    criteria = {
        c.pk: c for c in Criterion.objects.filter(
            rubric__funding_round_id=assignment.application.funding_round_id
        )
    }
    values = {}
    for criterion_id, value in scores.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            raise DomainError(_("Unknown criterion."), code="unknown_criterion", field="scores")
        if value is None or value == "":
            continue
        if not isinstance(value, int) or not criterion.scale_min <= value <= criterion.scale_max:
            raise DomainError(
                _("%(name)s: enter a score from %(low)s to %(high)s.")
                % {"name": criterion.name, "low": criterion.scale_min,
                   "high": criterion.scale_max},
                code="score_out_of_range", field=f"criterion_{criterion.pk}",
            )
        values[criterion.pk] = value
    if recommendation and recommendation not in Recommendation.values:
        raise DomainError(_("Choose an overall recommendation from the list."),
                          code="recommendation_unknown", field="recommendation")
    review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
    if review.status == Review.Status.SUBMITTED:
        raise DomainError(_("This review has been submitted and can no longer change."),
                          code="review_submitted")
    review.recommendation = recommendation or ""
    review.comment_to_staff = comment_to_staff or ""
    review.comment_to_applicant = comment_to_applicant or ""
    review.save()
    review.scores.exclude(criterion_id__in=values).delete()
    existing = {s.criterion_id: s for s in review.scores.all()}
    for criterion_id, value in values.items():
        score = existing.get(criterion_id)
        if score is None:
            Score.objects.create(review=review, criterion_id=criterion_id, value=value)
        elif score.value != value:
            score.value = value
            score.save(update_fields=["value"])
    return review


@transaction.atomic
def submit_review(*, review, by) -> Review:
    """Submit a complete draft: every criterion scored and a recommendation.
    Only submitted reviews count in the ranking."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    assignment = _scoring_assignment(review.assignment, by)
    if review.status not in Review.TRANSITIONS or Review.Status.SUBMITTED not in (
        Review.TRANSITIONS[review.status]
    ):
        raise DomainError(_("This review has already been submitted."), code="review_submitted")
    scored = dict(review.scores.values_list("criterion_id", "value"))
    criteria = list(Criterion.objects.filter(
        rubric__funding_round_id=assignment.application.funding_round_id
    ))
    for criterion in criteria:
        if criterion.pk not in scored:
            raise DomainError(
                _("Score %(name)s before submitting.") % {"name": criterion.name},
                code="score_missing", field=f"criterion_{criterion.pk}",
            )
    if not scored:
        raise DomainError(_("This round has no rubric yet."), code="no_rubric")
    if not review.recommendation:
        raise DomainError(_("Choose an overall recommendation before submitting."),
                          code="recommendation_missing", field="recommendation")
    review.status = Review.Status.SUBMITTED
    review.submitted_at = timezone.now()
    review.weighted_total = weighted_total(criteria, scored)
    review.save(update_fields=["status", "submitted_at", "weighted_total", "updated_at"])
    record(ReviewEvent, funding_round_id=assignment.application.funding_round_id, by=by,
           action=ReviewEvent.Action.REVIEW_SUBMITTED, application=assignment.application,
           from_status=Review.Status.DRAFT, to_status=Review.Status.SUBMITTED)
    return review
