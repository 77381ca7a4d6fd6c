"""Policies for applications.

Scope: staff and oversight read every application; applicants read their
organisations' applications; reviewers read only what they are assigned to
and not conflicted on (core.policies.reviews). Applicants (members of the
organisation) edit, submit and withdraw; whether the status still allows it
is the services' business (a refused move is 409, not 403). Screening and
return for correction belong to the staff of the round's programme;
oversight never writes.
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
from .reviews import reviewer_application_scope


def applications_visible_to(user) -> Q:
    """Staff and oversight: all; applicants: their organisations'; reviewers:
    their unconflicted assignments (core.policies.reviews)."""
    if sees_all_programmes(user):
        return Q()
    if not active_user(user):
        return NOTHING
    if is_reviewer(user):
        return reviewer_application_scope(user)
    return of_member(user)


def _is_member(user, application) -> bool:
    return active_user(user) and application.organisation.has_member(user)


def can_view_application(user, application) -> bool:
    """Anyone whose scope holds the application."""
    if sees_all_programmes(user):
        return True
    if not active_user(user):
        return False
    if is_reviewer(user):
        model = type(application)
        return model.objects.filter(reviewer_application_scope(user), pk=application.pk).exists()
    return _is_member(user, application)


def can_edit_application(user, application) -> bool:
    """Edit the draft and its attachments: members of the organisation."""
    return _is_member(user, application)


def can_submit_application(user, application) -> bool:
    """Submit and resubmit: members of the organisation."""
    return _is_member(user, application)


def can_withdraw_application(user, application) -> bool:
    """Withdraw before a decision: members of the organisation."""
    return _is_member(user, application)


def can_screen_application(user, application) -> bool:
    """Eligibility screening and return for correction (差戻し): staff of the
    round's programme."""
    return is_programme_staff(user, application.funding_round.programme)


def can_download_attachment(user, attachment) -> bool:
    """Same as seeing the application."""
    return can_view_application(user, attachment.application)


def can_list_applications_for_screening(user) -> bool:
    """The staff list and its exports: staff and oversight (read-only)."""
    return sees_all_programmes(user)


def can_apply_for(user, organisation) -> bool:
    """Start an application: members of the organisation."""
    return active_user(user) and organisation.has_member(user)


RULES = {
    "applications.view_application": can_view_application,
    "applications.edit_application": can_edit_application,
    "applications.submit_application": can_submit_application,
    "applications.withdraw_application": can_withdraw_application,
    "applications.screen_application": can_screen_application,
    "applications.return_application": can_screen_application,
    "applications.download_attachment": can_download_attachment,
    "applications.apply_for": can_apply_for,
}
