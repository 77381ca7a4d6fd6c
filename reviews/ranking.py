"""Aggregation, calibrated ranking and the proposed selection of a round.

Counted reviews only: submitted reviews of active, unconflicted assignments.
Drafts are never counted, so a missing score is never a zero.

- Weighted total of a review: Σ weight × score over the rubric's criteria,
  fixed on the review at submission (criteria cannot change once anyone
  has scored); the round's totals are read with one query.
- Per application: count, mean, median, sample standard deviation.
- Calibrated score: each reviewer's totals in the round are standardised
  (z = (total − reviewer mean) / reviewer SD) and rescaled to the pool
  (mean_all + z × sd_all), so a uniformly harsh or lenient reviewer no
  longer moves applications up or down; the application's calibrated score
  is the mean of its reviews' calibrated scores. A reviewer with a single
  review cannot be standardised: their total is kept as it is. A reviewer
  who gave every application the same total says nothing about the order:
  z = 0 (the pool mean).
- Disagreement: the standard deviation exceeds the round's threshold, or the
  recommendations span support and do-not-support.
- Order (within a theme and tier, and overall), the stated tie-break:
  calibrated score desc, raw mean desc, requested amount asc, receipt
  number asc (then id). Applications without a counted review come last
  and get no rank.

The pure functions take plain rows so tests and the benchmark call them
directly; `round_ranking` reads a round with a constant number of queries.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from applications.models import Application
from grants.rules import theme_is_full

SUPPORTING = frozenset({"strongly_support", "support"})
OPPOSING = frozenset({"do_not_support"})
# Statuses that take part in the ranking (decided ones stay visible).
RANKED_STATUSES = ("submitted", "eligible", "under_review", "awarded", "declined")
# Statuses still waiting for a decision.
UNDECIDED_STATUSES = Application.UNDECIDED_STATUSES


def _mean(values) -> float:
    return math.fsum(values) / len(values)


def _sd(values, mean: float, ddof: int = 0) -> float:
    """Standard deviation in plain floats (statistics' exact Fractions are
    too slow for a round of 30,000 reviews)."""
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - ddof))


def _median(values) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class ReviewTotal(NamedTuple):
    application_id: int
    reviewer_id: int
    total: float
    recommendation: str = ""


# The ApplicationRow fields, in order, as read from Application.
APPLICATION_FIELDS = (
    "id", "theme_id", "tier_id", "requested_yen", "receipt_number", "title",
    "organisation__name", "status",
)


class ApplicationRow(NamedTuple):
    id: int
    theme_id: int | None = None
    tier_id: int | None = None
    requested_yen: int = 0
    receipt_number: str = ""
    title: str = ""
    organisation: str = ""
    status: str = ""


@dataclass(slots=True)
class RankedApplication:
    application: ApplicationRow
    count: int = 0
    mean: float | None = None
    median: float | None = None
    stdev: float | None = None
    calibrated: float | None = None
    recommendations: dict[str, int] = field(default_factory=dict)
    disagreement: bool = False
    rank: int | None = None  # within its theme and tier
    overall_rank: int | None = None

    @property
    def id(self) -> int:
        return self.application.id

    @property
    def is_scored(self) -> bool:
        return self.count > 0


def calibrated_totals(reviews: Sequence[ReviewTotal]) -> list[float]:
    """The calibrated score of every review, in the order given."""
    if not reviews:
        return []
    totals = [r.total for r in reviews]
    mean_all = _mean(totals)
    sd_all = _sd(totals, mean_all) if len(totals) > 1 else 0.0
    by_reviewer: dict[int, list[float]] = defaultdict(list)
    for r in reviews:
        by_reviewer[r.reviewer_id].append(r.total)
    stats = {}
    for reviewer_id, values in by_reviewer.items():
        mean_r = _mean(values)
        stats[reviewer_id] = (len(values), mean_r, _sd(values, mean_r))
    result = []
    for r in reviews:
        n, mean_r, sd_r = stats[r.reviewer_id]
        if n < 2:
            result.append(r.total)
            continue
        z = (r.total - mean_r) / sd_r if sd_r > 0 else 0.0
        result.append(mean_all + z * sd_all)
    return result


def _sort_key(row: RankedApplication):
    """calibrated desc, raw mean desc, requested asc, receipt number asc."""
    app = row.application
    if not row.count:
        return (True, 0.0, 0.0, app.requested_yen, app.receipt_number, app.id)
    return (False, -row.calibrated, -row.mean, app.requested_yen, app.receipt_number, app.id)


sort_key = _sort_key


def rank_applications(
    applications: Iterable[ApplicationRow],
    reviews: Sequence[ReviewTotal],
    *,
    disagreement_stdev: float | None = None,
) -> list[RankedApplication]:
    """Every application with its statistics, in overall order; `rank` is
    the position within its theme and tier, `overall_rank` in the round."""
    calibrated = calibrated_totals(reviews)
    per_app: dict[int, list[tuple[float, float, str]]] = defaultdict(list)
    for review, value in zip(reviews, calibrated, strict=True):
        per_app[review.application_id].append((review.total, value, review.recommendation))
    rows = [_summarise(app, per_app.get(app.id), disagreement_stdev) for app in applications]
    rows.sort(key=_sort_key)
    positions: dict[tuple, int] = defaultdict(int)
    overall = 0
    for row in rows:
        if not row.count:
            continue
        overall += 1
        row.overall_rank = overall
        group = (row.application.theme_id, row.application.tier_id)
        positions[group] += 1
        row.rank = positions[group]
    return rows


def _summarise(app, reviewed, disagreement_stdev) -> RankedApplication:
    """One application's statistics from its (total, calibrated,
    recommendation) triples; plain arithmetic, as this runs per row."""
    row = RankedApplication(application=app)
    if not reviewed:
        return row
    n = len(reviewed)
    totals = [total for total, _value, _rec in reviewed]
    mean = sum(totals) / n
    row.count, row.mean, row.median = n, mean, _median(totals)
    row.stdev = math.sqrt(sum((t - mean) ** 2 for t in totals) / (n - 1)) if n > 1 else None
    row.calibrated = sum(value for _total, value, _rec in reviewed) / n
    counts: dict[str, int] = {}
    for _total, _value, recommendation in reviewed:
        if recommendation:
            counts[recommendation] = counts.get(recommendation, 0) + 1
    row.recommendations = counts
    spans = any(r in SUPPORTING for r in counts) and any(r in OPPOSING for r in counts)
    too_spread = (
        disagreement_stdev is not None and row.stdev is not None and row.stdev > disagreement_stdev
    )
    row.disagreement = spans or too_spread
    return row


def by_theme_and_tier(rows: Iterable[RankedApplication]) -> dict[tuple, list[RankedApplication]]:
    """Rows grouped by (theme id, tier id), each group in ranking order."""
    groups: dict[tuple, list[RankedApplication]] = defaultdict(list)
    for row in rows:
        groups[(row.application.theme_id, row.application.tier_id)].append(row)
    return dict(groups)


# --- Decision support -------------------------------------------------------------


@dataclass
class ProposalRow:
    ranked: RankedApplication
    amount_yen: int
    selected: bool = False
    # Why: "minimum" (selected to meet a theme minimum), "rank", "budget"
    # (does not fit the remaining budget), "theme_full" (theme maximum
    # reached), "unscored" (no counted review).
    reason: str = ""
    near_line: bool = False


@dataclass
class Proposal:
    rows: list[ProposalRow]
    budget_yen: int
    committed_yen: int  # already awarded in the round
    selected_yen: int
    funding_line: float | None
    margin: float
    theme_counts: dict[int, int]
    unmet_minimums: dict[int, tuple[int, int]]  # theme id: (minimum, reached)

    @property
    def remaining_yen(self) -> int:
        return self.budget_yen - self.committed_yen - self.selected_yen


def propose_selection(
    ranked: Sequence[RankedApplication],
    *,
    budget_yen: int,
    theme_limits: Mapping[int, tuple[int | None, int | None]] | None = None,
    awarded_counts: Mapping[int, int] | None = None,
    committed_yen: int = 0,
    amounts: Mapping[int, int] | None = None,
    margin: float = 0.0,
) -> Proposal:
    """Select in rank order within the remaining budget and each theme's
    minimum and maximum number of awards.

    `ranked` are the undecided applications in overall ranking order;
    already awarded ones count through `awarded_counts` (per theme) and
    `committed_yen`. Amounts default to the requested amount; `amounts`
    lowers them (never raises). First pass: applications of themes below
    their minimum are taken in rank order, skipping one only when taking it
    would leave too little budget for the cheapest way to reach every
    remaining minimum; so minimums are met whenever the budget allows.
    Second pass: the rest in rank order while they fit and their theme is
    below its maximum. The funding line lies midway between the lowest
    selected and the highest unselected calibrated score; rows within
    `margin` of it are flagged.
    """
    limits = dict(theme_limits or {})
    counts: Counter = Counter(awarded_counts or {})
    amounts = amounts or {}
    remaining = budget_yen - committed_yen
    rows = [
        ProposalRow(r, min(amounts.get(r.id, r.application.requested_yen), r.application.requested_yen))
        for r in ranked
    ]
    scored = [row for row in rows if row.ranked.is_scored]
    for row in rows:
        if not row.ranked.is_scored:
            row.reason = "unscored"

    def theme_of(row):
        return row.ranked.application.theme_id

    def need(theme):
        minimum = limits.get(theme, (None, None))[0]
        return max((minimum or 0) - counts[theme], 0)

    def full(theme):
        return theme_is_full(limits.get(theme, (None, None))[1], counts[theme])

    def take(row, reason):
        nonlocal remaining
        row.selected, row.reason = True, reason
        remaining -= row.amount_yen
        counts[theme_of(row)] += 1

    by_price: dict = defaultdict(list)
    for row in sorted(scored, key=lambda r: r.amount_yen):
        by_price[theme_of(row)].append(row)

    def cheapest_minimums(exclude=None) -> int:
        """Least money that still reaches every unmet minimum."""
        total = 0
        for theme in limits:
            missing = need(theme)
            for row in by_price.get(theme, ()):
                if not missing:
                    break
                if not row.selected and row is not exclude:
                    total += row.amount_yen
                    missing -= 1
        return total

    # When even the cheapest way misses a minimum, meet what fits in rank order.
    guarded = cheapest_minimums() <= remaining
    for row in scored:
        theme = theme_of(row)
        if not need(theme) or full(theme) or row.amount_yen > remaining:
            continue
        if guarded:
            counts[theme] += 1  # as if taken: the reserve is for the rest
            reserve = cheapest_minimums(exclude=row)
            counts[theme] -= 1
            if row.amount_yen + reserve > remaining:
                continue
        take(row, "minimum")
    for row in scored:
        if row.selected:
            continue
        if full(theme_of(row)):
            row.reason = "theme_full"
        elif row.amount_yen > remaining:
            row.reason = "budget"
        else:
            take(row, "rank")

    line = _funding_line(scored)
    if line is not None:
        for row in scored:
            row.near_line = abs(row.ranked.calibrated - line) <= margin
    unmet = {
        theme: (limits[theme][0], counts[theme])
        for theme in limits
        if limits[theme][0] is not None and counts[theme] < limits[theme][0]
    }
    return Proposal(
        rows=rows,
        budget_yen=budget_yen,
        committed_yen=committed_yen,
        selected_yen=sum(row.amount_yen for row in rows if row.selected),
        funding_line=line,
        margin=margin,
        theme_counts=dict(counts),
        unmet_minimums=unmet,
    )


def _funding_line(scored: Sequence[ProposalRow]) -> float | None:
    selected = [row.ranked.calibrated for row in scored if row.selected]
    rejected = [row.ranked.calibrated for row in scored if not row.selected]
    if selected and rejected:
        return (min(selected) + max(rejected)) / 2
    if selected:
        return min(selected)
    if rejected:
        return max(rejected)
    return None


# --- Reading a round --------------------------------------------------------------


@dataclass
class RoundRanking:
    rows: list[RankedApplication]  # overall order
    groups: list[tuple]  # (theme or None, tier or None, rows) in theme and tier order
    max_total: int  # highest possible weighted total of one review
    disagreement_stdev: float | None
    margin: float  # funding-line margin in weighted-total points
    criteria_count: int


def review_totals(funding_round_id: int) -> list[ReviewTotal]:
    """Weighted totals of the counted reviews of a round: one query (the
    total is fixed on the review when it is submitted)."""
    from .models import Review

    rows = (
        Review.objects.counted()
        .filter(assignment__application__funding_round_id=funding_round_id)
        .order_by("id")
        .values_list("assignment__application_id", "assignment__reviewer_id",
                     "weighted_total", "recommendation")
    )
    return [
        ReviewTotal(application_id, reviewer_id, float(total or 0), recommendation)
        for application_id, reviewer_id, total, recommendation in rows
    ]


def round_ranking(funding_round) -> RoundRanking:
    """The ranking page's data with a constant number of queries (rubric,
    applications, review totals, themes, tiers), whatever the round's size."""

    from .models import Criterion

    criteria = list(
        Criterion.objects.filter(rubric__funding_round=funding_round).select_related("rubric")
    )
    rubric = criteria[0].rubric if criteria else None
    max_total = sum(c.weight * c.scale_max for c in criteria)
    threshold = rubric.disagreement_threshold_percent if rubric else 15
    margin_percent = rubric.funding_line_margin_percent if rubric else 3
    applications = [
        ApplicationRow(*row)
        for row in Application.objects.filter(
            funding_round=funding_round, status__in=RANKED_STATUSES
        ).values_list(*APPLICATION_FIELDS)
    ]
    disagreement = max_total * threshold / 100 if max_total else None
    rows = rank_applications(
        applications, review_totals(funding_round.pk), disagreement_stdev=disagreement
    )
    themes = {t.pk: t for t in funding_round.themes.all()}
    tiers = {t.pk: t for t in funding_round.tiers.all()}
    grouped = by_theme_and_tier(rows)

    def group_order(key):
        theme, tier = themes.get(key[0]), tiers.get(key[1])
        return (
            theme is None, theme.number if theme else 0,
            tier is None, tier.sort_order if tier else 0, key[1] or 0,
        )

    groups = [
        (themes.get(key[0]), tiers.get(key[1]), grouped[key])
        for key in sorted(grouped, key=group_order)
    ]
    return RoundRanking(
        rows=rows,
        groups=groups,
        max_total=max_total,
        disagreement_stdev=disagreement,
        margin=max_total * margin_percent / 100,
        criteria_count=len(criteria),
    )
