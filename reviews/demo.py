"""Demo review data: the reviewer pool, default rubrics, assignments,
completed reviews and some decisions, so the reviewer queue, the ranking
and the decisions pages have content.

Runs after applications.demo. Only rounds that have closed (closed or
reviewing) are reviewed: nobody reviews before the call closes, and a
decided round takes no more reviews. Everything goes through
reviews.services, as staff and reviewers would do it:

- the pool: reviewer1..3 of accounts.demo, plus reviewer4..6 when the demo
  review call of applications.demo exists (k = 3 with conflicts needs more
  than three reviewers); reviewer3 works for つながりの木, so a conflict is
  detected automatically;
- the default rubric, then automatic assignment with the rubric's k (lower
  only when the pool cannot give every application k reviewers);
- reviews with varied but plausible scores; reviewer2 is systematically
  harsher, so the calibrated score differs from the raw mean;
- in the review call: one conflict declared by a reviewer (the application
  gets a replacement reviewer), one review left as a draft, and decisions
  for five applications (three awarded, one of them for less than asked,
  and two declined); the other five stay undecided, so the decision-support
  page has a funding line to show.

The first reviewer's last assignment stays undeclared, so their queue shows
the conflict-of-interest declaration step. Idempotent: profiles are keyed by
user, rubrics by round, assignments by (application, reviewer), reviews by
assignment and decisions by application; nothing is made twice.
"""

import zlib
from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User
from applications import demo as applications_demo
from applications.models import Application
from core.errors import DomainError
from grants.models import FundingRound

from .models import (
    Assignment,
    ConflictOfInterest,
    Criterion,
    Decision,
    Recommendation,
    Review,
    ReviewerProfile,
    Rubric,
)
from .ranking import UNDECIDED_STATUSES
from .services import (
    assign_reviewers_automatically,
    assignable_applications,
    create_default_rubric,
    declare_conflict,
    declare_no_conflict,
    invite_reviewer,
    record_decision,
    save_review_draft,
    save_rubric_settings,
    submit_review,
)

DEMO_DOMAIN = "demo.kodoku.jp"
REVIEWED_ROUND_STATUSES = (FundingRound.Status.CLOSED, FundingRound.Status.REVIEWING)

# Reviewers added for the review call (e-mail local part, full name).
EXTRA_REVIEWERS = [("reviewer4", "審査 四郎"), ("reviewer5", "審査 五月"), ("reviewer6", "審査 六花")]

# Pool profiles (keyed by e-mail local part).
PROFILES = {
    "reviewer1": {"affiliation_name": "東都大学 社会福祉学部", "expertise_themes": [1, 2],
                  "prefectures": ["13", "14"]},
    "reviewer2": {"affiliation_name": "関西地域福祉研究所", "expertise_themes": [2, 3, 4],
                  "prefectures": ["27", "28"]},
    "reviewer3": {"affiliation_name": "特定非営利活動法人 つながりの木",
                  "affiliation_corporate_number": "1011105000123",
                  "expertise_themes": [1, 5], "prefectures": ["13"]},
    "reviewer4": {"affiliation_name": "北海道地域福祉研究センター", "expertise_themes": [1, 3],
                  "prefectures": ["01", "02"]},
    "reviewer5": {"affiliation_name": "地域創造研究機構", "expertise_themes": [2, 5],
                  "prefectures": ["40", "47"]},
    "reviewer6": {"affiliation_name": "全国中間支援組織連絡会", "expertise_themes": [1, 4],
                  "prefectures": ["23", "27"]},
}
DEFAULT_PROFILE = {"affiliation_name": "", "expertise_themes": [1], "prefectures": []}

# Each reviewer's lean, added to every score they give: reviewer2 is the
# harsh one that calibration corrects.
LEAN = {"reviewer1": 0.3, "reviewer2": -1.0, "reviewer5": 0.2, "reviewer6": -0.2}

