"""Fixtures for the review tests: a round of `programme` under review with a
two-criterion rubric, and the `reviewer` persona in the pool."""

import pytest

from tests.factories import (
    ReviewApplicationFactory,
    ReviewerProfileFactory,
    ReviewRoundFactory,
    RubricFactory,
)


@pytest.fixture
def review_round(programme):
    """A round of `programme` (staffed by `officer`) under review."""
    return ReviewRoundFactory(programme=programme)


@pytest.fixture
def rubric(review_round):
    return RubricFactory(funding_round=review_round, criteria=2)


@pytest.fixture
def pool_reviewer(reviewer):
    """The `reviewer` persona with a pool profile (expertise: theme 1)."""
    ReviewerProfileFactory(user=reviewer, affiliation_name="大学A")
    return reviewer


@pytest.fixture
def make_application(review_round):
    def make(**kwargs):
        return ReviewApplicationFactory(funding_round=review_round, **kwargs)

    return make
