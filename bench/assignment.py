"""Benchmark: optimal reviewer assignment (reviews.assignment, min-cost flow).

Scenarios from issue 4: 2,000 applications × 100 reviewers × 3 reviews and
5,000 × 1,000 × 3, each with 5% random conflicts, a per-reviewer load cap
and a lower bound, five themes and two expertise themes per reviewer; plus
the time the capacity pre-check takes to explain an infeasible request.

    .venv/bin/python bench/assignment.py          # human-readable
    .venv/bin/python bench/assignment.py --json   # rows for bench/run.py
"""

import json
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reviews.assignment import (  # noqa: E402
    AssignmentProblem,
    Infeasible,
    solve_assignment,
    violations,
)

CONFLICT_RATE = 0.05


def make_problem(n_apps: int, n_reviewers: int, k: int = 3, seed: int = 2026) -> AssignmentProblem:
    rnd = random.Random(seed)
    apps = list(range(1, n_apps + 1))
    reviewers = list(range(100_001, 100_001 + n_reviewers))
    # 5% of all pairs, drawn without building the full product.
    n_conflicts = int(n_apps * n_reviewers * CONFLICT_RATE)
    conflicts = set()
    while len(conflicts) < n_conflicts:
        conflicts.add((rnd.choice(apps), rnd.choice(reviewers)))
    average = n_apps * k / n_reviewers
    return AssignmentProblem(
        applications=apps, reviewers=reviewers, k=k,
        max_load=math.ceil(average) + 2, min_load=max(0, math.floor(average) - 2),
        conflicts=conflicts,
        themes={a: rnd.randint(1, 5) for a in apps},
        expertise={r: set(rnd.sample(range(1, 6), 2)) for r in reviewers},
    )


def run_case(n_apps: int, n_reviewers: int, target: float, repeat: int) -> dict:
    problem = make_problem(n_apps, n_reviewers)
    best, result = math.inf, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = solve_assignment(problem)
        best = min(best, time.perf_counter() - started)
    broken = violations(problem, result.pairs)
    loads = result.loads.values()
    return {
        "bench": "assignment",
        "case": f"{n_apps:,} applications × {n_reviewers:,} reviewers × 3",
        "seconds": round(best, 3),
        "target_seconds": target,
        "figures": (
            f"objective {result.objective:,}; {result.count:,} pairs; "
            f"{result.expertise_matches / result.count:.1%} expertise match; "
            f"load {min(loads)}–{max(loads)} (cap {problem.max_load}, min {problem.min_load}); "
            f"{len(problem.conflicts):,} conflicts; violations {len(broken)}"
        ),
    }


def run_precheck(target: float) -> dict:
    problem = make_problem(5_000, 1_000)
    # Application 1 conflicts with all but two reviewers: needs 3.
    conflicts = set(problem.conflicts) | {(1, r) for r in problem.reviewers[2:]}
    problem = AssignmentProblem(**{**problem.__dict__, "conflicts": conflicts})
    started = time.perf_counter()
    try:
        solve_assignment(problem)
        explained = "no shortfall found"
    except Infeasible as infeasible:
        first = infeasible.shortfalls[0]
        explained = (f"application {first.subject} has only {first.available} unconflicted "
                     f"reviewers with capacity, needs {first.needed}")
    return {
        "bench": "assignment",
        "case": "infeasible 5,000 × 1,000 × 3 (pre-check)",
        "seconds": round(time.perf_counter() - started, 3),
        "target_seconds": target,
        "figures": explained,
    }


def main() -> list[dict]:
    return [
        run_case(2_000, 100, target=1.0, repeat=3),
        run_case(5_000, 1_000, target=10.0, repeat=1),
        run_precheck(target=1.0),
    ]


if __name__ == "__main__":
    rows = main()
    if "--json" in sys.argv:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for row in rows:
            print(f"{row['case']}: {row['seconds']} s (target {row['target_seconds']} s) "
                  f"— {row['figures']}")