AWARDED, DECLINED = Decision.Outcome.AWARDED, Decision.Outcome.DECLINED
# The review call (keys of applications.demo.REVIEW_APPLICATIONS): merit on
# the 1–5 scale, the decision (None: left to staff) and the award amount
# (None: as requested).
PLAN = {
    "kansai-base": (4.4, AWARDED, None),
    "miyagi-dx": (4.2, AWARDED, None),
    "setouchi": (4.0, AWARDED, 7_000_000),
    "tsunagari-dx": (3.8, None, None),
    "kitanodaichi": (3.7, None, None),
    "hidamari": (3.5, None, None),
    "yuimaru": (3.3, None, None),
    "chubu-dx": (3.0, None, None),
    "chubu-base": (2.6, DECLINED, None),
    "kansai-midlife": (2.3, DECLINED, None),
}
DECISION_REASONS = {
    "kansai-base": "先駆性・実現可能性の評価が高く、テーマ1の採択枠内で採択する。",
    "miyagi-dx": "平時の物資マッチングを広域で共同運用する点が高く評価され、テーマ2の枠内で採択する。",
    "setouchi": "中高年男性の孤立という既存施策の空白に取り組む点を評価し採択する。"
                "旅費・消耗品費の積算を見直し、申請額から減額する。",
    "chubu-base": "計画の具体性と継続の見通しの評価が採択水準に達しなかったため不採択とする。",
    "kansai-midlife": "対象者への効果と実施体制の評価が採択水準に達しなかったため不採択とする。",
}
DECLARED_CONFLICT = ("yuimaru", "申請団体の理事と共同で調査研究を行っており、公正な審査が難しいため。")

COMMENTS_TO_STAFF = {
    Recommendation.STRONGLY_SUPPORT: "先駆性が高く、他地域への展開が期待できる。優先して採択すべき。",
    Recommendation.SUPPORT: "計画は具体的で実現可能性が高い。指標の設定をもう少し明確にするとよい。",
    Recommendation.NEUTRAL: "取組の意義はあるが、実施体制と継続の見通しに不安が残る。",
    Recommendation.DO_NOT_SUPPORT: "計画の具体性が乏しく、孤独・孤立の解消への効果が見込みにくい。",
}
COMMENTS_TO_APPLICANT = [
    "地域の多様な主体との連携が具体的で、先駆性が高い。",
    "効果測定の指標（延べ人数など）をもう少し具体的にするとよい。",
    "事業終了後の財源確保の見通しを明確にしてほしい。",
    "伴走支援の対象団体の選び方と支援の到達点を示すとよい。",
]


def _local(user) -> str:
    email = user.email or ""
    return email.split("@")[0] if email.endswith("@" + DEMO_DOMAIN) else ""


def _user(local_part: str) -> User | None:
    return User.objects.filter(email=f"{local_part}@{DEMO_DOMAIN}").first()


def _wobble(*parts) -> int:
    """A stable pseudo-random number from the parts (not Python's hash)."""
    return zlib.crc32("|".join(str(p) for p in parts).encode())


# --- Pool and rubric --------------------------------------------------------------


def _ensure_extra_reviewers(by) -> None:
    for local, full_name in EXTRA_REVIEWERS:
        email = f"{local}@{DEMO_DOMAIN}"
        if User.objects.filter(email=email).exists():
            continue
        profile = invite_reviewer(email=email, full_name=full_name, by=by, **PROFILES[local])
        profile.user.set_password(DEMO_PASSWORD)
        profile.user.save(update_fields=["password"])


def _pool(by) -> list[ReviewerProfile]:
    """Every active reviewer, in the pool through the invitation service."""
    with_profile = set(ReviewerProfile.objects.values_list("user_id", flat=True))
    for user in User.objects.filter(role=Role.REVIEWER, is_active=True).order_by("email"):
        if user.pk not in with_profile:
            invite_reviewer(email=user.email, full_name=user.full_name, by=by,
                            **PROFILES.get(_local(user), DEFAULT_PROFILE))
    return list(ReviewerProfile.objects.active().select_related("user").order_by("user__email"))


def _ensure_rubric(funding_round, by) -> tuple[Rubric, list[Criterion]]:
    if not Criterion.objects.filter(rubric__funding_round=funding_round).exists():
        create_default_rubric(funding_round=funding_round, by=by)
    rubric = Rubric.objects.get(funding_round=funding_round)
    if rubric.review_due_on is None:
        rubric = save_rubric_settings(funding_round=funding_round, by=by,
                                      review_due_on=timezone.localdate() + timedelta(days=14))
    return rubric, list(rubric.criteria.order_by("position"))


# --- Assignment -------------------------------------------------------------------


