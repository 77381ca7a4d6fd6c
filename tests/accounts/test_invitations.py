from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, OrganisationEvent, Role
from accounts.services import accept_invitation, invite_member, revoke_invitation
from accounts.tasks import send_invitation_email
from core.errors import DomainError
from tests.factories import InvitationFactory, UserFactory

from .helpers import snapshot


def _url(token):
    return reverse("accounts:invitation", args=[token])


def test_invitation_email_is_sent_once_after_commit_even_if_the_task_runs_twice(
    applicant, organisation, django_capture_on_commit_callbacks, mailoutbox
):
    with time_machine.travel("2026-11-02 10:00 +09:00", tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            invitation = invite_member(
                organisation=organisation, email="New.Member@Example.jp", by=applicant
            )
        assert mailoutbox == []  # nothing leaves before the transaction commits
        assert len(callbacks) == 1

        # The task queues the e-mail in the outbox, delivered on commit.
        with django_capture_on_commit_callbacks(execute=True):
            callbacks[0]()
            send_invitation_email(invitation.pk)
            send_invitation_email.delay(invitation.pk)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.member@example.jp"]
    assert organisation.name in mailoutbox[0].subject
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert invitation.email == "new.member@example.jp"
    assert invitation.expires_at == datetime(2026, 11, 9, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    event = OrganisationEvent.objects.get(action="member_invited")
    assert (event.actor, event.changes["email"]) == (applicant, "new.member@example.jp")


def test_rerunning_the_task_after_commit_sends_nothing(
    applicant, organisation, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_member(organisation=organisation, email="x@example.jp", by=applicant)
    sent_at = Invitation.objects.get().sent_at

    assert send_invitation_email(invitation.pk) is False

    assert len(mailoutbox) == 1
    assert Invitation.objects.get().sent_at == sent_at


def test_only_a_hash_of_the_token_is_stored(applicant, organisation, invite):
    invitation, token = invite(organisation, "new@example.jp", by=applicant)

    invitation.refresh_from_db()
    assert len(token) >= 40
    assert invitation.token_hash and invitation.token_hash != token
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_invited_user_accepts_and_becomes_member(client, applicant, organisation, invite):
    _, token = invite(organisation, "new@example.jp", by=applicant)
    newcomer = UserFactory(email="new@example.jp")
    client.force_login(newcomer)

    assert client.get(_url(token)).status_code == 200
    response = client.post(_url(token))

    assert response.status_code == 302
    assert response.url == reverse("accounts:organisation_detail", args=[organisation.pk])
    membership = Membership.objects.get(organisation=organisation, user=newcomer)
    assert membership.role == Membership.Role.MEMBER
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == newcomer and invitation.accepted_at is not None
    event = OrganisationEvent.objects.get(action="member_joined")
    assert (event.actor, event.to_status) == (newcomer, "member")


def test_invited_person_registers_first_then_accepts(client, applicant, organisation, invite):
    _, token = invite(organisation, "fresh@example.jp", by=applicant, role="owner")

    page = client.get(_url(token))
    assert page.status_code == 200
    assert organisation.name in page.content.decode()
    register = reverse("accounts:register")
    assert register in page.content.decode()

    response = client.post(
        f"{register}?next={_url(token)}",
        {
            "email": "fresh@example.jp",
            "full_name": "新人 四郎",
            "password1": "kodoku-koritsu-2026",
            "password2": "kodoku-koritsu-2026",
            "next": _url(token),
        },
    )
    assert response.url == _url(token)
    client.post(_url(token))

    membership = Membership.objects.get(organisation=organisation, user__email="fresh@example.jp")
    assert membership.role == Membership.Role.OWNER


def test_expired_invitation_is_refused(client, applicant, organisation, invite):
    invitation, token = invite(organisation, "late@example.jp", by=applicant)
    late = UserFactory(email="late@example.jp")
    client.force_login(late)
    before = snapshot()

    with time_machine.travel(invitation.expires_at + timedelta(seconds=1)):
        page = client.get(_url(token))
        response = client.post(_url(token))

    assert page.status_code == 410
    assert page.context["error_code"] == "invitation_expired"
    assert response.status_code == 410
    assert snapshot() == before


def test_invitation_still_works_one_second_before_expiry(applicant, organisation, invite):
    invitation, token = invite(organisation, "ontime@example.jp", by=applicant)
    user = UserFactory(email="ontime@example.jp")

    with time_machine.travel(invitation.expires_at - timedelta(seconds=1)):
        accept_invitation(token=token, by=user)

    assert organisation.has_member(user)


def test_used_token_is_refused(client, applicant, organisation, invite):
    _, token = invite(organisation, "once@example.jp", by=applicant)
    first = UserFactory(email="once@example.jp")
    accept_invitation(token=token, by=first)
    before = snapshot()

    client.force_login(first)
    assert client.post(_url(token)).status_code == 410
    with pytest.raises(DomainError) as refused:
        accept_invitation(token=token, by=first)

    assert refused.value.code == "invitation_used"
    assert snapshot() == before


def test_token_for_another_address_is_refused(client, applicant, organisation, invite):
    _, token = invite(organisation, "invited@example.jp", by=applicant)
    stranger = UserFactory(email="stranger@example.jp")
    client.force_login(stranger)
    before = snapshot()

    page = client.get(_url(token))
    response = client.post(_url(token))

    assert page.status_code == 403
    assert response.status_code == 403
    assert snapshot() == before
    assert not organisation.has_member(stranger)


def test_unknown_token_is_refused(client, applicant):
    client.force_login(applicant)
    assert client.get(_url("not-a-real-token")).status_code == 404
    assert client.post(_url("not-a-real-token")).status_code == 404
    client.logout()
    assert client.get(_url("not-a-real-token")).status_code == 404


def test_revoked_invitation_is_refused(client, applicant, organisation, invite):
    invitation, token = invite(organisation, "gone@example.jp", by=applicant)
    revoke_invitation(invitation=invitation, by=applicant)
    client.force_login(UserFactory(email="gone@example.jp"))

    assert client.post(_url(token)).status_code == 410
    assert not Membership.objects.filter(user__email="gone@example.jp").exists()
    assert OrganisationEvent.objects.filter(action="invitation_revoked").count() == 1


@pytest.mark.parametrize("role", [Role.PROGRAMME_STAFF, Role.REVIEWER, Role.OVERSIGHT])
def test_non_applicant_accounts_cannot_join(client, applicant, organisation, invite, role):
    _, token = invite(organisation, "official@example.jp", by=applicant)
    client.force_login(UserFactory(email="official@example.jp", role=role))
    before = snapshot()

    assert client.post(_url(token)).status_code == 403
    assert snapshot() == before


def test_inviting_a_member_or_a_pending_address_is_refused(applicant, member, organisation, invite):
    invite(organisation, "pending@example.jp", by=applicant)
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        invite_member(organisation=organisation, email=member.email.upper(), by=applicant)
    assert (refused.value.code, refused.value.field) == ("already_member", "email")
    with pytest.raises(DomainError) as refused:
        invite_member(organisation=organisation, email="Pending@example.jp", by=applicant)
    assert refused.value.code == "already_invited"
    assert snapshot() == before


def test_an_expired_invitation_is_replaced_by_a_new_one(applicant, organisation, invite):
    old, old_token = invite(organisation, "again@example.jp", by=applicant)

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        new, new_token = invite(organisation, "again@example.jp", by=applicant)
        user = UserFactory(email="again@example.jp")
        with pytest.raises(DomainError):
            accept_invitation(token=old_token, by=user)
        accept_invitation(token=new_token, by=user)

    old.refresh_from_db()
    assert old.revoked_at is not None
    superseded = OrganisationEvent.objects.get(action="invitation_revoked")
    assert superseded.changes["invitation_id"] == old.pk
    assert organisation.has_member(user)


def test_owner_invites_through_the_page(client, applicant, organisation, mailoutbox,
                                         django_capture_on_commit_callbacks):
    client.force_login(applicant)
    url = reverse("accounts:invitation_create", args=[organisation.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "colleague@example.jp", "role": "member"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert Invitation.objects.get().email == "colleague@example.jp"

    response = client.post(url, {"email": "not-an-address", "role": "member"})
    assert response.status_code == 400
    assert list(response.context["invite_form"].errors) == ["email"]
    assert "not-an-address" in response.content.decode()


def test_task_sends_nothing_for_a_withdrawn_or_missing_invitation(organisation, mailoutbox):
    withdrawn = InvitationFactory(organisation=organisation, revoked_at=timezone.now())

    assert send_invitation_email(withdrawn.pk) is False
    assert send_invitation_email(withdrawn.pk + 1000) is False
    assert mailoutbox == []
    withdrawn.refresh_from_db()
    assert (withdrawn.sent_at, withdrawn.token_hash) == (None, "")
