"""Policies for awards, budget changes, payments and progress reports.

Scope: organisations see their own awards and reports, programme staff and
oversight see all, reviewers see none. Writes: the organisation edits,
submits its reports and asks for budget changes; staff of the award's
programme manage the award and review reports; oversight writes nothing.
"""

from django.db.models import Q

from .base import (
    NOTHING,
    active_user,
    is_programme_staff,
    is_reviewer,
    of_member,
    sees_all_programmes,
)


def awards_visible_to(user) -> Q:
    """Staff and oversight: all; members: their organisations'; reviewers: none."""
    if not active_user(user) or is_reviewer(user):
        return NOTHING
    if sees_all_programmes(user):
        return Q()
    return of_member(user)


def reports_visible_to(user) -> Q:
    """Reports follow the scope of their award."""
    if not active_user(user) or is_reviewer(user):
        return NOTHING
    if sees_all_programmes(user):
        return Q()
    return of_member(user, "award__")


def change_requests_visible_to(user) -> Q:
    """Budget change requests follow the scope of their award."""
    if not active_user(user) or is_reviewer(user):
        return NOTHING
    if sees_all_programmes(user):
        return Q()
    return of_member(user, "award_year__award__")


def can_list_awards(user) -> bool:
    """The staff award list: programme staff and oversight."""
    return sees_all_programmes(user)


def _is_member(user, organisation) -> bool:
    return active_user(user) and organisation.has_member(user)


def can_manage_award(user, award) -> bool:
    """Budgets, continuation, payments, settlement, status and due dates:
    staff of the award's programme."""
    return is_programme_staff(user, award.funding_round.programme)


def can_request_budget_change(user, award) -> bool:
    """A member of the awarded organisation asks to move money."""
    return _is_member(user, award.organisation)


def can_decide_budget_change(user, change_request) -> bool:
    return can_manage_award(user, change_request.award_year.award)


def can_withdraw_budget_change(user, change_request) -> bool:
    return _is_member(user, change_request.award_year.award.organisation)


def can_edit_report(user, report) -> bool:
    """Members of the awarded organisation write and submit its reports."""
    return _is_member(user, report.award.organisation)


def can_start_report(user, deadline) -> bool:
    return _is_member(user, deadline.award.organisation)


def can_review_report(user, report) -> bool:
    """Accept, request revision, accept personal data: programme staff."""
    return can_manage_award(user, report.award)


RULES = {
    "awards.manage_award": can_manage_award,
    "awards.request_budget_change": can_request_budget_change,
    "awards.decide_budget_change": can_decide_budget_change,
    "awards.withdraw_budget_change": can_withdraw_budget_change,
    "reporting.start_report": can_start_report,
    "reporting.edit_report": can_edit_report,
    "reporting.review_report": can_review_report,
}
