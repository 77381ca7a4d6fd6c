"""Benchmark: does a review write grow with the number of applications?

Seeds N = 1,000 and 10,000 (bench/_seed.py) and times 20 reviewers' writes
through the services (save_review_draft then submit_review, as the scoring
page runs them), printing the mean per review, the queries per review and
the slowest statement. DATABASE_URL picks the engine (default: a temporary
SQLite file).

    .venv/bin/python bench/review_writes.py          # human-readable
    .venv/bin/python bench/review_writes.py --json   # rows for bench/run.py
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/review_writes.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench._seed import seed  # noqa: E402

SIZES = (1_000, 10_000)
WRITES = 20


def measure(n: int) -> dict:
    from reviews.models import Assignment, Criterion
    from reviews.services import (
        assign_reviewer,
        declare_no_conflict,
        save_review_draft,
        submit_review,
    )

    call_command("flush", interactive=False, verbosity=0)
    data = seed(n)
    staff, reviewers = data["staff"], data["reviewers"]
    targets = data["applications"][-WRITES:]
    criteria = {}
    for c in Criterion.objects.select_related("rubric"):
        criteria.setdefault(c.rubric.funding_round_id, []).append(c)
    per_write, slowest, total = [], (0.0, ""), {}
    started = time.perf_counter()
    for application in targets:
        taken = set(application.review_assignments.values_list("reviewer_id", flat=True))
        reviewer = next(r for r in reviewers if r.pk not in taken)
        scores = {c.pk: 4 for c in criteria[application.funding_round_id]}
        with CaptureQueriesContext(connection) as captured:
            x = assign_reviewer(application=application, reviewer=reviewer, by=staff)
            x = declare_no_conflict(assignment=x, by=reviewer)
            x = Assignment.objects.select_related("application", "reviewer").get(pk=x.pk)
            review = save_review_draft(assignment=x, by=x.reviewer, scores=scores,
                                       recommendation="support")
            submit_review(review=review, by=x.reviewer)
        per_write.append(len(captured.captured_queries))
        for q in captured.captured_queries:
            total[q["sql"][:90]] = total.get(q["sql"][:90], 0.0) + float(q["time"])
            if float(q["time"]) > slowest[0]:
                slowest = (float(q["time"]), q["sql"][:120])
    seconds = (time.perf_counter() - started) / len(targets)
    return {"n": n, "ms": seconds * 1000, "queries": sorted(set(per_write)),
            "slowest": slowest, "top": sorted(total.items(), key=lambda kv: -kv[1])[:4]}


def main() -> list[dict]:
    call_command("migrate", verbosity=0)
    engine = connection.vendor
    results = [measure(n) for n in SIZES]
    call_command("flush", interactive=False, verbosity=0)
    if "--top" in sys.argv:
        for r in results:
            print(r["n"], *r["top"], sep="\n  ", file=sys.stderr)
    return [{
        "bench": "review_writes",
        "case": f"{engine}, N={r['n']:,}: assign, declare, save draft, submit; per review",
        "seconds": round(r["ms"] / 1000, 4),
        "target_seconds": 0.1,
        "figures": f"{r['queries']} queries per review; slowest statement "
                   f"{r['slowest'][0] * 1000:.1f} ms",
    } for r in results]


if __name__ == "__main__":
    rows = main()
    if "--json" in sys.argv:
        print(json.dumps(rows))
    else:
        for row in rows:
            print(f"{row['case']}: {row['seconds'] * 1000:.1f} ms; {row['figures']}")
