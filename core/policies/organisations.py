"""Policies for organisations and their members.

Staff and oversight read every organisation; applicants see the organisations
they belong to; reviewers see none (they judge applications, not applicants'
records). Only an organisation's owners change it: its details, its members
and its invitations. Oversight and staff never write here.
"""

from django.db.models import Q

from .base import NOTHING, _active, is_reviewer, member_organisation_ids, sees_all_programmes

# --- Organisations --------------------------------------------------------------


def organisations_visible_to(user) -> Q:
    """Staff and oversight see all organisations; a member sees their own."""
    if sees_all_programmes(user):
        return Q()
    if not _active(user) or is_reviewer(user):
        return NOTHING
    return Q(pk__in=member_organisation_ids(user))


def _is_applicant(user) -> bool:
    """An active user who is neither staff, oversight nor a reviewer."""
    return _active(user) and not sees_all_programmes(user) and not is_reviewer(user)


def can_list_all_organisations(user) -> bool:
    """The staff register of organisations: staff and oversight."""
    return sees_all_programmes(user)


def can_create_organisation(user, obj=None) -> bool:
    """Applicants register their own organisation and become its owner."""
    return _is_applicant(user)


def can_view_organisation(user, organisation) -> bool:
    """Staff and oversight, and the organisation's members."""
    if sees_all_programmes(user):
        return True
    return _is_applicant(user) and organisation.has_member(user)


def can_manage_organisation(user, organisation) -> bool:
    """Edit details, invite, re-role and remove members: the owners."""
    if not _is_applicant(user):
        return False
    return organisation.memberships.filter(user=user, role="owner").exists()


def can_accept_invitations(user) -> bool:
    """Only applicant accounts join organisations; a staff member or reviewer
    joining one would mix the roles that keep screening fair."""
    return _is_applicant(user)


RULES = {
    "accounts.view_organisation": can_view_organisation,
    "accounts.manage_organisation": can_manage_organisation,
}
