import pytest
from django.urls import reverse

from accounts.models import Membership, OrganisationEvent
from accounts.services import change_member_role, remove_member
from core.errors import DomainError
from tests.factories import MembershipFactory

from .helpers import snapshot


def _own(applicant, organisation):
    return Membership.objects.get(organisation=organisation, user=applicant)


def test_owner_makes_a_member_owner_and_back(applicant, member, organisation):
    membership = Membership.objects.get(user=member)

    change_member_role(membership=membership, role="owner", by=applicant)
    change_member_role(membership=membership, role="member", by=applicant)

    membership.refresh_from_db()
    assert membership.role == "member"
    moves = list(
        OrganisationEvent.objects.filter(action="role_changed").values_list(
            "from_status", "to_status"
        )
    )
    assert moves == [("member", "owner"), ("owner", "member")]


def test_last_owner_cannot_be_demoted(applicant, member, organisation):
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        change_member_role(membership=_own(applicant, organisation), role="member", by=applicant)

    assert refused.value.code == "last_owner"
    assert snapshot() == before


def test_last_owner_cannot_be_removed(applicant, organisation):
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        remove_member(membership=_own(applicant, organisation), by=applicant)

    assert refused.value.code == "last_owner"
    assert snapshot() == before


def test_an_owner_may_step_down_when_another_owner_remains(applicant, member, organisation):
    MembershipFactory(organisation=organisation, role="owner")

    remove_member(membership=_own(applicant, organisation), by=applicant)

    assert not organisation.has_member(applicant)
    event = OrganisationEvent.objects.get(action="member_removed")
    assert (event.from_status, event.changes["email"]) == ("owner", applicant.email)


def test_owner_removes_a_member_through_the_page(client, applicant, member, organisation):
    client.force_login(applicant)
    membership = Membership.objects.get(user=member)

    response = client.post(reverse("accounts:member_remove", args=[organisation.pk, membership.pk]))

    assert response.status_code == 302
    assert not organisation.has_member(member)


def test_last_owner_demotion_through_the_page_shows_the_refusal(client, applicant, organisation):
    client.force_login(applicant)
    own = _own(applicant, organisation)
    before = snapshot()

    response = client.post(
        reverse("accounts:member_role", args=[organisation.pk, own.pk]),
        {"role": "member"},
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0]
    assert snapshot() == before


def test_a_membership_of_another_organisation_is_not_found(client, applicant, organisation):
    foreign = MembershipFactory()
    client.force_login(applicant)
    before = snapshot()

    response = client.post(
        reverse("accounts:member_remove", args=[organisation.pk, foreign.pk])
    )

    assert response.status_code == 404
    assert snapshot() == before
