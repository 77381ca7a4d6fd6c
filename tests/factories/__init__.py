"""factory-boy factories, one module per app, all importable from here."""

from .accounts import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from .applications import (
    ApplicationFactory,
    BudgetLineFactory,
    IndicatorFactory,
    submitted_application,
)
from .findings import (
    FindingFactory,
    HandedInReportFactory,
    start_year,
)
from .grants import (
    ExpenseCategoryFactory,
    FundingRoundFactory,
    OpenRoundFactory,
    ProgrammeFactory,
    ScaleTierFactory,
    TargetGroupFactory,
    ThemeFactory,
)
from .reporting import (
    DEFAULT_AWARD_BUDGET,
    AwardedApplicationFactory,
    AwardFactory,
    ReportFactory,
)
from .reviews import (
    CriterionFactory,
    ReviewApplicationFactory,
    ReviewAssignmentFactory,
    ReviewerFactory,
    ReviewerProfileFactory,
    ReviewFactory,
    ReviewRoundFactory,
    RubricFactory,
    submitted_review,
)

__all__ = [
    "ApplicationFactory",
    "AwardFactory",
    "AwardedApplicationFactory",
    "BudgetLineFactory",
    "CriterionFactory",
    "DEFAULT_AWARD_BUDGET",
    "ExpenseCategoryFactory",
    "FindingFactory",
    "FundingRoundFactory",
    "HandedInReportFactory",
    "IndicatorFactory",
    "InvitationFactory",
    "MembershipFactory",
    "OpenRoundFactory",
    "OrganisationFactory",
    "ProgrammeFactory",
    "ReportFactory",
    "ReviewApplicationFactory",
    "ReviewAssignmentFactory",
    "ReviewFactory",
    "ReviewRoundFactory",
    "ReviewerFactory",
    "ReviewerProfileFactory",
    "RubricFactory",
    "ScaleTierFactory",
    "TargetGroupFactory",
    "ThemeFactory",
    "UserFactory",
    "start_year",
    "submitted_application",
    "submitted_review",
]
