import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Membership, Organisation, OrganisationEvent
from accounts.services import create_organisation, update_organisation
from core.errors import DomainError
from tests.factories import OrganisationFactory

from .helpers import FULL_WIDTH, organisation_data, snapshot, valid_number, wrong_check_digit

URL = reverse("accounts:organisation_create")


@pytest.fixture
def signed_in(client, applicant):
    client.force_login(applicant)
    return client


def test_npo_with_valid_number_is_created_and_creator_is_owner(signed_in, applicant):
    response = signed_in.post(URL, organisation_data())

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("accounts:organisation_detail", args=[organisation.pk])
    assert organisation.corporate_number == valid_number()
    assert organisation.postal_code == "100-8914"
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (applicant, Membership.Role.OWNER)
    event = OrganisationEvent.objects.get(organisation=organisation)
    assert (event.action, event.actor) == ("created", applicant)


def test_voluntary_group_needs_no_corporate_number(signed_in):
    response = signed_in.post(
        URL, organisation_data(name="まちの縁側クラブ", legal_form="voluntary", corporate_number="")
    )

    assert response.status_code == 302
    assert Organisation.objects.get().corporate_number == ""


def test_npo_without_number_is_refused_on_the_field_and_input_survives(signed_in):
    response = signed_in.post(URL, organisation_data(corporate_number=""))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["corporate_number"]
    assert form.errors.as_data()["corporate_number"][0].code == "corporate_number_required"
    body = response.content.decode()
    assert "特定非営利活動法人 ひだまり" in body
    assert "永田町1-6-1" in body
    assert not Organisation.objects.exists()


def test_wrong_check_digit_is_refused(signed_in):
    response = signed_in.post(URL, organisation_data(corporate_number=wrong_check_digit()))

    assert response.context["form"].errors.as_data()["corporate_number"][0].code == (
        "corporate_number_check_digit"
    )
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    "typed",
    [
        valid_number().translate(FULL_WIDTH),
        f"{valid_number()[0]}-{valid_number()[1:5]}-{valid_number()[5:9]}-{valid_number()[9:]}",
        f"{valid_number()[:5]}－{valid_number()[5:]}".translate(FULL_WIDTH),
        f" {valid_number()[:7]} {valid_number()[7:]} ",
    ],
)
def test_full_width_and_hyphenated_numbers_are_stored_normalised(signed_in, typed):
    response = signed_in.post(URL, organisation_data(corporate_number=typed))

    assert response.status_code == 302
    assert Organisation.objects.get().corporate_number == valid_number()


def test_duplicate_number_is_a_field_error_not_a_crash(signed_in):
    OrganisationFactory(corporate_number=valid_number())
    before = snapshot()

    # Typed full-width: still the same number.
    response = signed_in.post(
        URL, organisation_data(corporate_number=valid_number().translate(FULL_WIDTH))
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["corporate_number"]
    with translation.override("ja"):
        expected = gettext("This corporate number is already registered to another organisation.")
    assert expected != "This corporate number is already registered to another organisation."
    assert response.context["form"].errors["corporate_number"] == [expected]
    assert snapshot() == before


def test_errors_name_the_field(signed_in, settings):
    settings.LANGUAGE_CODE = "en"
    response = signed_in.post(
        URL, organisation_data(corporate_number="", contact_email=""),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert "Corporate number: A corporate number is required for this legal form." in body
    assert "Contact e-mail: This field is required." in body


def test_service_refuses_invalid_numbers_too(applicant):
    with pytest.raises(DomainError) as refused:
        create_organisation(by=applicant, **organisation_data(corporate_number=wrong_check_digit()))
    assert (refused.value.code, refused.value.field) == ("corporate_number_invalid", "corporate_number")

    with pytest.raises(DomainError) as refused:
        create_organisation(by=applicant, **organisation_data(corporate_number=""))
    assert refused.value.code == "corporate_number_required"
    assert not Organisation.objects.exists()


def test_owner_edits_details_and_the_change_is_recorded(client, applicant, organisation):
    client.force_login(applicant)
    url = reverse("accounts:organisation_edit", args=[organisation.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        organisation_data(
            name="NPO法人 新しい名前", corporate_number=organisation.corporate_number
        ),
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "NPO法人 新しい名前"
    event = OrganisationEvent.objects.get(organisation=organisation, action="updated")
    assert event.changes["name"][1] == "NPO法人 新しい名前"
    assert event.actor == applicant


def test_edit_to_another_organisations_number_is_refused(client, applicant, organisation):
    other = OrganisationFactory()
    client.force_login(applicant)
    before = snapshot()

    response = client.post(
        reverse("accounts:organisation_edit", args=[organisation.pk]),
        organisation_data(corporate_number=other.corporate_number),
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["corporate_number"]
    assert snapshot() == before


def test_update_without_changes_records_nothing(applicant, organisation):
    update_organisation(organisation=organisation, by=applicant, name=organisation.name)
    assert not OrganisationEvent.objects.exists()
