"""Policies for awards, budget change requests and payments.

Scope: organisations see their own awards, programme staff and oversight
see all, reviewers see none. Writes: staff of the award's programme manage
the award and decide budget changes; the organisation asks for and
withdraws them; oversight writes nothing.
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


def is_member(user, organisation) -> bool:
    return active_user(user) and organisation.has_member(user)


def can_manage_award(user, award) -> bool:
    """Budgets, continuation, payments, settlement, status and due dates:
    staff of the award's programme."""
    return is_programme_staff(user, award.funding_round.programme)


def can_request_budget_change(user, award) -> bool:
    """A member of the awarded organisation asks to move money."""
    return is_member(user, award.organisation)


def can_decide_budget_change(user, change_request) -> bool:
    return can_manage_award(user, change_request.award_year.award)


def can_withdraw_budget_change(user, change_request) -> bool:
    return is_member(user, change_request.award_year.award.organisation)


RULES = {
    "awards.manage_award": can_manage_award,
    "awards.request_budget_change": can_request_budget_change,
    "awards.decide_budget_change": can_decide_budget_change,
    "awards.withdraw_budget_change": can_withdraw_budget_change,
}
