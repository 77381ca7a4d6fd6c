"""Issue 12: the API application list builds its rows from values() (api.
application_rows); they must be exactly what ApplicationSummaryOutput writes,
for every role's list, with filters, sorting and pages, in both languages."""

import pytest
from django.utils import timezone, translation

from api.applications import ApplicationSummaryOutput
from applications.models import Application
from applications.queries import applications_listed_for
from tests.factories import ApplicationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications/"


@pytest.fixture
def listed(open_round, organisation):
    """Submitted applications (one without theme or tier) and a draft."""
    rows = []
    for i in range(7):
        application = ApplicationFactory(funding_round=open_round, organisation=organisation,
                                         title=f"居場所 & <つながり> {i}")
        Application.objects.filter(pk=application.pk).update(
            status="submitted" if i % 2 else "under_review", receipt_number=f"ROWS-{i:03d}",
            submitted_at=timezone.now() - timezone.timedelta(hours=i),
            requested_yen=100_000 * (i + 1),
        )
        rows.append(application)
    Application.objects.filter(pk=rows[0].pk).update(theme=None, tier=None)
    ApplicationFactory(funding_round=open_round, organisation=OrganisationFactory(),
                       title="下書き")
    return rows


def _serialized(user, ids):
    by_id = {a.pk: a for a in applications_listed_for(user).filter(pk__in=ids)}
    return ApplicationSummaryOutput([by_id[i] for i in ids], many=True).data


@pytest.mark.parametrize("persona", ["officer", "oversight", "applicant"])
@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("query", [
    {}, {"page_size": 3, "page": 2}, {"sort": "-requested_yen"}, {"status": "submitted"},
])
def test_rows_equal_the_serializer(request, api_as, listed, persona, language, query):
    user = request.getfixturevalue(persona)
    response = api_as(persona).get(URL, query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.json()
    assert body["results"], "the list must not be empty"
    ids = [row["id"] for row in body["results"]]
    with translation.override(language):
        expected = [dict(row) for row in _serialized(user, ids)]
    assert body["results"] == expected
    assert set(body) == {"count", "next", "previous", "results"}


def test_rows_keep_the_default_order_and_count(api_as, listed):
    body = api_as("officer").get(URL).json()
    assert body["count"] == 7
    expected = list(applications_listed_for(listed[0].funding_round.programme.staff.first())
                    .values_list("pk", flat=True))
    assert [row["id"] for row in body["results"]] == expected
