"""Every organisation page for every persona: scope first (404), then the
owner's right (403). Refused writes change nothing."""

import pytest
from django.urls import reverse

from accounts.models import Invitation, Membership, Organisation
from accounts.services import invite_member

from .helpers import organisation_data, snapshot

PERSONAS = ["anonymous", "applicant", "member", "outsider", "reviewer", "officer", "oversight"]

# persona → status, per page
READ = {
    "detail": {"applicant": 200, "member": 200, "outsider": 404, "reviewer": 404,
               "officer": 200, "oversight": 200},
    "edit": {"applicant": 200, "member": 403, "outsider": 404, "reviewer": 404,
             "officer": 403, "oversight": 403},
    "members": {"applicant": 200, "member": 403, "outsider": 404, "reviewer": 404,
                "officer": 403, "oversight": 403},
    "list": {"applicant": 404, "member": 404, "outsider": 404, "reviewer": 404,
             "officer": 200, "oversight": 200},
    "mine": {"applicant": 200, "member": 200, "outsider": 200, "reviewer": 404,
             "officer": 302, "oversight": 302},
    "create": {"applicant": 200, "member": 200, "outsider": 200, "reviewer": 404,
               "officer": 403, "oversight": 403},
}
# Writes: only the owner succeeds (302 back to a page).
WRITE = {"applicant": 302, "member": 403, "outsider": 404, "reviewer": 404,
         "officer": 403, "oversight": 403}


@pytest.fixture
def as_persona(request, client, organisation, member):
    def sign_in(persona):
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        return client

    return sign_in


def _read_url(page, organisation):
    if page in ("list", "mine", "create"):
        return reverse(f"accounts:organisation_{page}")
    return reverse(f"accounts:organisation_{page}", args=[organisation.pk])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(READ))
def test_read_pages(as_persona, organisation, persona, page):
    response = as_persona(persona).get(_read_url(page, organisation))

    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == READ[page][persona]


def _writes(organisation, member, applicant):
    membership = Membership.objects.get(user=member)
    invitation = invite_member(organisation=organisation, email="p@example.jp", by=applicant)
    return {
        "edit": (
            reverse("accounts:organisation_edit", args=[organisation.pk]),
            organisation_data(corporate_number=organisation.corporate_number, name="乗っ取り"),
        ),
        "invite": (
            reverse("accounts:invitation_create", args=[organisation.pk]),
            {"email": "intruder@example.jp", "role": "owner"},
        ),
        "role": (
            reverse("accounts:member_role", args=[organisation.pk, membership.pk]),
            {"role": "owner"},
        ),
        "remove": (
            reverse("accounts:member_remove", args=[organisation.pk, membership.pk]),
            {},
        ),
        "revoke": (
            reverse("accounts:invitation_revoke", args=[organisation.pk, invitation.pk]),
            {},
        ),
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["edit", "invite", "role", "remove", "revoke"])
def test_writes(as_persona, organisation, member, applicant, persona, action):
    url, data = _writes(organisation, member, applicant)[action]
    client = as_persona(persona)
    before = snapshot()

    response = client.post(url, data)

    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == WRITE[persona]
    if persona == "applicant":
        assert snapshot() != before
    else:
        assert snapshot() == before


def test_owner_writes_take_effect(as_persona, organisation, member, applicant):
    client = as_persona("applicant")
    writes = _writes(organisation, member, applicant)
    for action in ["edit", "invite", "role", "revoke"]:
        url, data = writes[action]
        assert client.post(url, data).status_code == 302, action

    organisation.refresh_from_db()
    assert organisation.name == "乗っ取り"
    assert Membership.objects.get(user=member).role == "owner"
    assert Invitation.objects.filter(email="intruder@example.jp", role="owner").exists()
    assert Invitation.objects.get(email="p@example.jp").revoked_at is not None


@pytest.mark.parametrize("persona", ["officer", "oversight", "reviewer"])
def test_non_applicants_cannot_create_organisations(as_persona, persona):
    before = Organisation.objects.count()
    response = as_persona(persona).post(
        reverse("accounts:organisation_create"), organisation_data()
    )
    assert response.status_code == (404 if persona == "reviewer" else 403)
    assert Organisation.objects.count() == before


def test_visible_to_scopes_the_queryset(organisation, member, outsider, reviewer, officer,
                                        oversight, applicant):
    theirs = Organisation.objects.get(memberships__user=outsider)
    everyone = {organisation, theirs}

    assert set(Organisation.objects.visible_to(applicant)) == {organisation}
    assert set(Organisation.objects.visible_to(member)) == {organisation}
    assert set(Organisation.objects.visible_to(outsider)) == {theirs}
    assert set(Organisation.objects.visible_to(reviewer)) == set()
    assert set(Organisation.objects.visible_to(officer)) == everyone
    assert set(Organisation.objects.visible_to(oversight)) == everyone


def test_member_sees_the_members_but_no_manage_links(client, member, organisation, applicant):
    client.force_login(member)
    body = client.get(reverse("accounts:organisation_detail", args=[organisation.pk])).content.decode()

    assert applicant.email in body
    assert reverse("accounts:organisation_members", args=[organisation.pk]) not in body
