"""Demo review data: the reviewer pool, default rubrics, assignments and
completed reviews on the demo rounds, so the ranking page has content.

Runs after applications.demo. Rounds still open (or drafts) are left alone:
nobody reviews before the call closes. Idempotent: profiles are keyed by
user, rubrics by round, assignments by (application, reviewer) and reviews
by assignment; existing rows are never changed.
"""

from django.utils import timezone

from accounts.models import Role, User
from applications.models import Application
from applications.services import set_application_status
from grants.models import FundingRound

from .assignment import AssignmentProblem, Infeasible, solve_assignment
from .models import Assignment, Criterion, Recommendation, Review, ReviewerProfile, Score
from .ranking import UNDECIDED_STATUSES
from .services import create_default_rubric, refresh_conflicts
from .services.scoring import weighted_total

DEMO_DOMAIN = "demo.kodoku.jp"

# Pool profiles of the accounts demo's reviewers (keyed by e-mail local part).
# reviewer3 works for つながりの木, a consortium member of a programme B
# application: the demo shows that conflict being detected.
PROFILES = {
    "reviewer1": {"affiliation_name": "東都大学 社会福祉学部", "expertise_themes": [1, 2],
                  "prefectures": ["13", "14"]},
    "reviewer2": {"affiliation_name": "関西地域福祉研究所", "expertise_themes": [2, 3, 4],
                  "prefectures": ["27", "28"]},
    "reviewer3": {"affiliation_name": "特定非営利活動法人 つながりの木",
                  "affiliation_corporate_number": "1011105000123",
                  "expertise_themes": [1, 5], "prefectures": ["13"]},
}
DEFAULT_PROFILE = {"affiliation_name": "", "expertise_themes": [1], "prefectures": []}
COMMENTS = [
    "地域の多様な主体との連携が具体的で、先駆性が高い。",
    "効果測定の指標をもう少し具体的にするとよい。",
    "事業終了後の財源確保の見通しを明確にしてほしい。",
]
SKIPPED_ROUND_STATUSES = (FundingRound.Status.DRAFT, FundingRound.Status.OPEN)


def _pool() -> list[ReviewerProfile]:
    profiles = []
    for user in User.objects.filter(role=Role.REVIEWER, is_active=True).order_by("email"):
        local = user.email.split("@")[0] if user.email.endswith("@" + DEMO_DOMAIN) else ""
        profile, _created = ReviewerProfile.objects.get_or_create(
            user=user, defaults={**PROFILES.get(local, DEFAULT_PROFILE),
                                 "invitation_sent_at": timezone.now()},
        )
        profiles.append(profile)
    return [p for p in profiles if p.is_active]


def _ensure_rubric(funding_round) -> list[Criterion]:
    criteria = list(Criterion.objects.filter(rubric__funding_round=funding_round))
    if not criteria:
        create_default_rubric(funding_round=funding_round, by=None)
        criteria = list(Criterion.objects.filter(rubric__funding_round=funding_round))
    return criteria


def _assign(funding_round, applications, pool) -> tuple[list[Assignment], set[int]]:
    """Assignments of the applications (new ones made optimally) and the ids
    of those made now."""
    conflicts = refresh_conflicts(applications=Application.objects.filter(
        pk__in=[a.pk for a in applications]))
    existing = set(Assignment.objects.filter(application__in=applications).values_list(
        "application_id", "reviewer_id"))
    reviewers = [p.user_id for p in pool]
    k = min(3, len(reviewers))
    # Each application gets as many reviewers as it can, up to k.
    per_app_k = {
        a.pk: min(k, sum(1 for r in reviewers if (a.pk, r) not in conflicts)) for a in applications
    }
    new = set()
    for k_value in sorted(set(per_app_k.values()), reverse=True):
        subset = [a for a in applications if per_app_k[a.pk] == k_value]
        try:
            result = solve_assignment(AssignmentProblem(
                applications=[a.pk for a in subset], reviewers=reviewers, k=k_value,
                max_load=len(applications), conflicts=conflicts, existing=existing,
                themes={a.pk: a.theme.number if a.theme else None for a in subset},
                expertise={p.user_id: p.expertise_themes for p in pool},
            ))
        except Infeasible:
            continue
        for a, r in result.pairs:
            assignment, _created = Assignment.objects.get_or_create(
                application_id=a, reviewer_id=r,
                defaults={"source": Assignment.Source.AUTOMATIC,
                          "no_conflict_declared_at": timezone.now(),
                          "notified_at": timezone.now()},
            )
            existing.add((a, r))
            new.add(assignment.pk)
    assignments = list(
        Assignment.objects.filter(application__in=applications, status="active")
        .order_by("application_id", "reviewer_id")
    )
    return assignments, new


def _review(assignment, criteria) -> bool:
    if Review.objects.filter(assignment=assignment).exists():
        return False
    seed = assignment.application_id * 7 + assignment.reviewer_id * 3
    values = [2 + (seed + n) % 4 for n in range(len(criteria))]
    mean = sum(values) / len(values)
    recommendation = (
        Recommendation.STRONGLY_SUPPORT if mean >= 4.5 else Recommendation.SUPPORT if mean >= 3.5
        else Recommendation.NEUTRAL if mean >= 2.8 else Recommendation.DO_NOT_SUPPORT
    )
    review = Review.objects.create(
        assignment=assignment, status=Review.Status.SUBMITTED, recommendation=recommendation,
        comment_to_staff="デモ用の審査コメントです。",
        comment_to_applicant=COMMENTS[seed % len(COMMENTS)], submitted_at=timezone.now(),
        weighted_total=weighted_total(criteria, {c.pk: v for c, v in zip(criteria, values,
                                                                          strict=True)}),
    )
    Score.objects.bulk_create(
        Score(review=review, criterion=c, value=v) for c, v in zip(criteria, values, strict=True)
    )
    return True


def load(out) -> list[tuple[str, str, str]]:
    """Pool, rubrics, assignments and reviews for the demo applications."""
    applications = list(
        Application.objects.filter(status__in=UNDECIDED_STATUSES, decision__isnull=True)
        .exclude(funding_round__status__in=SKIPPED_ROUND_STATUSES)
        .select_related("funding_round", "theme").order_by("funding_round_id", "id")
    )
    if not applications:
        out.write("reviews: no demo application to review")
        return []
    pool = _pool()
    if not pool:
        out.write("reviews: no reviewer in the pool")
        return []
    rounds: dict[int, list[Application]] = {}
    for application in applications:
        rounds.setdefault(application.funding_round_id, []).append(application)
    created = 0
    for apps in rounds.values():
        criteria = _ensure_rubric(apps[0].funding_round)
        assignments, new = _assign(apps[0].funding_round, apps, pool)
        for application in apps:
            if application.status != Application.Status.UNDER_REVIEW:
                set_application_status(application=application, by=None,
                                       to=Application.Status.UNDER_REVIEW,
                                       reason="デモ: 審査開始")
        # With two or more new ones, the first reviewer's last assignment
        # stays unread, so their queue shows the conflict declaration step.
        mine = [a.pk for a in assignments if a.reviewer_id == pool[0].user_id and a.pk in new]
        waiting = mine[-1:] if len(mine) > 1 else []
        for assignment in assignments:
            if assignment.pk in waiting:
                Assignment.objects.filter(pk=assignment.pk).update(no_conflict_declared_at=None)
                continue
            if assignment.no_conflict_declared_at is not None:
                created += _review(assignment, criteria)
    out.write(f"reviews: {len(pool)} reviewers, {len(applications)} applications, "
              f"{created} new reviews")
    return []
