import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory

from .helpers import FULL_WIDTH

URL = reverse("accounts:organisation_list")


def _queries(client, n):
    for _ in range(n):
        MembershipFactory(organisation=OrganisationFactory(), role="owner")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("persona", ["officer", "oversight"])
def test_staff_list_query_count_does_not_grow(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    few, response = _queries(client, 3)
    assert len(response.context["page"].object_list) == 3
    many, response = _queries(client, 9)
    assert len(response.context["page"].object_list) == 12
    assert few == many


def test_search_by_name_kana_and_number_and_filters(client, officer):
    tokyo = OrganisationFactory(name="NPO法人 ひだまり", name_kana="ヒダマリ", prefecture="13")
    osaka = OrganisationFactory(
        name="まちの縁側", name_kana="マチノエンガワ", legal_form="voluntary",
        corporate_number="", prefecture="27",
    )
    client.force_login(officer)

    def names(**params):
        page = client.get(URL, params).context["page"]
        return {o.name for o in page.object_list}

    assert names(search="ひだまり") == {tokyo.name}
    assert names(search="エンガワ") == {osaka.name}
    number = tokyo.corporate_number
    assert names(search=f"{number[:4]}-{number[4:]}".translate(FULL_WIDTH)) == {tokyo.name}
    assert names(legal_form="voluntary") == {osaka.name}
    assert names(prefecture="13") == {tokyo.name}
    assert names() == {tokyo.name, osaka.name}


def test_pagination_keeps_the_filters(client, officer):
    for _ in range(30):
        OrganisationFactory(prefecture="01")
    OrganisationFactory(prefecture="02")
    client.force_login(officer)

    first = client.get(URL, {"prefecture": "01"})
    assert first.context["page"].paginator.count == 30
    assert "prefecture=01&amp;page=2" in first.content.decode()
    second = client.get(URL, {"prefecture": "01", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_my_organisations_lists_only_mine(client, applicant, organisation, outsider):
    client.force_login(applicant)
    response = client.get(reverse("accounts:organisation_mine"))
    body = response.content.decode()

    assert organisation.name in body
    assert reverse("accounts:organisation_detail", args=[organisation.pk]) in body
    assert [m.organisation for m in response.context["memberships"]] == [organisation]


@pytest.mark.parametrize("stored", ["NPO法人 ひだまり", "ＮＰＯ法人 ひだまり"])
@pytest.mark.parametrize("query", ["ＮＰＯ", "NPO", "npo", "ｎｐｏ", "ﾋﾀﾞﾏﾘ", "ヒダマリ", "ひだまり"])
def test_search_folds_width_of_names_and_kana(client, officer, stored, query):
    """Issue 13: "ＮＰＯ" finds "NPO法人…" (and the other way round) and
    full-width katakana finds the half-width kana stored."""
    wide = OrganisationFactory(name=stored, name_kana="ﾋﾀﾞﾏﾘ")
    OrganisationFactory(name="まちの縁側", name_kana="マチノエンガワ")
    client.force_login(officer)
    page = client.get(URL, {"search": query}).context["page"]
    assert [o.name for o in page.object_list] == [wide.name]


def test_search_folds_half_width_kana_query_to_stored_full_width(client, officer):
    kana = OrganisationFactory(name="まちの縁側", name_kana="マチノエンガワ")
    client.force_login(officer)
    page = client.get(URL, {"search": "ｴﾝｶﾞﾜ"}).context["page"]
    assert [o.name for o in page.object_list] == [kana.name]


def test_search_by_full_width_corporate_number(client, officer):
    organisation = OrganisationFactory(name="NPO法人 ひだまり")
    OrganisationFactory(name="まちの縁側")
    client.force_login(officer)
    page = client.get(URL, {"search": organisation.corporate_number.translate(FULL_WIDTH)}).context["page"]
    assert [o.name for o in page.object_list] == [organisation.name]
