"""Fixtures for organisation tests: a member who is not an owner, and an
invitation helper that reads the token from the e-mail, as a person would."""

import re

import pytest

from accounts.models import Membership
from accounts.services import invite_member
from tests.factories import MembershipFactory, UserFactory

TOKEN_IN_MAIL = re.compile(r"/accounts/invitations/([A-Za-z0-9_-]+)/")


@pytest.fixture
def member(organisation):
    """A member (not owner) of `organisation`."""
    user = UserFactory(full_name="会員 三郎")
    MembershipFactory(organisation=organisation, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def invite(django_capture_on_commit_callbacks, mailoutbox):
    """`invite(organisation, email, by=owner)` → (invitation, token)."""

    def send(organisation, email, *, by, role=Membership.Role.MEMBER):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invite_member(organisation=organisation, email=email, role=role, by=by)
        token = TOKEN_IN_MAIL.search(mailoutbox[-1].body)[1]
        return invitation, token

    return send
