"""Policies for organisations and their members.

Staff and oversight read every organisation; applicants see the organisations
they belong to; reviewers see none (they judge applications, not applicants'
records). Only an organisation's owners change it: its details, its members
and its invitations. Oversight and staff never write here.
"""

from django.db.models import Q

from .base import (
    NOTHING,
    active_user,
    is_reviewer,
    is_staff_user,
    member_organisation_ids,
    sees_all_programmes,
)

# --- Organisations --------------------------------------------------------------


def organisations_visible_to(user) -> Q:
    """Staff and oversight see all organisations; a member sees their own."""
    if sees_all_programmes(user):
        return Q()
    if not active_user(user) or is_reviewer(user):
        return NOTHING
    return Q(pk__in=member_organisation_ids(user))


def _is_applicant(user) -> bool:
    """An active user who is neither staff, oversight nor a reviewer."""
    return active_user(user) and not sees_all_programmes(user) and not is_reviewer(user)


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


# --- Corporate number claims -----------------------------------------------------


def corporate_number_claims_visible_to(user) -> Q:
    """Staff and oversight see every claim; members see their organisation's
    claims (never the claims made against it: the evidence is the
    claimant's)."""
    if sees_all_programmes(user):
        return Q()
    if not active_user(user) or is_reviewer(user):
        return NOTHING
    return Q(claimant__in=member_organisation_ids(user))


def can_list_corporate_number_claims(user) -> bool:
    """The staff list of claims: staff and oversight."""
    return sees_all_programmes(user)


def can_view_corporate_number_claim(user, claim) -> bool:
    """Staff and oversight, and the members of the claimant organisation."""
    if sees_all_programmes(user):
        return True
    return _is_applicant(user) and claim.claimant.has_member(user)


def can_claim_corporate_number(user, organisation) -> bool:
    """Claim a number registered to another organisation: the owners."""
    return can_manage_organisation(user, organisation)


def can_resolve_corporate_number_claim(user, claim) -> bool:
    """Accept or reject a claim: programme staff and superusers (a number is
    not tied to one programme); oversight reads only."""
    return is_staff_user(user)


RULES = {
    "accounts.view_organisation": can_view_organisation,
    "accounts.manage_organisation": can_manage_organisation,
    "accounts.claim_corporate_number": can_claim_corporate_number,
    "accounts.view_corporate_number_claim": can_view_corporate_number_claim,
    "accounts.resolve_corporate_number_claim": can_resolve_corporate_number_claim,
}
