"""Shared predicates of the policy package."""

from django.apps import apps
from django.db.models import Q

from core.roles import Role

NOTHING = Q(pk__in=[])


def member_organisation_ids(user):
    """The ids of the user's organisations, as a subquery. Scopes filter
    `organisation__in=` on it rather than joining memberships, so a list
    never needs DISTINCT and its sort and count can use the indexes."""
    membership = apps.get_model("accounts", "Membership")
    return membership.objects.filter(user=user).values("organisation_id")


def of_member(user, prefix: str = "") -> Q:
    """Rows (at `prefix`, e.g. "award__") owned by the user's organisations."""
    return Q(**{f"{prefix}organisation__in": member_organisation_ids(user)})


def active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# Roles that must give a one-time code after the password; applicants may.
TWO_FACTOR_ROLES = frozenset({Role.PROGRAMME_STAFF, Role.OVERSIGHT, Role.REVIEWER})


def must_use_two_factor(user) -> bool:
    """Staff, oversight and reviewers (and superusers) must use two-factor
    authentication (accounts.middleware asks for it)."""
    return active_user(user) and (user.is_superuser or user.role in TWO_FACTOR_ROLES)


def is_staff_user(user) -> bool:
    """Programme staff or a superuser."""
    return active_user(user) and (user.is_superuser or user.role == Role.PROGRAMME_STAFF)


def is_oversight(user) -> bool:
    return active_user(user) and user.role == Role.OVERSIGHT


def is_reviewer(user) -> bool:
    return active_user(user) and user.role == Role.REVIEWER


def is_programme_staff(user, programme) -> bool:
    """Staff edit only the programmes that list them; superusers edit all."""
    if not is_staff_user(user):
        return False
    if user.is_superuser:
        return True
    return programme.staff.filter(pk=user.pk).exists()


def sees_all_programmes(user) -> bool:
    """Staff and oversight read every programme (oversight never writes)."""
    return is_staff_user(user) or is_oversight(user)


def scope_key(user) -> tuple:
    """What the `*_visible_to(user)` scopes depend on, as a hashable key: two
    requests with the same key get the same scope SQL and parameters. The
    scopes read the user's organisations, assignments and conflicts through
    subqueries on the user's id at query time, never as ids fetched into
    Python, so the key holds no data that could go stale (api.application_rows
    caches compiled list statements by it; tests/api/test_list_statements.py
    changes memberships, assignments and conflicts under a cached key)."""
    if sees_all_programmes(user):
        return ("all",)
    if not active_user(user):
        return ("nothing",)
    return ("user", user.pk, user.role)
