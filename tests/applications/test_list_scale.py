"""Issue 3's scale check: the staff list page, its CSV export and the API list
run the same number of queries for 20 and for 200 submitted applications."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from applications.models import Application
from tests.factories import ApplicationFactory, OpenRoundFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
_receipts = itertools.count(1)


def _add_submitted(funding_round, organisations, n):
    for i in range(n):
        year = funding_round.fiscal_year
        application = ApplicationFactory(
            funding_round=funding_round,
            organisation=organisations[i % len(organisations)],
            lines=[(year, 100_000), (year + 1, 200_000)],
        )
        # NOTE: made submitted directly; the submission service has its own
        # tests, and 200 real submissions would only slow this one down.
        Application.objects.filter(pk=application.pk).update(
            status=Application.Status.SUBMITTED,
            receipt_number=f"SCALE-{next(_receipts):06d}",
            submitted_at=timezone.now(),
        )


def _queries(get, url):
    with CaptureQueriesContext(connection) as captured:
        response = get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.fixture
def scene(officer):
    funding_round = OpenRoundFactory(programme__staff=[officer])
    organisations = [OrganisationFactory(prefecture=f"{p:02d}") for p in (1, 13, 27, 40, 47)]
    return funding_round, organisations


def test_staff_list_page_and_export_queries_do_not_grow_from_20_to_200(client, officer, scene):
    funding_round, organisations = scene
    client.force_login(officer)
    page, export = reverse("applications:staff_list"), reverse("applications:staff_export_csv")

    _add_submitted(funding_round, organisations, 20)
    client.get(page)  # the filter's options are cached from the first view on
    page_20, _ = _queries(client.get, page)
    export_20, response = _queries(client.get, export)
    assert response.content.decode("utf-8-sig").count("SCALE-") == 20

    _add_submitted(funding_round, organisations, 180)
    page_200, _ = _queries(client.get, page)
    export_200, response = _queries(client.get, export)
    assert response.content.decode("utf-8-sig").count("SCALE-") == 200

    assert page_200 == page_20
    assert export_200 == export_20


def test_api_list_queries_do_not_grow_from_20_to_200(officer, scene):
    funding_round, organisations = scene
    api = APIClient()
    api.force_authenticate(officer)
    url = "/api/v1/applications/"

    _add_submitted(funding_round, organisations, 20)
    small, response = _queries(api.get, url)
    assert response.json()["count"] == 20

    _add_submitted(funding_round, organisations, 180)
    large, response = _queries(api.get, url)
    assert response.json()["count"] == 200
    assert large == small

