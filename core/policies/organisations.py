"""Policies for organisations and their members."""

from django.db.models import Q

from .base import NOTHING, _active, sees_all_programmes

# --- Organisations --------------------------------------------------------------


def organisations_visible_to(user) -> Q:
    """Staff and oversight see all organisations; a member sees their own."""
    if sees_all_programmes(user):
        return Q()
    if not _active(user):
        return NOTHING
    return Q(memberships__user=user)


def can_view_organisation(user, organisation) -> bool:
    return sees_all_programmes(user) or organisation.has_member(user)


def can_manage_organisation(user, organisation) -> bool:
    """Edit details and invite members: the organisation's owners."""
    if not _active(user):
        return False
    return organisation.memberships.filter(user=user, role="owner").exists()


RULES = {
    "accounts.view_organisation": can_view_organisation,
    "accounts.manage_organisation": can_manage_organisation,
}
