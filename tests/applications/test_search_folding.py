"""Search folds full-width and half-width forms (issue 13.11): "ＮＰＯ"
finds "NPO" and "NPO" finds "ＮＰＯ", on the staff list (page and API) and
in the findings library."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from applications.services import submit_application
from core.search import search_variants
from tests.factories import ApplicationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("applications:staff_list")


def test_variants_of_a_query():
    assert search_variants("ＮＰＯ") == ["NPO", "ＮＰＯ", "ｎｐｏ"]
    assert search_variants(" 居場所 ") == ["居場所"]
    assert search_variants("　") == []


@pytest.fixture
def two(open_round, applicant):
    made = []
    for title, name in [("ＮＰＯ連携の居場所", "つながり会"), ("見守り", "NPO法人ひだまり")]:
        application = ApplicationFactory(
            funding_round=open_round, title=title,
            organisation=OrganisationFactory(member=applicant, name=name))
        submit_application(application=application, by=applicant)
        made.append(application)
    return made


@pytest.mark.parametrize("query", ["NPO", "ＮＰＯ", "npo", "ｎｐｏ"])
def test_staff_list_search_folds_width(client, officer, two, query):
    client.force_login(officer)
    response = client.get(LIST, {"q": query})
    assert sorted(a.title for a in response.context["page"]) == sorted(["ＮＰＯ連携の居場所", "見守り"])


def test_api_search_folds_width(officer, two):
    api = APIClient()
    api.force_authenticate(officer)
    response = api.get("/api/v1/applications/", {"q": "ＮＰＯ法人"})
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["見守り"]
