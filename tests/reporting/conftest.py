"""Fixtures for awards and reports: `award` belongs to `organisation` (whose
owner is `applicant`) and to `programme` (staffed by `officer`)."""

import pytest

from tests.factories import AwardFactory


@pytest.fixture
def award(organisation, programme):
    """A two-year award (FY2026, FY2027) of ¥1,000,000 a year; FY2026 active."""
    return AwardFactory(
        application__organisation=organisation,
        application__funding_round__programme=programme,
    )
