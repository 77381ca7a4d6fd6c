"""/api/v1/organisations/: scoped list, create (creator owns), detail, PATCH by
owners through the service; per-field 400s and per-persona 404/403."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, Organisation, OrganisationEvent
from tests.accounts.helpers import (
    FULL_WIDTH,
    organisation_data,
    snapshot,
    valid_number,
    wrong_check_digit,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

LIST = reverse("v1:organisation-list")


def detail(organisation):
    return reverse("v1:organisation-detail", args=[organisation.pk])


@pytest.fixture
def member(organisation):
    """A member (not owner) of `organisation`."""
    user = UserFactory(full_name="会員 三郎")
    MembershipFactory(organisation=organisation, user=user, role=Membership.Role.MEMBER)
    return user


PERSONAS = ["anonymous", "applicant", "member", "outsider", "reviewer", "officer", "oversight"]
READ = {"anonymous": 401, "applicant": 200, "member": 200, "outsider": 404, "reviewer": 404,
        "officer": 200, "oversight": 200}
PATCH = {"anonymous": 401, "applicant": 200, "member": 403, "outsider": 404, "reviewer": 404,
         "officer": 403, "oversight": 403}
CREATE = {"anonymous": 401, "applicant": 201, "member": 201, "outsider": 201, "reviewer": 403,
          "officer": 403, "oversight": 403}


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_is_scoped(api_as, persona, organisation, member, outsider):
    theirs = Organisation.objects.get(memberships__user=outsider)
    expected = {
        "applicant": {organisation.pk},
        "member": {organisation.pk},
        "outsider": {theirs.pk},
        "reviewer": set(),
        "officer": {organisation.pk, theirs.pk},
        "oversight": {organisation.pk, theirs.pk},
    }

    response = api_as(persona).get(LIST)

    if persona == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == 200
        assert _ids(response) == expected[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_read(api_as, persona, organisation, member):
    response = api_as(persona).get(detail(organisation))

    assert response.status_code == READ[persona]
    if response.status_code == 200:
        body = response.json()
        assert body["corporate_number"] == organisation.corporate_number
        assert {m["email"]: m["role"] for m in body["members"]} == {
            organisation.memberships.get(role="owner").user.email: "owner",
            member.email: "member",
        }


@pytest.mark.parametrize("persona", PERSONAS)
def test_patch_only_by_owners(api_as, persona, organisation, member):
    api = api_as(persona)
    before = snapshot()

    response = api.patch(detail(organisation), {"name": "NPO法人 新名称"}, format="json")

    assert response.status_code == PATCH[persona]
    if persona == "applicant":
        organisation.refresh_from_db()
        assert organisation.name == "NPO法人 新名称"
        assert response.json()["name"] == "NPO法人 新名称"
        event = OrganisationEvent.objects.get(action="updated")
        assert event.changes["name"][1] == "NPO法人 新名称"
    else:
        assert snapshot() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_create(api_as, persona, organisation, member):
    api = api_as(persona)
    before = Organisation.objects.count()

    response = api.post(LIST, organisation_data(), format="json")

    assert response.status_code == CREATE[persona]
    if response.status_code == 201:
        created = Organisation.objects.get(pk=response.json()["id"])
        owner = Membership.objects.get(organisation=created)
        assert owner.role == "owner"
        assert response.json()["members"][0]["role"] == "owner"
        assert created.corporate_number == valid_number()
    else:
        assert Organisation.objects.count() == before


def test_create_voluntary_group_without_number(api_as):
    response = api_as("applicant").post(
        LIST, organisation_data(legal_form="voluntary", corporate_number=""), format="json"
    )
    assert response.status_code == 201
    assert response.json()["corporate_number"] == ""


@pytest.mark.parametrize(
    ("number", "message_code"),
    [("", "required"), (wrong_check_digit(), "check digit"), ("12345", "13 digits")],
)
def test_bad_corporate_number_is_a_400_naming_the_field(db, api_as, number, message_code):
    response = api_as("applicant").post(
        LIST, organisation_data(corporate_number=number), format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["corporate_number"]
    assert message_code in response.json()["corporate_number"][0]
    assert not Organisation.objects.exists()


def test_full_width_hyphenated_number_is_stored_normalised(api_as):
    typed = f"{valid_number()[:5]}-{valid_number()[5:]}".translate(FULL_WIDTH)
    response = api_as("applicant").post(LIST, organisation_data(corporate_number=typed), format="json")

    assert response.status_code == 201
    assert Organisation.objects.get().corporate_number == valid_number()


def test_duplicate_number_is_refused_on_the_field(db, api_as):
    OrganisationFactory(corporate_number=valid_number())
    before = snapshot()

    response = api_as("applicant").post(LIST, organisation_data(), format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "corporate_number_taken"
    assert response.json()["field"] == "corporate_number"
    assert snapshot() == before


def test_patch_legal_form_to_npo_needs_a_number(api_as, applicant):
    group = OrganisationFactory(member=applicant, legal_form="voluntary", corporate_number="")
    before = snapshot()

    response = api_as("applicant").patch(detail(group), {"legal_form": "npo"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["corporate_number"]
    assert snapshot() == before


def test_unknown_fields_are_refused(api_as, organisation):
    response = api_as("applicant").patch(detail(organisation), {"owner": 1}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["owner"]


def test_staff_filters_and_search(db, api_as):
    tokyo = OrganisationFactory(name="NPO法人 ひだまり", name_kana="ヒダマリ", prefecture="13")
    osaka = OrganisationFactory(
        name="まちの縁側", name_kana="マチノエンガワ", legal_form="voluntary",
        corporate_number="", prefecture="27",
    )
    api = api_as("officer")

    assert _ids(api.get(LIST, {"legal_form": "voluntary"})) == {osaka.pk}
    assert _ids(api.get(LIST, {"prefecture": "13"})) == {tokyo.pk}
    assert _ids(api.get(LIST, {"search": "ひだまり"})) == {tokyo.pk}
    assert _ids(api.get(LIST, {"search": tokyo.corporate_number})) == {tokyo.pk}
    assert api.get(LIST, {"prefecture": "99"}).status_code == 400


@pytest.mark.parametrize("persona", ["officer", "applicant"])
def test_list_query_count_does_not_grow(api_as, request, persona):
    api = api_as(persona)
    user = request.getfixturevalue(persona)

    def count(n):
        for _ in range(n):
            # Applicants see only their own: make them a member of each.
            OrganisationFactory(member=user if persona == "applicant" else UserFactory())
        with CaptureQueriesContext(connection) as captured:
            response = api.get(LIST)
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    few, rows_few = count(3)
    many, rows_many = count(9)
    assert (rows_few, rows_many) == (3, 12)
    assert few == many
