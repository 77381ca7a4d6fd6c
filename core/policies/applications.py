"""Policies for applications. Issue 3 completes these rules."""

from django.db.models import Q

from .base import NOTHING, _active, is_reviewer, sees_all_programmes
from .reviews import reviewer_application_scope


def applications_visible_to(user) -> Q:
    """Staff and oversight: all; applicants: their organisations'; reviewers:
    their unconflicted assignments (core.policies.reviews)."""
    if sees_all_programmes(user):
        return Q()
    if not _active(user):
        return NOTHING
    if is_reviewer(user):
        return reviewer_application_scope(user)
    return Q(organisation__memberships__user=user)


RULES: dict = {}
