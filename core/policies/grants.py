"""Policies for programmes and funding rounds."""

from django.apps import apps
from django.db.models import Q

from .base import NOTHING, is_programme_staff, is_staff_user, sees_all_programmes

# --- Funding rounds -------------------------------------------------------------


def _draft():
    """FundingRound.Status.DRAFT; core reads the model through the app registry
    rather than importing grants, which sits above it."""
    return apps.get_model("grants", "FundingRound").Status.DRAFT


def rounds_visible_to(user) -> Q:
    """Published rounds are public; drafts only for staff and oversight."""
    if sees_all_programmes(user):
        return Q()
    return ~Q(status=_draft())


def can_view_round(user, funding_round) -> bool:
    return funding_round.status != funding_round.Status.DRAFT or sees_all_programmes(user)


def can_manage_round(user, funding_round) -> bool:
    """Create, edit, open, close and copy rounds: staff of that programme."""
    return is_programme_staff(user, funding_round.programme)


def can_create_round_in(user, programme) -> bool:
    return is_programme_staff(user, programme)


def can_view_round_history(user, funding_round) -> bool:
    """A round's history (who changed what, and why): staff and oversight."""
    return sees_all_programmes(user)


def programmes_managed_by(user) -> Q:
    if not is_staff_user(user):
        return NOTHING
    if user.is_superuser:
        return Q()
    return Q(staff=user)


RULES = {
    "grants.view_round": can_view_round,
    "grants.manage_round": can_manage_round,
    "grants.create_round": can_create_round_in,
    "grants.view_round_history": can_view_round_history,
}


# --- Managed lists (target groups, feature tags, expense categories) -----------------


def can_view_managed_lists(user) -> bool:
    """The lists and their history: staff and oversight."""
    return sees_all_programmes(user)


def can_manage_managed_lists(user) -> bool:
    """Add, rename, reorder, switch off: programme staff (the lists are
    shared by every programme) and superusers; oversight reads only."""
    return is_staff_user(user)


# --- Programmes -------------------------------------------------------------------------


def can_create_programme(user) -> bool:
    """Programme staff (who then staff the new programme) and superusers."""
    return is_staff_user(user)


def can_manage_programme(user, programme) -> bool:
    """Edit a programme's names, funder and staff: its own staff."""
    return is_programme_staff(user, programme)


RULES["grants.manage_programme"] = can_manage_programme
