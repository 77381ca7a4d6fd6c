"""Optimal reviewer assignment as a min-cost flow (pure: plain ids in, pairs out).

The problem: give every application `k` reviewers (counting the ones it
already has), never a conflicted or an already assigned pair, keep each
reviewer's load (existing plus new) between `min_load` and `max_load`,
prefer reviewers whose expertise includes the application's theme, and
balance the load.

Objective, minimised exactly (an integer):

    Σ over new pairs   expertise_cost × [reviewer lacks the theme]
  + Σ over reviewers   balance_weight × (final_load² − existing_load²)

The square is convex, so it is modelled with one unit arc per possible extra
review whose cost is the marginal λ(2L − 1); a min-cost flow then takes the
cheapest units first and the optimum is a balanced load. Lower bounds use
the standard demand transformation: the first `min_load − existing` units of
a reviewer are forced (the reviewer node demands them and their constant
cost is added to the objective). Repeated one-to-one matching rounds are not
optimal for this objective; the flow is.

The network: source → application (capacity = reviews still needed) →
reviewer (capacity 1 per allowed pair) → sink (unit arcs up to the cap).
Inputs are sorted, so the same problem always gives the same answer.

A capacity pre-check explains infeasible requests in milliseconds (e.g.
"application 17 has only 2 unconflicted reviewers with capacity, needs 3")
before the solver runs. No Django import: the benchmark and the tests call
this module directly; reviews.services wraps it.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

# How many shortfalls an infeasible answer lists at most.
MAX_SHORTFALLS = 20


@dataclass(frozen=True)
class AssignmentProblem:
    applications: Sequence[int]
    reviewers: Sequence[int]
    k: int = 3
    # Total load per reviewer (existing + new): one number for all, or per id.
    max_load: int | Mapping[int, int] = 10
    min_load: int | Mapping[int, int] = 0
    # (application, reviewer) pairs that must never be assigned.
    conflicts: Collection[tuple[int, int]] = frozenset()
    # (application, reviewer) pairs already assigned and active: they count
    # towards k and the reviewer's load, and are never assigned again.
    existing: Collection[tuple[int, int]] = frozenset()
    # Theme number of each application (None: no theme) and each
    # reviewer's expertise theme numbers.
    themes: Mapping[int, int | None] = field(default_factory=dict)
    expertise: Mapping[int, Collection[int]] = field(default_factory=dict)
    expertise_cost: int = 10
    balance_weight: int = 1


@dataclass(frozen=True)
class Shortfall:
    """Why a request cannot be met.

    kind: "application" (subject = application id: `available` unconflicted
    reviewers with capacity, `needed` reviews), "capacity" (all reviewers
    can take `available` more reviews, `needed` are needed),
    "reviewer_minimum" (subject = reviewer id: only `available` applications
    it may take, minimum needs `needed`), "minimum_total" (minimum loads add
    up to `needed` reviews, only `available` are to be assigned),
    "min_above_max" (subject = reviewer id) and "solver" (bounds that the
    counts alone do not reveal)."""

    kind: str
    subject: int | None
    available: int
    needed: int


class Infeasible(Exception):  # noqa: N818 - a domain answer, not a bug
    def __init__(self, shortfalls: list[Shortfall]):
        super().__init__("; ".join(f"{s.kind}:{s.subject}:{s.available}/{s.needed}" for s in shortfalls))
        self.shortfalls = shortfalls


@dataclass
class AssignmentResult:
    pairs: list[tuple[int, int]]  # new (application, reviewer) pairs, sorted
    objective: int
    loads: dict[int, int]  # final load of every reviewer in the problem
    expertise_matches: int = 0

    @property
    def count(self) -> int:
        return len(self.pairs)


def _per_reviewer(value, reviewer_ids) -> np.ndarray:
    if isinstance(value, Mapping):
        return np.array([int(value.get(r, 0)) for r in reviewer_ids], dtype=np.int64)
    return np.full(len(reviewer_ids), int(value), dtype=np.int64)


class _Prepared:
    """Index the problem into arrays: rows are applications, columns reviewers."""

    def __init__(self, problem: AssignmentProblem):
        self.problem = problem
        self.app_ids = sorted(set(problem.applications))
        self.rev_ids = sorted(set(problem.reviewers))
        app_index = {a: i for i, a in enumerate(self.app_ids)}
        rev_index = {r: j for j, r in enumerate(self.rev_ids)}
        n_apps, n_revs = len(self.app_ids), len(self.rev_ids)

        self.allowed = np.ones((n_apps, n_revs), dtype=bool)
        have = np.zeros(n_apps, dtype=np.int64)
        self.existing_load = np.zeros(n_revs, dtype=np.int64)
        for a, r in problem.existing:
            i, j = app_index.get(a), rev_index.get(r)
            if i is not None:
                have[i] += 1
            if j is not None:
                self.existing_load[j] += 1
            if i is not None and j is not None:
                self.allowed[i, j] = False
        for a, r in problem.conflicts:
            i, j = app_index.get(a), rev_index.get(r)
            if i is not None and j is not None:
                self.allowed[i, j] = False

        self.need = np.maximum(problem.k - have, 0)
        self.max_load = _per_reviewer(problem.max_load, self.rev_ids)
        self.min_load = _per_reviewer(problem.min_load, self.rev_ids)
        self.room = np.maximum(self.max_load - self.existing_load, 0)
        self.lower = np.maximum(self.min_load - self.existing_load, 0)
        self.cost = self._pair_costs(app_index)

    def _pair_costs(self, app_index) -> np.ndarray:
        problem = self.problem
        themes = sorted({t for t in problem.themes.values() if t is not None})
        theme_index = {t: n for n, t in enumerate(themes)}
        expert = np.zeros((len(self.rev_ids), len(themes) + 1), dtype=bool)
        for j, r in enumerate(self.rev_ids):
            for t in problem.expertise.get(r, ()):
                if t in theme_index:
                    expert[j, theme_index[t]] = True
        # Column len(themes) stands for "no theme": nobody matches it.
        app_theme = np.full(len(self.app_ids), len(themes), dtype=np.int64)
        for a, t in problem.themes.items():
            if a in app_index and t in theme_index:
                app_theme[app_index[a]] = theme_index[t]
        match = expert[:, app_theme].T  # (apps, reviewers)
        return np.where(match, 0, problem.expertise_cost).astype(np.int64)


def _check(p: _Prepared) -> list[Shortfall]:
    found: list[Shortfall] = []
    for j in np.flatnonzero(p.min_load > p.max_load):
        found.append(Shortfall("min_above_max", p.rev_ids[j], int(p.max_load[j]), int(p.min_load[j])))
    with_room = p.allowed & (p.room > 0)[None, :]
    available = with_room.sum(axis=1)
    for i in np.flatnonzero(available < p.need):
        found.append(Shortfall("application", p.app_ids[i], int(available[i]), int(p.need[i])))
    demand, room = int(p.need.sum()), int(p.room.sum())
    if room < demand:
        found.append(Shortfall("capacity", None, room, demand))
    forced = int(np.minimum(p.lower, p.room).sum())
    if forced > demand:
        found.append(Shortfall("minimum_total", None, demand, forced))
    takeable = (p.allowed & (p.need > 0)[:, None]).sum(axis=0)
    for j in np.flatnonzero(takeable < p.lower):
        found.append(Shortfall("reviewer_minimum", p.rev_ids[j], int(takeable[j]), int(p.lower[j])))
    return found[:MAX_SHORTFALLS]


def solve_assignment(problem: AssignmentProblem) -> AssignmentResult:
    """The optimal new pairs; raises Infeasible with the reasons."""
    p = _Prepared(problem)
    shortfalls = _check(p)
    if shortfalls:
        raise Infeasible(shortfalls)
    loads = {r: int(p.existing_load[j]) for j, r in enumerate(p.rev_ids)}
    demand = int(p.need.sum())
    if demand == 0:
        return AssignmentResult(pairs=[], objective=0, loads=loads)

    n_apps, n_revs = len(p.app_ids), len(p.rev_ids)
    source, sink = 0, 1 + n_apps + n_revs
    rev_node = 1 + n_apps + np.arange(n_revs, dtype=np.int64)
    lam = problem.balance_weight

    # Application arcs: one per application still needing reviews.
    app_rows = np.flatnonzero(p.need > 0)
    tails = [np.zeros(len(app_rows), dtype=np.int64)]
    heads = [1 + app_rows]
    caps = [p.need[app_rows]]
    costs = [np.zeros(len(app_rows), dtype=np.int64)]

    # Pair arcs, in (application, reviewer) order.
    mask = p.allowed & (p.need > 0)[:, None] & (p.room > 0)[None, :]
    pair_i, pair_j = np.nonzero(mask)
    tails.append(1 + pair_i)
    heads.append(rev_node[pair_j])
    caps.append(np.ones(len(pair_i), dtype=np.int64))
    costs.append(p.cost[pair_i, pair_j])

    # Load arcs: unit j (1-based, after the forced ones) of reviewer r costs
    # λ(2(existing + j) − 1), the marginal of the square.
    lower = np.minimum(p.lower, p.room)
    existing = p.existing_load
    forced_cost = int((lam * ((existing + lower) ** 2 - existing**2)).sum())
    counts = p.room - lower
    owner = np.repeat(np.arange(n_revs, dtype=np.int64), counts)
    offset = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts,
                                                                      counts)
    units = existing[owner] + lower[owner] + 1 + offset
    tails.append(rev_node[owner])
    heads.append(np.full(len(units), sink, dtype=np.int64))
    caps.append(np.ones(len(units), dtype=np.int64))
    costs.append(lam * (2 * units - 1))

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[source] = demand
    supplies[rev_node] = -lower
    supplies[sink] = -(demand - int(lower.sum()))
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int64), supplies)
    if flow.solve() != flow.OPTIMAL:
        raise Infeasible([Shortfall("solver", None, 0, demand)])

    first_pair = len(app_rows)
    pair_flow = flow.flows(arcs[first_pair:first_pair + len(pair_i)])
    chosen = np.flatnonzero(pair_flow > 0)
    pairs = sorted((p.app_ids[pair_i[c]], p.rev_ids[pair_j[c]]) for c in chosen)
    for _a, r in pairs:
        loads[r] += 1
    matches = int((p.cost[pair_i[chosen], pair_j[chosen]] == 0).sum())
    return AssignmentResult(
        pairs=pairs,
        objective=int(flow.optimal_cost()) + forced_cost,
        loads=loads,
        expertise_matches=matches,
    )


def objective_of(problem: AssignmentProblem, pairs: Collection[tuple[int, int]]) -> int:
    """The objective of any set of new pairs (used to check optimality)."""
    expertise = {r: set(problem.expertise.get(r, ())) for r in problem.reviewers}
    existing: dict[int, int] = {}
    for _a, r in problem.existing:
        existing[r] = existing.get(r, 0) + 1
    added: dict[int, int] = {}
    total = 0
    for a, r in pairs:
        theme = problem.themes.get(a)
        if theme is None or theme not in expertise.get(r, set()):
            total += problem.expertise_cost
        added[r] = added.get(r, 0) + 1
    for r, n in added.items():
        e = existing.get(r, 0)
        total += problem.balance_weight * ((e + n) ** 2 - e**2)
    return total


def violations(problem: AssignmentProblem, pairs: Collection[tuple[int, int]]) -> list[str]:
    """Every constraint a set of new pairs breaks (empty when valid)."""
    found = []
    pairs = list(pairs)
    if len(set(pairs)) != len(pairs):
        found.append("duplicate pair")
    conflicts, existing = set(problem.conflicts), set(problem.existing)
    reviewers = set(problem.reviewers)
    per_app: dict[int, int] = {}
    per_rev: dict[int, int] = {}
    for a, r in existing:
        per_app[a] = per_app.get(a, 0) + 1
        per_rev[r] = per_rev.get(r, 0) + 1
    for a, r in pairs:
        if (a, r) in conflicts:
            found.append(f"conflict {a}-{r}")
        if (a, r) in existing:
            found.append(f"reassigned {a}-{r}")
        if r not in reviewers:
            found.append(f"unknown reviewer {r}")
        per_app[a] = per_app.get(a, 0) + 1
        per_rev[r] = per_rev.get(r, 0) + 1
    for a in problem.applications:
        if per_app.get(a, 0) < problem.k:
            found.append(f"application {a} has {per_app.get(a, 0)} < {problem.k}")
    max_load = dict(zip(problem.reviewers, _per_reviewer(problem.max_load, problem.reviewers), strict=True))
    min_load = dict(zip(problem.reviewers, _per_reviewer(problem.min_load, problem.reviewers), strict=True))
    for r in problem.reviewers:
        load = per_rev.get(r, 0)
        if load > max_load[r] or load < min_load[r]:
            found.append(f"reviewer {r} load {load} outside [{min_load[r]}, {max_load[r]}]")
    return found
