"""grants models: programmes and rounds (rounds.py), the rounds' reporting
defaults (reporting_defaults.py). Awards live in the awards app."""

from .programme_events import ProgrammeEvent
from .reporting_defaults import ReportingDefaults
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
    "ProgrammeEvent",
    "ReportingDefaults",
    "ScaleTier",
    "TargetGroup",
    "Theme",
]