def _assign(funding_round, by) -> int:
    """Assign automatically with the rubric's k; when the pool cannot give
    every application k unconflicted reviewers, the rubric's k is lowered
    (once, and kept) to what it can. Nothing happens when every waiting
    application already has k reviewers."""
    rubric = Rubric.objects.get(funding_round=funding_round)
    waiting = list(assignable_applications(funding_round).values_list("id", flat=True))
    active = Counter(Assignment.objects.filter(
        application_id__in=waiting, status=Assignment.Status.ACTIVE
    ).values_list("application_id", flat=True))
    if all(active[pk] >= rubric.reviews_per_application for pk in waiting):
        return 0
    for k in range(rubric.reviews_per_application, 0, -1):
        try:
            with transaction.atomic():
                if k != rubric.reviews_per_application:
                    save_rubric_settings(funding_round=funding_round, by=by,
                                         reviews_per_application=k)
                return assign_reviewers_automatically(funding_round=funding_round, by=by).count
        except DomainError as error:
            if error.code != "assignment_infeasible":
                raise
    return 0


def _declare_conflict(funding_round, titles) -> None:
    """A reviewer of the review call declares a conflict, before reading."""
    key, reason = DECLARED_CONFLICT
    if ConflictOfInterest.objects.filter(application__funding_round=funding_round,
                                         kind=ConflictOfInterest.Kind.DECLARED).exists():
        return
    assignment = (
        Assignment.objects.filter(application__funding_round=funding_round,
                                  application__title=titles.get(key),
                                  status=Assignment.Status.ACTIVE,
                                  no_conflict_declared_at__isnull=True)
        .exclude(reviewer__email__in=[f"reviewer1@{DEMO_DOMAIN}", f"reviewer4@{DEMO_DOMAIN}"])
        .select_related("reviewer").order_by("-reviewer__email").first()
    )
    if assignment is not None:
        declare_conflict(assignment=assignment, by=assignment.reviewer, reason=reason)


# --- Scoring ----------------------------------------------------------------------


def _pick(assignments, reviewer_id, undecided_ids, exclude_app=None) -> Assignment | None:
    """The reviewer's assignment with the highest application id among
    applications left undecided, when they have more than one assignment.
    Stable across runs: it reads every active assignment of the round."""
    mine = [a for a in assignments if a.reviewer_id == reviewer_id]
    candidates = [a for a in mine
                  if a.application_id in undecided_ids and a.application_id != exclude_app]
    if len(mine) < 2 or not candidates:
        return None
    return max(candidates, key=lambda a: a.application_id)


def _scores(assignment, criteria, merit: float) -> dict[int, int]:
    lean = LEAN.get(_local(assignment.reviewer), 0.0)
    values = {}
    for criterion in criteria:
        wobble = (_wobble(assignment.application.title, assignment.reviewer.email,
                          criterion.position) % 5 - 2) * 0.25
        value = round(merit + lean + wobble)
        values[criterion.pk] = min(criterion.scale_max, max(criterion.scale_min, value))
    return values


def _recommendation(values: dict[int, int]) -> str:
    mean = sum(values.values()) / len(values)
    if mean >= 4.2:
        return Recommendation.STRONGLY_SUPPORT
    if mean >= 3.4:
        return Recommendation.SUPPORT
    if mean >= 2.6:
        return Recommendation.NEUTRAL
    return Recommendation.DO_NOT_SUPPORT


def _merit(application, plan) -> float:
    if application.title in plan:
        return plan[application.title][0]
    return 2.5 + _wobble(application.pk, application.title) % 20 / 10


