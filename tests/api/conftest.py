"""Fixtures for the API tests: a client per persona and rounds in `programme`."""

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    ExpenseCategoryFactory,
    FundingRoundFactory,
    OpenRoundFactory,
    ScaleTierFactory,
    ThemeFactory,
)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(request, api):
    """`api_as("reviewer")`: an APIClient signed in as that persona."""

    def sign_in(persona: str) -> APIClient:
        if persona != "anonymous":
            api.force_authenticate(request.getfixturevalue(persona))
        return api

    return sign_in


@pytest.fixture
def open_round(programme):
    """A published round of `programme` (staffed by `officer`)."""
    return OpenRoundFactory(programme=programme)


@pytest.fixture
def draft_round(programme):
    """A complete draft of `programme`: it may open."""
    funding_round = FundingRoundFactory(
        programme=programme, expense_categories=[ExpenseCategoryFactory(code="travel")]
    )
    ThemeFactory(funding_round=funding_round, number=1)
    ScaleTierFactory(funding_round=funding_round, code="municipal")
    return funding_round
