"""Decision support: the proposed selection never exceeds the budget or a
theme maximum, meets minimums whenever the budget allows, and flags rows
close to the funding line."""

import random

import pytest

from reviews.ranking import ApplicationRow, RankedApplication, propose_selection


def ranked(specs):
    """specs: (id, theme, calibrated, requested) in ranking order."""
    return [
        RankedApplication(
            application=ApplicationRow(id=i, theme_id=t, requested_yen=y, receipt_number=str(i)),
            count=3, mean=c, calibrated=c,
        )
        for i, t, c, y in specs
    ]


def selected(proposal):
    return [row.ranked.id for row in proposal.rows if row.selected]


def test_rank_order_within_the_budget():
    rows = ranked([(1, 1, 90, 400), (2, 1, 80, 400), (3, 1, 70, 400), (4, 1, 60, 100)])
    proposal = propose_selection(rows, budget_yen=1000)
    assert selected(proposal) == [1, 2, 4]
    assert proposal.rows[2].reason == "budget"
    assert proposal.selected_yen == 900 and proposal.remaining_yen == 100


def test_theme_maximum_is_never_exceeded():
    rows = ranked([(1, 1, 90, 10), (2, 1, 85, 10), (3, 1, 80, 10), (4, 2, 50, 10)])
    proposal = propose_selection(rows, budget_yen=1000, theme_limits={1: (None, 2)})
    assert selected(proposal) == [1, 2, 4]
    assert proposal.rows[2].reason == "theme_full"


def test_minimum_is_met_over_higher_ranked_applications_of_other_themes():
    rows = ranked([(1, 1, 90, 100), (2, 1, 85, 100), (3, 1, 80, 100), (4, 2, 40, 100)])
    proposal = propose_selection(rows, budget_yen=300, theme_limits={2: (1, 2)})
    assert selected(proposal) == [1, 2, 4]
    assert proposal.unmet_minimums == {}
    assert proposal.rows[3].reason == "minimum"


def test_minimums_of_two_themes_reserve_money_for_each_other():
    # Taking a1 (theme A's best) first would leave too little for theme B.
    rows = ranked([(1, "A", 90, 100), (2, "B", 80, 100), (3, "A", 70, 50)])
    proposal = propose_selection(rows, budget_yen=160, theme_limits={"A": (1, 3), "B": (1, 3)})
    assert selected(proposal) == [2, 3]
    assert proposal.unmet_minimums == {}


def test_unreachable_minimum_is_reported():
    rows = ranked([(1, 1, 90, 100), (2, 2, 80, 500)])
    proposal = propose_selection(rows, budget_yen=300, theme_limits={2: (1, None)})
    assert selected(proposal) == [1]
    assert proposal.unmet_minimums == {2: (1, 0)}


def test_amounts_are_editable_downward_only():
    rows = ranked([(1, 1, 90, 500), (2, 1, 80, 500)])
    proposal = propose_selection(rows, budget_yen=800, amounts={1: 300, 2: 900})
    assert [r.amount_yen for r in proposal.rows] == [300, 500]
    assert selected(proposal) == [1, 2]


def test_already_awarded_count_towards_budget_and_maximum():
    rows = ranked([(1, 1, 90, 100), (2, 2, 80, 100)])
    proposal = propose_selection(rows, budget_yen=1000, committed_yen=850,
                                 theme_limits={1: (None, 1)}, awarded_counts={1: 1})
    assert selected(proposal) == [2]
    assert proposal.rows[0].reason == "theme_full"


def test_funding_line_and_margin():
    rows = ranked([(1, 1, 90, 100), (2, 1, 71, 100), (3, 1, 69, 100), (4, 1, 40, 100)])
    proposal = propose_selection(rows, budget_yen=200, margin=2.0)
    assert proposal.funding_line == 70
    assert [r.near_line for r in proposal.rows] == [False, True, True, False]


def test_unscored_applications_are_not_proposed():
    rows = ranked([(1, 1, 90, 100)]) + [RankedApplication(ApplicationRow(id=2, theme_id=1))]
    proposal = propose_selection(rows, budget_yen=1000)
    assert selected(proposal) == [1]
    assert proposal.rows[1].reason == "unscored"


@pytest.mark.parametrize("seed", range(40))
def test_random_proposals_respect_budget_and_maximums(seed):
    rnd = random.Random(seed)
    themes = [1, 2, 3]
    limits = {t: (rnd.choice([None, 0, 1, 2]), rnd.choice([None, 2, 3])) for t in themes}
    limits = {t: (lo, hi) if lo is None or hi is None or lo <= hi else (hi, hi)
              for t, (lo, hi) in limits.items()}
    specs = [(i, rnd.choice(themes), 100 - i, rnd.randrange(100, 2000, 100)) for i in range(15)]
    budget = rnd.randrange(1000, 10000, 100)
    proposal = propose_selection(ranked(specs), budget_yen=budget, theme_limits=limits)
    chosen = [row for row in proposal.rows if row.selected]
    assert sum(row.amount_yen for row in chosen) <= budget
    for theme, (lo, hi) in limits.items():
        count = sum(1 for row in chosen if row.ranked.application.theme_id == theme)
        if hi is not None:
            assert count <= hi
        candidates = sorted(r.application.requested_yen for r in ranked(specs)
                            if r.application.theme_id == theme)
        if lo and sum(
            sum(sorted(r.application.requested_yen for r in ranked(specs)
                       if r.application.theme_id == t)[:lo_t])
            for t, (lo_t, _h) in limits.items() if lo_t
        ) <= budget and len(candidates) >= lo:
            assert count >= lo  # every minimum is reachable together: all are met
