"""grants models: programmes and rounds (rounds.py); awards (awards.py)."""

from .rounds import (
    ExpenseCategory,
    FundingRound,
    FundingRoundEvent,
    Programme,
    ScaleTier,
    TargetGroup,
    Theme,
)

__all__ = [
    "ExpenseCategory",
    "FundingRound",
    "FundingRoundEvent",
    "Programme",
    "ScaleTier",
    "TargetGroup",
    "Theme",
]
