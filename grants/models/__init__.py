"""grants models: programmes and rounds (rounds.py); awards (awards.py)."""

from .awards import (
    Award,
    AwardBudgetLine,
    AwardConsortiumMember,
    AwardEvent,
    AwardYear,
    BudgetChangeRequest,
    ContinuationDecision,
    Payment,
    ReportDeadline,
    ReportingDefaults,
    ScheduledPayment,
)
from .programme_events import ProgrammeEvent
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
    "Award",
    "AwardBudgetLine",
    "AwardConsortiumMember",
    "AwardEvent",
    "AwardYear",
    "BudgetChangeRequest",
    "ContinuationDecision",
    "Payment",
    "ReportDeadline",
    "ReportingDefaults",
    "ScheduledPayment",
    "ExpenseCategory",
    "FundingRound",
    "FundingRoundEvent",
    "Programme",
    "ProgrammeEvent",
    "ScaleTier",
    "TargetGroup",
    "Theme",
]
