"""Benchmark: ranking a round of 10,000 applications with 3 submitted
reviews of 6 criteria each (reviews.ranking.round_ranking) in an in-memory
SQLite database: one query for the reviews' weighted totals (fixed at
submission from the six scores), one pass in Python for the statistics and
the calibration.

    .venv/bin/python bench/ranking.py          # human-readable
    .venv/bin/python bench/ranking.py --json   # rows for bench/run.py
"""

import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

N_APPLICATIONS = 10_000
N_REVIEWERS = 60
REVIEWS_PER_APPLICATION = 3
N_CRITERIA = 6


def build():
    from accounts.models import Organisation, Role, User
    from applications.models import Application
    from grants.models import FundingRound, Programme, ScaleTier, Theme
    from reviews.models import Assignment, Criterion, Review, Rubric, Score

    rnd = random.Random(2026)
    now = timezone.now()
    programme = Programme.objects.create(code="bench", name_ja="ベンチ")
    funding_round = FundingRound.objects.create(
        programme=programme, fiscal_year=2026, title_ja="ベンチ公募", status="reviewing",
        opens_at=now - timezone.timedelta(days=60), closes_at=now - timezone.timedelta(days=1),
        budget_yen=115_000_000,
    )
    themes = [Theme.objects.create(funding_round=funding_round, number=n, title_ja=f"テーマ{n}")
              for n in range(1, 5)]
    tiers = [ScaleTier.objects.create(funding_round=funding_round, code=c, name_ja=c,
                                      ceiling_yen=y)
             for c, y in (("municipal", 2_000_000), ("district", 500_000))]
    rubric = Rubric.objects.create(funding_round=funding_round)
    criteria = Criterion.objects.bulk_create(
        Criterion(rubric=rubric, position=n, name=f"観点{n}", weight=1 + n % 3)
        for n in range(1, N_CRITERIA + 1)
    )
    organisation = Organisation.objects.create(
        name="ベンチ法人", legal_form="npo", representative_name="代表", prefecture="13",
        municipality="千代田区", contact_email="bench@example.jp",
    )
    reviewers = User.objects.bulk_create(
        User(email=f"r{n}@bench.jp", full_name=f"審査{n}", role=Role.REVIEWER)
        for n in range(N_REVIEWERS)
    )
    applications = Application.objects.bulk_create(
        (Application(
            funding_round=funding_round, organisation=organisation, status="under_review",
            theme=themes[n % 4], tier=tiers[(n // 4) % 2], title=f"事業{n}",
            requested_yen=rnd.randrange(100_000, 2_000_000, 10_000),
            receipt_number=f"B-2026-{n:05d}",
        ) for n in range(N_APPLICATIONS)),
        batch_size=2_000,
    )
    assignments = Assignment.objects.bulk_create(
        (Assignment(application=a, reviewer=r, no_conflict_declared_at=now)
         for a in applications
         for r in rnd.sample(reviewers, REVIEWS_PER_APPLICATION)),
        batch_size=5_000,
    )
    bias = {r.pk: rnd.choice([-1, 0, 0, 1]) for r in reviewers}
    values = {
        x.pk: [min(5, max(1, rnd.randint(2, 5) + bias[x.reviewer_id])) for _c in criteria]
        for x in assignments
    }
    # As submit_review does: the weighted total is fixed at submission.
    reviews = Review.objects.bulk_create(
        (Review(assignment=x, status="submitted", submitted_at=now,
                weighted_total=sum(c.weight * v for c, v in zip(criteria, values[x.pk],
                                                                strict=True)),
                recommendation=rnd.choice(["strongly_support", "support", "neutral",
                                           "do_not_support"]))
         for x in assignments),
        batch_size=5_000,
    )
    Score.objects.bulk_create(
        (Score(review=review, criterion=c, value=v)
         for review in reviews
         for c, v in zip(criteria, values[review.assignment_id], strict=True)),
        batch_size=10_000,
    )
    return funding_round


def main() -> list[dict]:
    from reviews.ranking import round_ranking

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    funding_round = build()
    setup = time.perf_counter() - started
    best, ranking, queries = float("inf"), None, 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            ranking = round_ranking(funding_round)
            best = min(best, time.perf_counter() - started)
        queries = len(captured.captured_queries)
    top = ranking.rows[0]
    return [{
        "bench": "ranking",
        "case": f"{N_APPLICATIONS:,} applications × {REVIEWS_PER_APPLICATION} reviews × "
                f"{N_CRITERIA} criteria",
        "seconds": round(best, 3),
        "target_seconds": 1.0,
        "figures": (
            f"{queries} queries; {len(ranking.rows):,} ranked in {len(ranking.groups)} "
            f"theme × tier groups; {sum(r.disagreement for r in ranking.rows):,} disagreements; "
            f"top calibrated {top.calibrated:.2f} (raw mean {top.mean:.2f}); "
            f"data setup {setup:.1f} s (not timed)"
        ),
    }]


if __name__ == "__main__":
    rows = main()
    if "--json" in sys.argv:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for row in rows:
            print(f"{row['case']}: {row['seconds']} s (target {row['target_seconds']} s) "
                  f"— {row['figures']}")
