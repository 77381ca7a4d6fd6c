"""Fixtures for the application tests: an open round of `programme` (staffed
by `officer`) and a complete draft of `organisation` (owned by `applicant`)."""

import pytest

from tests.factories import ApplicationFactory, OpenRoundFactory


@pytest.fixture
def open_round(programme):
    return OpenRoundFactory(programme=programme)


@pytest.fixture
def draft(open_round, organisation):
    """A complete draft that passes every rule."""
    return ApplicationFactory(funding_round=open_round, organisation=organisation)
