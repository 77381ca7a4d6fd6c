"""Multi-model reads for the review pages, the API and other apps."""

from collections import Counter

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from applications.models import Application

from .models import (
    Assignment,
    ConflictOfInterest,
    Criterion,
    Decision,
    DecisionBatch,
    Review,
    ReviewerProfile,
    Rubric,
)
from .ranking import UNDECIDED_STATUSES, propose_selection, round_ranking


def reviewer_queue(user):
    """The reviewer's own active, unconflicted assignments, soonest due first."""
    return (
        Assignment.objects.visible_to(user)
        .filter(reviewer=user)
        .select_related(
            "application__funding_round", "application__theme", "application__tier", "review"
        )
        .order_by("due_on", "application__funding_round_id", "application_id")
    )


def scoring_materials(application) -> dict:
    """What the reviewer reads beside the proposal: the budget lines grouped
    by fiscal year (each year with its subtotal, then the total), the
    indicators and the attachments. Three queries, whatever their number;
    the attachments link to the application's policy-checked download."""
    years: list[dict] = []
    for line in application.budget_lines.select_related("expense_category"):
        if not years or years[-1]["fiscal_year"] != line.fiscal_year:
            years.append({"fiscal_year": line.fiscal_year, "lines": [], "total_yen": 0})
        years[-1]["lines"].append(line)
        years[-1]["total_yen"] += line.amount_yen
    return {
        "budget_years": years,
        "budget_total_yen": sum(year["total_yen"] for year in years),
        "indicators": list(application.indicators.order_by("fiscal_year", "name", "id")),
        "attachments": list(application.attachments.all()),
    }


def criteria_of(funding_round_id) -> list[Criterion]:
    return list(Criterion.objects.filter(rubric__funding_round_id=funding_round_id))


def review_total(review, criteria) -> int | None:
    """Weighted total of a review whose scores are prefetched (None if partial)."""
    values = {s.criterion_id: s.value for s in review.scores.all()}
    if any(c.pk not in values for c in criteria) or not criteria:
        return None
    return sum(c.weight * values[c.pk] for c in criteria)


def rubric_for(funding_round) -> Rubric:
    """The round's rubric, or an unsaved one with the default settings."""
    try:
        return funding_round.rubric
    except Rubric.DoesNotExist:
        return Rubric(funding_round=funding_round)


def others_scores_visible(assignment, own_review) -> bool:
    """Round setting: others' scores appear once one's own is submitted."""
    rubric = rubric_for(assignment.application.funding_round)
    if not rubric.hide_scores_until_submitted:
        return True
    return own_review is not None and own_review.status == Review.Status.SUBMITTED


def other_reviews(assignment, criteria) -> list[dict]:
    """Other reviewers' counted reviews of the same application, anonymous
    ("Reviewer A", "Reviewer B" in a stable order)."""
    reviews = (
        Review.objects.counted()
        .filter(assignment__application_id=assignment.application_id)
        .exclude(assignment__reviewer_id=assignment.reviewer_id)
        .prefetch_related("scores")
        .order_by("assignment_id")
    )
    result = []
    for number, review in enumerate(reviews):
        values = {s.criterion_id: s.value for s in review.scores.all()}
        result.append({
            "label": chr(ord("A") + number % 26),
            "scores": [values.get(c.pk) for c in criteria],
            "total": review_total(review, criteria),
            "recommendation": review.get_recommendation_display(),
        })
    return result


def applicant_comments(application_id) -> list[str]:
    """Comments reviewers wrote for the applicant (counted reviews only),
    without any reviewer identity."""
    return list(
        Review.objects.counted()
        .filter(assignment__application_id=application_id)
        .exclude(comment_to_applicant="")
        .order_by("assignment_id")
        .values_list("comment_to_applicant", flat=True)
    )


def decisions_for_organisation(organisation):
    """Decisions on an organisation's applications, newest first (for the
    applicant dashboard; reviewers are not reachable from these rows)."""
    return (
        Decision.objects.filter(application__organisation=organisation)
        .select_related("application", "funding_round")
        .order_by("-decided_at", "-id")
    )


