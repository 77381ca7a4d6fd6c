"""Helpers for the funding-round tests: rounds in each state, applications."""

from datetime import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from grants.services import JST

from ..factories import (
    ExpenseCategoryFactory,
    FundingRoundFactory,
    OpenRoundFactory,
    OrganisationFactory,
    ScaleTierFactory,
    ThemeFactory,
)

PERSONAS = ["anonymous", "applicant", "outsider", "reviewer", "oversight", "other_officer", "officer"]


def jst(year, month, day, hour=0, minute=0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute), JST)


def persona_user(request, name: str) -> User | None:
    """The user of a persona fixture; None for anonymous."""
    if name == "anonymous":
        return None
    if name == "applicant":
        request.getfixturevalue("organisation")
    return request.getfixturevalue(name)


def login(client, user) -> None:
    if user is not None:
        client.force_login(user)


def add_application(funding_round, organisation=None) -> Application:
    """An application started in the round (enough to make changes need a reason)."""
    return Application.objects.create(
        funding_round=funding_round,
        organisation=organisation or OrganisationFactory(),
        theme=funding_round.themes.first(),
        tier=funding_round.tiers.first(),
        title="居場所づくり事業",
    )


@pytest.fixture
def draft_round(programme):
    """A complete draft of `programme`: one theme, one tier, one category."""
    funding_round = FundingRoundFactory(programme=programme)
    ThemeFactory(funding_round=funding_round, number=1)
    ScaleTierFactory(funding_round=funding_round, code="municipal")
    funding_round.expense_categories.add(ExpenseCategoryFactory(code="personnel", name_ja="人件費"))
    return funding_round


@pytest.fixture
def open_round(programme):
    return OpenRoundFactory(programme=programme)


@pytest.fixture
def live_round(open_round):
    """An open round that already has an application."""
    add_application(open_round)
    return open_round
