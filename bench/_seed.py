"""Bulk data for the web benchmarks (bench/web_lists.py, bench/review_writes.py).

`seed(n)` makes one programme with two reviewing rounds, n submitted
applications spread over n // 10 organisations (two members each), 30
reviewers, two active declared assignments per application, a 4-criterion
rubric and one submitted review per application; plus a staff user
`bench-staff@example.jp` (password "bench-pass-2026"). Bulk inserts, so
10,000 applications take seconds, not the minutes the services would.
"""

import random

from django.utils import timezone

STAFF_EMAIL = "bench-staff@example.jp"
PASSWORD = "bench-pass-2026"
CRITERIA = 4


def seed(n: int) -> dict:
    from django.contrib.auth.hashers import make_password

    from accounts.models import Membership, Organisation, Role, User
    from applications.models import Application
    from grants.models import FundingRound, Programme, ScaleTier, Theme
    from reviews.models import Assignment, Criterion, Review, ReviewerProfile, Rubric, Score

    rnd = random.Random(2026)
    now = timezone.now()
    staff = User.objects.create(email=STAFF_EMAIL, full_name="ベンチ 職員",
                                role=Role.PROGRAMME_STAFF, password=make_password(PASSWORD))
    programme = Programme.objects.create(code="bench", name_ja="ベンチ事業")
    programme.staff.add(staff)
    rounds, themes, tiers = [], {}, {}
    for k in range(2):
        funding_round = FundingRound.objects.create(
            programme=programme, fiscal_year=2026, title_ja=f"ベンチ公募{k + 1}",
            status="reviewing", opens_at=now - timezone.timedelta(days=60),
            closes_at=now - timezone.timedelta(days=1), budget_yen=115_000_000,
        )
        rounds.append(funding_round)
        themes[k] = [Theme.objects.create(funding_round=funding_round, number=t,
                                          title_ja=f"テーマ{t}") for t in range(1, 5)]
        tiers[k] = [ScaleTier.objects.create(funding_round=funding_round, code=c, name_ja=c,
                                             ceiling_yen=y)
                    for c, y in (("municipal", 2_000_000), ("district", 500_000))]
        rubric = Rubric.objects.create(funding_round=funding_round)
        Criterion.objects.bulk_create(
            Criterion(rubric=rubric, position=c, name=f"観点{c}", weight=1 + c % 3)
            for c in range(1, CRITERIA + 1))
    prefectures = [f"{p:02d}" for p in range(1, 48)]
    organisations = Organisation.objects.bulk_create(
        (Organisation(name=f"ベンチ法人{i}", name_kana=f"べんち{i}", legal_form="npo",
                      representative_name="代表", prefecture=rnd.choice(prefectures),
                      municipality="千代田区", contact_email=f"org{i}@bench.jp")
         for i in range(max(1, n // 10))), batch_size=2_000)
    members = User.objects.bulk_create(
        (User(email=f"m{i}@bench.jp", full_name=f"会員{i}", role=Role.APPLICANT)
         for i in range(2 * len(organisations))), batch_size=2_000)
    Membership.objects.bulk_create(
        (Membership(organisation=organisations[i // 2], user=u,
                    role="owner" if i % 2 == 0 else "member")
         for i, u in enumerate(members)), batch_size=2_000)
    reviewers = User.objects.bulk_create(
        User(email=f"r{i}@bench.jp", full_name=f"審査{i}", role=Role.REVIEWER)
        for i in range(30))
    ReviewerProfile.objects.bulk_create(
        ReviewerProfile(user=r, affiliation_name=f"大学{i}", expertise_themes=[1, 2, 3, 4],
                        prefectures=["13"]) for i, r in enumerate(reviewers))
    applications = Application.objects.bulk_create(
        (Application(
            funding_round=rounds[i % 2], organisation=organisations[i % len(organisations)],
            status=rnd.choice(["submitted", "under_review", "under_review", "eligible"]),
            theme=themes[i % 2][i % 4], tier=tiers[i % 2][(i // 4) % 2],
            title=f"地域の居場所づくり事業{i}", summary="誰もが立ち寄れる居場所。",
            requested_yen=rnd.randrange(100_000, 2_000_000, 10_000),
            receipt_number=f"B-2026-{i:06d}", prefectures=[rnd.choice(prefectures)],
            submitted_at=now - timezone.timedelta(minutes=i),
        ) for i in range(n)), batch_size=2_000)
    assignments = Assignment.objects.bulk_create(
        (Assignment(application=a, reviewer=r, no_conflict_declared_at=now, notified_at=now)
         for a in applications for r in rnd.sample(reviewers, 2)), batch_size=5_000)
    criteria = {c.rubric.funding_round_id: [] for c in Criterion.objects.select_related("rubric")}
    for c in Criterion.objects.select_related("rubric").order_by("position"):
        criteria[c.rubric.funding_round_id].append(c)
    by_app = {a.pk: a.funding_round_id for a in applications}
    reviewed = assignments[::2]
    reviews = Review.objects.bulk_create(
        (Review(assignment=x, status="submitted", submitted_at=now, recommendation="support",
                weighted_total=sum(c.weight * 3 for c in criteria[by_app[x.application_id]]))
         for x in reviewed), batch_size=5_000)
    Score.objects.bulk_create(
        (Score(review=r, criterion=c, value=3)
         for r, x in zip(reviews, reviewed, strict=True)
         for c in criteria[by_app[x.application_id]]), batch_size=10_000)
    return {"staff": staff, "reviewers": reviewers, "rounds": rounds, "applications": applications,
            "assignments": assignments, "reviewed": {x.pk for x in reviewed}}
