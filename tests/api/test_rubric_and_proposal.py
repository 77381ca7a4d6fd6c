"""A round's rubric is created and edited through the API, and the
quota-aware proposed selection (funding line, unmet theme minimums,
near-line flags) is exposed there. Programme B: ¥120,000,000, theme 1
wants 5–7 awards, theme 2 1–2; ¥10,000,000 per organisation."""

import pytest

from reviews.models import Criterion, ReviewEvent
from tests.factories import (
    ReviewApplicationFactory,
    ReviewAssignmentFactory,
    ReviewRoundFactory,
    RubricFactory,
    submitted_review,
)

from .helpers import PERSONAS

pytestmark = pytest.mark.django_db

RUBRIC = {
    "reviews_per_application": 3, "max_load": 12, "funding_line_margin_percent": 5,
    "criteria": [
        {"name": "先駆性", "weight": 2, "scale_min": 1, "scale_max": 5,
         "descriptors": ["既存の取組と変わらない", "一部に新しさがある", "地域にとって新しい",
                         "先駆的", "極めて先駆的"]},
        {"name": "実現可能性", "weight": 1, "scale_min": 1, "scale_max": 5},
    ],
}


@pytest.fixture
def review_round(programme):
    funding_round = ReviewRoundFactory(programme=programme, budget_yen=120_000_000)
    funding_round.themes.filter(number=1).update(min_awards=5, max_awards=7)
    funding_round.themes.filter(number=2).update(min_awards=1, max_awards=2)
    funding_round.tiers.update(ceiling_yen=10_000_000)
    return funding_round


def _url(funding_round, what):
    return f"/api/v1/rounds/{funding_round.pk}/{what}/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_write_the_rubric(api_as, review_round, persona):
    expected = {"officer": 200, "other_officer": 403, "oversight": 403,
                "anonymous": 401}.get(persona, 404)

    response = api_as(persona).put(_url(review_round, "rubric"), RUBRIC, format="json")

    assert response.status_code == expected
    assert Criterion.objects.filter(rubric__funding_round=review_round).exists() is (
        expected == 200)


def test_create_read_and_edit_a_rubric(api_as, review_round, officer):
    client = api_as("officer")

    created = client.put(_url(review_round, "rubric"), RUBRIC, format="json")
    edited = client.patch(_url(review_round, "rubric"), {"max_load": 15}, format="json")
    read = api_as("oversight").get(_url(review_round, "rubric"))

    assert created.status_code == edited.status_code == read.status_code == 200
    body = read.json()
    assert [(c["position"], c["name"], c["weight"]) for c in body["criteria"]] == [
        (1, "先駆性", 2), (2, "実現可能性", 1)]
    assert (body["max_load"], body["reviews_per_application"], body["max_total"]) == (15, 3, 15)
    assert set(ReviewEvent.objects.filter(funding_round=review_round)
               .values_list("action", flat=True)) >= {"rubric_criteria", "rubric_settings"}


def test_a_bad_criterion_or_a_scored_round_is_409(api_as, review_round):
    client = api_as("officer")
    bad = client.put(_url(review_round, "rubric"), {
        "criteria": [{"name": "先駆性", "weight": 2, "scale_min": 5, "scale_max": 1}]},
        format="json")
    assert bad.status_code in (400, 409)

    client.put(_url(review_round, "rubric"), RUBRIC, format="json")
    application = ReviewApplicationFactory(funding_round=review_round, status="under_review")
    submitted_review(ReviewAssignmentFactory(application=application), [4, 4])
    in_use = client.put(_url(review_round, "rubric"), RUBRIC, format="json")

    assert in_use.status_code == 409 and in_use.json()["code"] == "rubric_in_use"


def _scored(funding_round, theme_number, score, requested=10_000_000):
    application = ReviewApplicationFactory(
        funding_round=funding_round, status="under_review", requested_yen=requested,
        theme=funding_round.themes.get(number=theme_number))
    submitted_review(ReviewAssignmentFactory(application=application), [score, score])
    return application


def test_the_proposal_meets_minimums_and_reports_the_unmet(api_as, review_round):
    RubricFactory(funding_round=review_round, criteria=2)
    theme_1 = [_scored(review_round, 1, s) for s in (5, 5, 4, 4)]
    theme_2 = [_scored(review_round, 2, s) for s in (2, 1, 1)]

    response = api_as("oversight").get(_url(review_round, "proposal"))

    assert response.status_code == 200
    body = response.json()
    chosen = {row["application"] for row in body["rows"] if row["selected"]}
    assert chosen == {a.pk for a in theme_1} | {a.pk for a in theme_2[:2]}
    reasons = {row["application"]: row["reason"] for row in body["rows"]}
    assert reasons[theme_2[0].pk] == "minimum" and reasons[theme_2[2].pk] == "theme_full"
    assert body["budget_yen"] == 120_000_000
    assert body["selected_yen"] == 60_000_000 and body["remaining_yen"] == 60_000_000
    themes = {t["number"]: t for t in body["themes"]}
    assert (themes[1]["min_awards"], themes[1]["max_awards"], themes[1]["proposed"],
            themes[1]["minimum_met"]) == (5, 7, 4, False)
    assert themes[2]["minimum_met"] is True
    assert body["unmet_minimums"] == [
        {"theme": review_round.themes.get(number=1).pk, "number": 1, "minimum": 5, "reached": 4}]
    assert body["funding_line"] is not None
    assert any(row["near_line"] for row in body["rows"])


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 404), ("outsider", 404), ("reviewer", 404), ("oversight", 200),
    ("other_officer", 200), ("officer", 200)])
def test_who_reads_the_proposal(api_as, review_round, persona, expected):
    assert api_as(persona).get(_url(review_round, "proposal")).status_code == expected
