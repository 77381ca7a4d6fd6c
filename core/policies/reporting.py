"""Policies for progress reports: they follow the scope of their award
(core.policies.awards). The organisation writes and submits its reports;
staff of the award's programme review them; oversight writes nothing.
"""

from django.db.models import Q

from .awards import can_manage_award, is_member
from .base import (
    NOTHING,
    active_user,
    is_reviewer,
    of_member,
    sees_all_programmes,
)


def reports_visible_to(user) -> Q:
    """Reports follow the scope of their award."""
    if not active_user(user) or is_reviewer(user):
        return NOTHING
    if sees_all_programmes(user):
        return Q()
    return of_member(user, "award__")


def can_edit_report(user, report) -> bool:
    """Members of the awarded organisation write and submit its reports."""
    return is_member(user, report.award.organisation)


def can_start_report(user, deadline) -> bool:
    return is_member(user, deadline.award.organisation)


def can_review_report(user, report) -> bool:
    """Accept, request revision, accept personal data: programme staff."""
    return can_manage_award(user, report.award)


RULES = {
    "reporting.start_report": can_start_report,
    "reporting.edit_report": can_edit_report,
    "reporting.review_report": can_review_report,
}
