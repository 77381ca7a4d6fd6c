"""Rubrics: the default rubric, copying from another round, settings, and
criteria fixed once anyone has scored."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from reviews.models import Criterion, Rubric
from reviews.services import (
    DEFAULT_CRITERIA,
    copy_rubric,
    create_default_rubric,
    replace_criteria,
    save_rubric_settings,
)
from tests.factories import ReviewAssignmentFactory, ReviewRoundFactory, submitted_review


def test_default_rubric_has_the_six_weighted_criteria(review_round, officer):
    rubric = create_default_rubric(funding_round=review_round, by=officer)
    criteria = list(rubric.criteria.all())
    assert [c.name for c in criteria] == [name for name, *_rest in DEFAULT_CRITERIA]
    assert criteria[0].points[0] == (1, "既存の取組と変わらない")
    assert all(len(c.descriptors) == 5 for c in criteria)


def test_copy_rubric_from_another_round(review_round, officer, programme):
    source_round = ReviewRoundFactory(programme=programme)
    source = create_default_rubric(funding_round=source_round, by=officer)
    save_rubric_settings(funding_round=source_round, by=officer, reviews_per_application=2,
                         hide_scores_until_submitted=False)
    rubric = copy_rubric(source_round=source_round, target_round=review_round, by=officer)
    assert rubric.copied_from == source
    assert [c.name for c in rubric.criteria.all()] == [c.name for c in source.criteria.all()]
    assert (rubric.reviews_per_application, rubric.hide_scores_until_submitted) == (2, False)
    assert Criterion.objects.count() == 2 * len(DEFAULT_CRITERIA)


def test_copying_a_round_without_rubric_is_refused(review_round, officer, programme):
    with pytest.raises(DomainError) as caught:
        copy_rubric(source_round=ReviewRoundFactory(programme=programme),
                    target_round=review_round, by=officer)
    assert caught.value.code == "no_source_rubric"


def test_criteria_are_fixed_once_scored(make_application, rubric, officer):
    assignment = ReviewAssignmentFactory(application=make_application(status="under_review"))
    submitted_review(assignment, [3, 3])
    with pytest.raises(DomainError) as caught:
        replace_criteria(funding_round=rubric.funding_round, by=officer,
                         criteria=[{"name": "新しい観点"}])
    assert caught.value.code == "rubric_in_use"
    assert rubric.criteria.count() == 2


@pytest.mark.parametrize(
    ("criteria", "code"),
    [
        ([], "no_criteria"),
        ([{"name": ""}], "criterion_name"),
        ([{"name": "A", "weight": 0}], "criterion_weight"),
        ([{"name": "A", "scale_min": 5, "scale_max": 3}], "criterion_scale"),
        ([{"name": "A", "scale_min": 1, "scale_max": 2, "descriptors": ["a", "b", "c"]}],
         "criterion_descriptors"),
    ],
)
def test_criteria_are_validated(review_round, officer, criteria, code):
    with pytest.raises(DomainError) as caught:
        replace_criteria(funding_round=review_round, by=officer, criteria=criteria)
    assert caught.value.code == code
    assert not Criterion.objects.exists()


def test_settings_validation(review_round, officer):
    with pytest.raises(DomainError) as caught:
        save_rubric_settings(funding_round=review_round, by=officer, min_load=5, max_load=2)
    assert caught.value.field == "min_load"
    assert not Rubric.objects.filter(min_load=5).exists()


def test_rubric_page_saves_criteria_from_the_formset(client, officer, review_round):
    client.force_login(officer)
    url = reverse("reviews:rubric", args=[review_round.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "action": "criteria",
        "criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "30",
        "criteria-0-name": "先駆性", "criteria-0-weight": "2", "criteria-0-scale_min": "1",
        "criteria-0-scale_max": "3", "criteria-0-descriptors": "低い\n普通\n高い",
        "criteria-1-name": "", "criteria-1-weight": "1", "criteria-1-scale_min": "1",
        "criteria-1-scale_max": "5", "criteria-1-DELETE": "on",
    })
    assert response.status_code == 302
    criterion = Criterion.objects.get()
    assert (criterion.name, criterion.weight, criterion.descriptors) == (
        "先駆性", 2, ["低い", "普通", "高い"]
    )
    page = client.get(url).content.decode()
    assert "先駆性" in page and "低い" in page
