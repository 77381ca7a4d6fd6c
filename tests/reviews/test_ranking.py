"""Aggregation and ranking: submitted reviews only (drafts are not zeros),
calibration corrects a uniformly harsh reviewer, disagreement is flagged,
the tie-break is the stated one."""

import pytest

from reviews.models import Review, Score
from reviews.ranking import ApplicationRow, ReviewTotal, rank_applications, round_ranking
from tests.factories import (
    CriterionFactory,
    ReviewAssignmentFactory,
    ReviewerFactory,
    RubricFactory,
    submitted_review,
)

# True quality of six applications and who reviews which: a design where the
# harsh reviewer H (3 points below the others) reads apps 1, 5 and 6.
QUALITY = {1: 9, 2: 8, 3: 7, 4: 6, 5: 5, 6: 4}
READERS = {1: "AH", 2: "AB", 3: "AB", 4: "AB", 5: "AH", 6: "BH"}
BIAS = {"A": 0, "B": 0, "H": -3}


def test_calibration_corrects_a_uniformly_harsh_reviewer_pure():
    ids = {"A": 101, "B": 102, "H": 103}
    reviews = [
        ReviewTotal(app, ids[r], QUALITY[app] + BIAS[r])
        for app, readers in READERS.items() for r in readers
    ]
    apps = [ApplicationRow(id=a, receipt_number=f"R{a}") for a in QUALITY]
    rows = rank_applications(apps, reviews)
    raw_order = [r.id for r in sorted(rows, key=lambda r: -r.mean)]
    assert raw_order[:2] == [2, 1]  # the harsh reviewer pushes app 1 down
    assert [r.id for r in rows] == [1, 2, 3, 4, 5, 6]  # calibrated: the true order


def test_calibration_in_the_database(review_round, make_application):
    rubric = RubricFactory(funding_round=review_round, criteria=0)
    CriterionFactory(rubric=rubric, position=1, scale_min=1, scale_max=10)
    reviewers = {name: ReviewerFactory() for name in "ABH"}
    apps = {n: make_application(status="under_review", receipt_number=f"R-{n}") for n in QUALITY}
    for n, readers in READERS.items():
        for name in readers:
            assignment = ReviewAssignmentFactory(application=apps[n], reviewer=reviewers[name])
            submitted_review(assignment, [QUALITY[n] + BIAS[name]])

    ranking = round_ranking(review_round)
    assert [r.id for r in ranking.rows] == [apps[n].pk for n in range(1, 7)]
    first = ranking.rows[0]
    assert (first.count, first.mean, first.median) == (2, 7.5, 7.5)
    assert first.calibrated > ranking.rows[1].calibrated
    assert [r.rank for r in ranking.rows] == [1, 2, 3, 4, 5, 6]


def test_drafts_and_partial_reviews_are_never_counted(make_application, rubric):
    application = make_application(status="under_review")
    done = ReviewAssignmentFactory(application=application)
    submitted_review(done, [4, 4])
    draft = ReviewAssignmentFactory(application=application)
    review = Review.objects.create(assignment=draft)  # a draft with one score
    Score.objects.create(review=review, criterion=rubric.criteria.first(), value=1)
    ReviewAssignmentFactory(application=application)  # not started

    row = round_ranking(application.funding_round).rows[0]
    assert (row.count, row.mean, row.median, row.stdev) == (1, 8.0, 8.0, None)


def test_weighted_total_uses_the_weights(make_application, rubric):
    rubric.criteria.filter(position=2).update(weight=3)
    assignment = ReviewAssignmentFactory(application=make_application(status="under_review"))
    submitted_review(assignment, [2, 5])
    ranking = round_ranking(assignment.application.funding_round)
    assert ranking.rows[0].mean == 2 * 1 + 5 * 3
    assert ranking.max_total == 5 + 15


def test_disagreement_flag_by_spread_and_by_recommendation():
    apps = [ApplicationRow(id=1), ApplicationRow(id=2), ApplicationRow(id=3)]
    reviews = [
        ReviewTotal(1, 11, 10, "support"), ReviewTotal(1, 12, 2, "neutral"),
        ReviewTotal(2, 11, 8, "strongly_support"), ReviewTotal(2, 12, 7, "do_not_support"),
        ReviewTotal(3, 11, 6, "support"), ReviewTotal(3, 12, 6, "neutral"),
    ]
    rows = {r.id: r for r in rank_applications(apps, reviews, disagreement_stdev=3.0)}
    assert rows[1].disagreement  # stdev 5.66 > 3
    assert rows[2].disagreement  # support and do-not-support
    assert not rows[3].disagreement


def test_tie_break_mean_then_requested_then_receipt():
    apps = [
        ApplicationRow(id=1, requested_yen=900, receipt_number="B"),
        ApplicationRow(id=2, requested_yen=500, receipt_number="C"),
        ApplicationRow(id=3, requested_yen=500, receipt_number="A"),
        ApplicationRow(id=4, requested_yen=100, receipt_number="D"),
    ]
    # One reviewer each, all single reviews: calibrated = raw, all equal.
    reviews = [ReviewTotal(a, 100 + a, 5.0) for a in (1, 2, 3)]
    rows = rank_applications(apps, reviews)
    assert [r.id for r in rows] == [3, 2, 1, 4]  # 4 has no review: last, no rank
    assert rows[-1].rank is None and rows[0].rank == 1


def test_ranking_is_per_theme_and_tier(review_round, make_application, rubric):
    theme1, theme2 = review_round.themes.order_by("number")
    a = make_application(status="under_review", theme=theme1)
    b = make_application(status="under_review", theme=theme2)
    for application, values in ((a, [2, 2]), (b, [5, 5])):
        submitted_review(ReviewAssignmentFactory(application=application), values)
    ranking = round_ranking(review_round)
    assert [(theme.number, [r.id for r in rows]) for theme, _tier, rows in ranking.groups] == [
        (1, [a.pk]), (2, [b.pk])
    ]
    assert all(rows[0].rank == 1 for _t, _tier, rows in ranking.groups)


@pytest.mark.parametrize("status", ["draft", "withdrawn", "ineligible"])
def test_applications_out_of_review_are_not_ranked(make_application, rubric, status):
    make_application(status=status)
    assert round_ranking(rubric.funding_round).rows == []
