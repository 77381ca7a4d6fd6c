"""The optimal assignment core (pure): every constraint holds, the objective
is the brute-force optimum on small cases, and infeasible requests are
explained by the capacity pre-check."""

import itertools
import random

import pytest

from reviews.assignment import (
    AssignmentProblem,
    Infeasible,
    Shortfall,
    objective_of,
    solve_assignment,
    violations,
)


def brute_force_optimum(problem: AssignmentProblem) -> int | None:
    """Enumerate every feasible set of new pairs; the least objective."""
    blocked = set(problem.conflicts) | set(problem.existing)
    have = {a: sum(1 for x, _r in problem.existing if x == a) for a in problem.applications}
    choices = []
    for a in problem.applications:
        allowed = [r for r in problem.reviewers if (a, r) not in blocked]
        need = max(problem.k - have[a], 0)
        choices.append([[(a, r) for r in combo] for combo in itertools.combinations(allowed, need)])
    best = None
    for pick in itertools.product(*choices):
        pairs = [pair for group in pick for pair in group]
        if violations(problem, pairs):
            continue
        cost = objective_of(problem, pairs)
        best = cost if best is None else min(best, cost)
    return best


def random_problem(seed: int) -> AssignmentProblem:
    rnd = random.Random(seed)
    apps, revs = [11, 12, 13, 14], [21, 22, 23, 24]
    conflicts = {(a, r) for a in apps for r in revs if rnd.random() < 0.2}
    existing = set()
    if rnd.random() < 0.5:
        a, r = rnd.choice(apps), rnd.choice(revs)
        if (a, r) not in conflicts:
            existing.add((a, r))
    return AssignmentProblem(
        applications=apps, reviewers=revs, k=2,
        max_load={r: rnd.choice([2, 3, 4]) for r in revs},
        min_load={r: rnd.choice([0, 0, 1, 2]) for r in revs},
        conflicts=conflicts, existing=existing,
        themes={a: rnd.choice([1, 2, None]) for a in apps},
        expertise={r: set(rnd.sample([1, 2, 3], rnd.randint(0, 2))) for r in revs},
        expertise_cost=rnd.choice([1, 4, 10]), balance_weight=rnd.choice([0, 1, 2]),
    )


@pytest.mark.parametrize("seed", range(30))
def test_optimal_against_brute_force_on_4_apps_4_reviewers_k2(seed):
    problem = random_problem(seed)
    expected = brute_force_optimum(problem)
    if expected is None:
        with pytest.raises(Infeasible):
            solve_assignment(problem)
        return
    result = solve_assignment(problem)
    assert violations(problem, result.pairs) == []
    assert result.objective == objective_of(problem, result.pairs) == expected


def test_brute_force_cases_include_feasible_and_infeasible():
    outcomes = {brute_force_optimum(random_problem(seed)) is None for seed in range(30)}
    assert outcomes == {True, False}


def test_conflicted_pairs_are_never_assigned():
    apps, revs = list(range(1, 21)), list(range(101, 111))
    conflicts = {(a, 100 + (a % 10) + 1) for a in apps}  # one conflicted reviewer each
    result = solve_assignment(
        AssignmentProblem(apps, revs, k=3, max_load=8, conflicts=conflicts)
    )
    assert not set(result.pairs) & conflicts
    assert len(result.pairs) == 60


def test_load_is_balanced_and_expertise_preferred():
    apps = list(range(1, 7))
    problem = AssignmentProblem(
        apps, [101, 102, 103], k=1, max_load=6,
        themes={a: 1 if a <= 3 else 2 for a in apps},
        expertise={101: {1}, 102: {2}, 103: {1, 2}},
    )
    result = solve_assignment(problem)
    assert result.loads == {101: 2, 102: 2, 103: 2}
    assert result.expertise_matches == 6
    assert result.objective == 3 * (2**2)  # no mismatch, λ Σ load²


def test_existing_assignments_count_and_are_never_repeated():
    problem = AssignmentProblem(
        [1, 2], [101, 102, 103], k=2, max_load=2, existing={(1, 101), (2, 101)}
    )
    result = solve_assignment(problem)
    assert result.pairs == [(1, 102), (2, 103)] or result.pairs == [(1, 103), (2, 102)]
    assert result.loads[101] == 2
    assert solve_assignment(
        AssignmentProblem([1, 2], [101, 102, 103], k=2, max_load=2,
                          existing={(1, 101), (1, 102), (2, 101), (2, 103)})
    ).pairs == []


def test_minimum_load_is_honoured_through_the_demand_transformation():
    problem = AssignmentProblem(
        [1, 2, 3, 4], [101, 102], k=1, max_load=4, min_load={101: 0, 102: 3},
        expertise={101: {1}}, themes=dict.fromkeys([1, 2, 3, 4], 1), expertise_cost=100,
    )
    result = solve_assignment(problem)
    assert result.loads == {101: 1, 102: 3}
    assert violations(problem, result.pairs) == []


def test_deterministic_whatever_the_input_order():
    rnd = random.Random(7)
    apps, revs = list(range(1, 41)), list(range(101, 113))
    conflicts = {(a, r) for a in apps for r in revs if rnd.random() < 0.1}
    themes = {a: rnd.randint(1, 3) for a in apps}
    expertise = {r: {rnd.randint(1, 3)} for r in revs}
    first = solve_assignment(AssignmentProblem(apps, revs, k=3, max_load=12, conflicts=conflicts,
                                               themes=themes, expertise=expertise))
    again = solve_assignment(AssignmentProblem(list(reversed(apps)), list(reversed(revs)), k=3,
                                               max_load=12, conflicts=set(conflicts),
                                               themes=themes, expertise=expertise))
    assert first.pairs == again.pairs
    assert first.objective == again.objective


def test_precheck_names_the_application_short_of_reviewers():
    problem = AssignmentProblem([7, 8], [101, 102, 103], k=3, max_load=5, conflicts={(7, 103)})
    with pytest.raises(Infeasible) as caught:
        solve_assignment(problem)
    assert caught.value.shortfalls == [Shortfall("application", 7, 2, 3)]


def test_precheck_explains_total_capacity_and_minimums():
    with pytest.raises(Infeasible) as caught:
        solve_assignment(AssignmentProblem([1, 2, 3], [101, 102], k=2, max_load=2))
    assert Shortfall("capacity", None, 4, 6) in caught.value.shortfalls

    with pytest.raises(Infeasible) as caught:
        solve_assignment(AssignmentProblem([1], [101, 102], k=1, max_load=3, min_load=1))
    assert Shortfall("minimum_total", None, 1, 2) in caught.value.shortfalls


def test_no_demand_gives_an_empty_result():
    result = solve_assignment(AssignmentProblem([], [101], k=3))
    assert result.pairs == [] and result.objective == 0
