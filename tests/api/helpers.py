"""Helpers shared by the API tests."""

from grants.models import FundingRound, FundingRoundEvent, ScaleTier, Theme

# Every persona of tests/conftest.py, plus nobody signed in.
PERSONAS = ["anonymous", "applicant", "outsider", "reviewer", "oversight", "other_officer", "officer"]


def snapshot() -> dict:
    """Everything a round write could touch, to assert a refusal changed nothing."""
    return {
        "rounds": list(FundingRound.objects.order_by("pk").values()),
        "themes": list(Theme.objects.order_by("pk").values()),
        "tiers": list(ScaleTier.objects.order_by("pk").values()),
        "categories": list(
            FundingRound.expense_categories.through.objects.order_by("pk").values()
        ),
        "events": list(FundingRoundEvent.objects.order_by("pk").values()),
    }