def _score(funding_round, criteria, pool, plan, *, demo: bool) -> int:
    """Reviewers declare no conflict and submit their reviews; the first
    reviewer leaves one assignment undeclared and, in the review call, the
    fourth one review as a draft. Returns the reviews submitted now."""
    assignments = list(
        Assignment.objects.filter(application__funding_round=funding_round,
                                  status=Assignment.Status.ACTIVE)
        .select_related("application", "reviewer").order_by("application_id", "reviewer__email")
    )
    undecided = {a.application_id for a in assignments
                 if plan.get(a.application.title, (None, None))[1] is None}
    waiting = _pick(assignments, pool[0].user_id, undecided) if pool else None
    draft = None
    if demo and len(pool) > 3:
        draft = _pick(assignments, pool[3].user_id, undecided,
                      exclude_app=waiting.application_id if waiting else None)
    open_ids = set(assignable_applications(funding_round).values_list("id", flat=True))
    made = 0
    for assignment in assignments:
        if assignment == waiting or assignment.application_id not in open_ids:
            continue
        reviewer = assignment.reviewer
        if assignment.no_conflict_declared_at is None:
            assignment = declare_no_conflict(assignment=assignment, by=reviewer)
        review = Review.objects.filter(assignment=assignment).first()
        if review is not None and (review.status == Review.Status.SUBMITTED or assignment == draft):
            continue
        values = _scores(assignment, criteria, _merit(assignment.application, plan))
        if assignment == draft:
            # Half scored, no recommendation yet: the reviewer's draft.
            save_review_draft(assignment=assignment, by=reviewer,
                              scores=dict(list(values.items())[: len(values) // 2]),
                              comment_to_staff="（下書き）予算の積算を確認中。")
            continue
        recommendation = _recommendation(values)
        seed = _wobble(assignment.application.title, reviewer.email)
        review = save_review_draft(
            assignment=assignment, by=reviewer, scores=values, recommendation=recommendation,
            comment_to_staff=COMMENTS_TO_STAFF[recommendation],
            comment_to_applicant=COMMENTS_TO_APPLICANT[seed % len(COMMENTS_TO_APPLICANT)],
        )
        submit_review(review=review, by=reviewer)
        made += 1
    return made


# --- Decisions --------------------------------------------------------------------


def _decide(funding_round, plan, keys, by) -> int:
    """Awards first (within the budget and each theme's maximum), then the
    declined ones; the notices are made in the background."""
    made = 0
    rows = sorted(plan.items(), key=lambda item: item[1][1] != AWARDED)
    for title, (_merit_value, outcome, amount) in rows:
        if outcome is None:
            continue
        application = Application.objects.filter(funding_round=funding_round, title=title).first()
        if (application is None or application.status not in UNDECIDED_STATUSES
                or Decision.objects.filter(application=application).exists()):
            continue
        record_decision(
            application=application, outcome=outcome, by=by,
            amount_yen=(amount or application.requested_yen) if outcome == AWARDED else None,
            reason=DECISION_REASONS.get(keys[title], ""),
        )
        made += 1
    return made


# --- Loading ----------------------------------------------------------------------


def _review_call_plan(demo_round) -> tuple[dict, dict, dict]:
    """{title: plan row}, {title: key} and {key: title} of the review call."""
    if demo_round is None:
        return {}, {}, {}
    titles = {row[0]: row[2] for row in applications_demo.REVIEW_APPLICATIONS}
    plan = {titles[key]: row for key, row in PLAN.items() if key in titles}
    return plan, {title: key for key, title in titles.items()}, titles


def _logins() -> list[tuple[str, str, str]]:
    emails = [f"{local}@{DEMO_DOMAIN}" for local, _name in EXTRA_REVIEWERS]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    return [(email, DEMO_PASSWORD, "reviewer (review call panel)")
            for email in emails if email in existing]


def load(out) -> list[tuple[str, str, str]]:
    """Pool, rubrics, assignments, reviews and decisions on closed rounds."""
    applications = list(
        Application.objects.filter(status__in=UNDECIDED_STATUSES, decision__isnull=True,
                                   funding_round__status__in=REVIEWED_ROUND_STATUSES)
        .select_related("funding_round").order_by("funding_round_id", "id")
    )
    if not applications:
        out.write("reviews: no demo application to review")
        return _logins()
    staff = _user("staff")
    demo_round = applications_demo.review_round()
    if demo_round is not None:
        _ensure_extra_reviewers(staff)
    pool = _pool(staff)
    if not pool:
        out.write("reviews: no reviewer in the pool")
        return []
    plan, keys, titles = _review_call_plan(demo_round)
    rounds = list(dict.fromkeys(a.funding_round for a in applications))
    assigned = reviewed = decided = 0
    for funding_round in rounds:
        demo = demo_round is not None and funding_round.pk == demo_round.pk
        _rubric, criteria = _ensure_rubric(funding_round, staff)
        assigned += _assign(funding_round, staff)
        if demo:
            _declare_conflict(funding_round, titles)
            assigned += _assign(funding_round, staff)  # a replacement reviewer
        reviewed += _score(funding_round, criteria, pool, plan if demo else {}, demo=demo)
        if demo:
            decided += _decide(funding_round, plan, keys, staff)
    out.write(f"reviews: {len(pool)} reviewers, {len(applications)} applications waiting, "
              f"{assigned} new assignments, {reviewed} new reviews, {decided} new decisions")
    return _logins()
