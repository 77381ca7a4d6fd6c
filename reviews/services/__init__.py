"""Every write of the review process and every transition it causes.

Split by topic (rubrics, reviewer pool and conflicts, assignment, scoring,
decisions); import from `reviews.services`.
"""

from .assignments import (
    assign_reviewer,
    assign_reviewers_automatically,
    assignable_applications,
    describe_shortfall,
    unassign_reviewer,
)
from .decisions import record_decision, record_decisions
from .reviewers import (
    declare_conflict,
    declare_no_conflict,
    find_conflicts,
    invite_reviewer,
    refresh_conflicts,
    update_reviewer_profile,
)
from .rubrics import (
    DEFAULT_CRITERIA,
    copy_rubric,
    create_default_rubric,
    replace_criteria,
    save_rubric,
    save_rubric_settings,
)
from .scoring import decided_refusal, save_review_draft, submit_review

__all__ = [
    "DEFAULT_CRITERIA",
    "assign_reviewer",
    "assign_reviewers_automatically",
    "assignable_applications",
    "copy_rubric",
    "create_default_rubric",
    "decided_refusal",
    "declare_conflict",
    "declare_no_conflict",
    "describe_shortfall",
    "find_conflicts",
    "invite_reviewer",
    "record_decision",
    "record_decisions",
    "refresh_conflicts",
    "replace_criteria",
    "save_rubric",
    "save_review_draft",
    "save_rubric_settings",
    "submit_review",
    "unassign_reviewer",
    "update_reviewer_profile",
]
