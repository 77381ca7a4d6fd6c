"""Policies for applications. Issue 3 completes these rules."""

from django.db.models import Q

from .base import NOTHING, _active, sees_all_programmes


def applications_visible_to(user) -> Q:
    """Staff and oversight: all; applicants: their organisations'; reviewers:
    their unconflicted assignments (added by the reviews app's rules)."""
    if sees_all_programmes(user):
        return Q()
    if not _active(user):
        return NOTHING
    return Q(organisation__memberships__user=user)


RULES: dict = {}
