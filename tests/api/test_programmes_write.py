"""Programmes are created and edited through the API by programme staff
(the creator staffs the new programme) and superusers, with a history
row; e.g. programme C, the local public-private platform programme."""

import pytest

from core.roles import Role
from grants.models import Programme, ProgrammeEvent
from tests.factories import UserFactory

from .helpers import PERSONAS

pytestmark = pytest.mark.django_db

URL = "/api/v1/programmes/"
PROGRAMME_C = {
    "code": "c-local-platform",
    "name_ja": "地方版孤独・孤立対策官民連携プラットフォーム推進事業",
    "name_en": "Local public-private platform programme",
    "description_ja": "地方公共団体が官民連携プラットフォームを設置・運営する取組を支援する。",
    "funder_name": "内閣府 孤独・孤立対策推進室",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_create_a_programme(api_as, persona):
    expected = {"anonymous": 401, "officer": 201, "other_officer": 201}.get(persona, 403)

    response = api_as(persona).post(URL, PROGRAMME_C, format="json")

    assert response.status_code == expected
    assert Programme.objects.filter(code="c-local-platform").exists() is (expected == 201)


def test_the_creator_staffs_the_new_programme_and_edits_it(api_as, officer, other_officer):
    created = api_as("officer").post(URL, PROGRAMME_C, format="json")
    programme = Programme.objects.get(code="c-local-platform")
    url = f"{URL}{programme.pk}/"

    edited = api_as("officer").patch(url, {
        "name_en": "Local platform programme (地方版PF)", "reason": "英語名を短く"}, format="json")
    refused = api_as("other_officer").patch(url, {"name_en": "x"}, format="json")

    assert created.status_code == 201 and created.json()["staff"] == [officer.email]
    assert edited.status_code == 200 and edited.json()["name_en"] == "Local platform programme (地方版PF)"
    assert refused.status_code == 403
    assert list(ProgrammeEvent.objects.filter(programme=programme)
                .values_list("action", "actor", "reason")) == [
        ("created", officer.pk, ""), ("changed", officer.pk, "英語名を短く")]
    assert ProgrammeEvent.objects.get(action="changed").changes == {
        "name_en": ["Local public-private platform programme",
                    "Local platform programme (地方版PF)"]}


def test_staff_are_named_by_email_and_must_be_programme_staff(api_as, officer, applicant):
    colleague = UserFactory(role=Role.PROGRAMME_STAFF, email="pf-tantou@cao.go.jp")
    client = api_as("officer")
    programme_id = client.post(URL, PROGRAMME_C, format="json").json()["id"]

    ok = client.patch(f"{URL}{programme_id}/", {"staff": [officer.email, colleague.email]},
                      format="json")
    bad = client.patch(f"{URL}{programme_id}/", {"staff": [applicant.email]}, format="json")

    assert ok.status_code == 200 and sorted(ok.json()["staff"]) == sorted(
        [officer.email, colleague.email])
    assert bad.status_code == 400 and "staff" in bad.json()
    assert set(Programme.objects.get(pk=programme_id).staff.all()) == {officer, colleague}


def test_a_taken_code_and_unknown_fields_are_refused(api_as, programme):
    client = api_as("officer")

    taken = client.post(URL, {**PROGRAMME_C, "code": programme.code}, format="json")
    unknown = client.post(URL, {**PROGRAMME_C, "budget_yen": 1}, format="json")

    assert taken.status_code in (400, 409) and "code" in str(taken.json())
    assert unknown.status_code == 400 and "budget_yen" in unknown.json()
    assert not Programme.objects.filter(code="c-local-platform").exists()


def test_superuser_edits_any_programme(api, programme):
    admin = UserFactory(is_superuser=True, is_staff=True, role=Role.PROGRAMME_STAFF)
    api.force_authenticate(admin)

    response = api.patch(f"{URL}{programme.pk}/", {"funder_name": "内閣府"}, format="json")

    assert response.status_code == 200
    programme.refresh_from_db()
    assert programme.funder_name == "内閣府"