def assignment_overview(funding_round):
    """Applications of a round with their assignments and reviews, the pool
    with loads, and conflict counts: a constant number of queries."""
    applications = list(
        Application.objects.filter(funding_round=funding_round, status__in=UNDECIDED_STATUSES + (
            Application.Status.AWARDED, Application.Status.DECLINED))
        .select_related("organisation", "theme")
        .prefetch_related(
            Prefetch(
                "review_assignments",
                queryset=Assignment.objects.select_related("reviewer", "review").order_by("id"),
            )
        )
        .order_by("receipt_number", "id")
    )
    conflicts = Counter(
        ConflictOfInterest.objects.filter(application__funding_round=funding_round).values_list(
            "application_id", flat=True
        )
    )
    loads = Counter(
        Assignment.objects.filter(
            application__funding_round=funding_round, status=Assignment.Status.ACTIVE
        )
        .values_list("reviewer_id", flat=True)
    )
    pool = list(ReviewerProfile.objects.active().select_related("user"))
    for application in applications:
        application.conflict_count = conflicts.get(application.pk, 0)
        application.active_assignments = [
            a for a in application.review_assignments.all() if a.status == Assignment.Status.ACTIVE
        ]
    for profile in pool:
        profile.load = loads.get(profile.user_id, 0)
    return applications, pool


def round_review_progress(funding_round) -> dict:
    """Counts for the round overview."""
    assignments = Assignment.objects.filter(application__funding_round=funding_round)
    return {
        "applications": Application.objects.filter(
            funding_round=funding_round, status__in=UNDECIDED_STATUSES
        ).count(),
        "assignments": assignments.filter(status=Assignment.Status.ACTIVE).count(),
        "conflicted": assignments.filter(status=Assignment.Status.CONFLICTED).count(),
        "submitted": Review.objects.counted().filter(
            assignment__application__funding_round=funding_round
        ).count(),
        "drafts": Review.objects.filter(
            assignment__application__funding_round=funding_round, status=Review.Status.DRAFT
        ).count(),
        "decided": Decision.objects.filter(funding_round=funding_round).count(),
    }


def round_proposal(funding_round, *, amounts=None, ranking=None):
    """The proposed selection over the undecided applications of a round."""
    ranking = ranking or round_ranking(funding_round)
    decided = Decision.objects.filter(funding_round=funding_round)
    per_theme = decided.awarded_by_theme()
    committed = decided.committed_yen()
    limits = {
        theme.pk: (theme.min_awards, theme.max_awards) for theme in funding_round.themes.all()
    }
    undecided = [r for r in ranking.rows if r.application.status in UNDECIDED_STATUSES]
    proposal = propose_selection(
        undecided, budget_yen=funding_round.budget_yen, theme_limits=limits,
        awarded_counts=per_theme, committed_yen=committed, amounts=amounts,
        margin=ranking.margin,
    )
    return ranking, proposal


def round_decisions(funding_round):
    return (
        Decision.objects.filter(funding_round=funding_round)
        .select_related("application__organisation", "decided_by")
        .order_by("application__receipt_number", "id")
    )


def batch_progress(funding_round, limit: int = 5):
    """Recent decision batches with notices generated and e-mailed (done/total)."""
    return list(
        DecisionBatch.objects.filter(funding_round=funding_round)
        .annotate(
            done=Count("decisions", filter=Q(decisions__notice_generated_at__isnull=False)),
            emailed=Count("decisions", filter=Q(decisions__notice_emailed_at__isnull=False)),
        )
        .order_by("-created_at", "-id")[:limit]
    )



def review_links(funding_round, user) -> dict[int, list[dict]]:
    """application id → its active assignments the user may open (reviewer,
    review status), for the links of the ranking and decisions pages. One
    query, scoped by core.policies (Assignment.objects.visible_to)."""
    labels = dict(Review.Status.choices)
    links: dict[int, list[dict]] = {}
    rows = (
        Assignment.objects.visible_to(user).in_round(funding_round).active()
        .order_by("application_id", "id")
        .values_list("application_id", "id", "reviewer__full_name", "review__status")
    )
    for application_id, assignment_id, reviewer, status in rows:
        links.setdefault(application_id, []).append({
            "id": assignment_id, "reviewer": reviewer,
            "status": labels.get(status) or _("Not started"),
        })
    return links
