"""Rules of a funding round that applications, decisions and awards share.

One home per rule (issue 11): the application checks (applications.rules),
the decisions (reviews.services.decisions, reviews.ranking) and the award
services each phrase their own message, but what the rule says lives here.
"""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CeilingBreach:
    """One total over the tier's ceiling. `fiscal_year` is None when the
    round's ceiling caps the whole award rather than each year."""

    fiscal_year: int | None
    total_yen: int
    ceiling_yen: int


def ceiling_breaches(funding_round, tier, year_totals: Mapping[int, int]) -> list[CeilingBreach]:
    """The tier ceiling (経費負担の上限) caps each fiscal year's total, or the
    whole award's total where the round says so (ceiling_basis)."""
    if tier is None:
        return []
    if funding_round.ceiling_basis == funding_round.CeilingBasis.PER_AWARD:
        totals: Mapping[int | None, int] = {None: sum(year_totals.values())}
    else:
        totals = year_totals
    return [
        CeilingBreach(year, total, tier.ceiling_yen)
        for year, total in totals.items()
        if total > tier.ceiling_yen
    ]


def theme_is_full(max_awards: int | None, awarded: int) -> bool:
    """A theme with a maximum number of awards takes no more once reached;
    no maximum means no limit."""
    return max_awards is not None and awarded >= max_awards
