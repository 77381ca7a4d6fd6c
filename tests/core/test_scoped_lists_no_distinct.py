"""Issue 12: scoped lists filter with subqueries, never a join + DISTINCT.

Every list page and list endpoint is read by every role that may open it, with
rows in scope for that role; no captured query may contain DISTINCT (which
would make the page, its COUNT and the status counts sort or hash every row in
scope instead of reading the indexes). The scopes still answer the same rows:
tests/*/test_permissions.py and the access tests stay as they were.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from applications.models import Application
from awards.models import Award
from core.policies import (
    applications_visible_to,
    assignments_visible_to,
    awards_visible_to,
    decisions_visible_to,
    organisations_visible_to,
    reports_visible_to,
    reviews_visible_to,
)
from reporting.models import ProgressReport
from reviews.models import Assignment, Review
from tests.factories import (
    ApplicationFactory,
    AwardFactory,
    FindingFactory,
    MembershipFactory,
    OrganisationFactory,
    ReportFactory,
    ReviewAssignmentFactory,
    ReviewerFactory,
)

pytestmark = pytest.mark.django_db

PAGES = {
    "officer": [
        "/applications/manage/", "/reporting/awards/", "/reporting/findings/", "/reviews/rounds/",
        "/accounts/organisations/", "/rounds/manage/",
    ],
    "oversight": [
        "/applications/manage/", "/reporting/awards/", "/reporting/findings/",
        "/accounts/organisations/",
    ],
    "applicant": ["/applications/", "/reporting/awards/mine/", "/accounts/organisations/mine/"],
    "reviewer": ["/reviews/"],
}
ENDPOINTS = [
    "/api/v1/applications/", "/api/v1/awards/", "/api/v1/reports/", "/api/v1/assignments/",
    "/api/v1/reviews/", "/api/v1/findings/", "/api/v1/organisations/",
    "/api/v1/change-requests/", "/api/v1/rounds/", "/api/v1/programmes/",
]


@pytest.fixture
def scene(officer, oversight, applicant):
    """An award with a report of the applicant's organisation (two members,
    so a join through memberships would repeat rows), a submitted application
    of another organisation, a reviewer assigned to it, and a finding."""
    award = AwardFactory(application__funding_round__programme__staff=[officer])
    MembershipFactory(organisation=award.organisation, user=applicant)
    MembershipFactory(organisation=award.organisation)
    ReportFactory(award=award, by=applicant)
    ApplicationFactory(funding_round=award.funding_round, organisation=award.organisation)
    other = ApplicationFactory(
        funding_round=award.funding_round, organisation=OrganisationFactory(),
        status=Application.Status.UNDER_REVIEW, receipt_number="R-NODISTINCT-1",
    )
    reviewer = ReviewerFactory()
    ReviewAssignmentFactory(application=other, reviewer=reviewer)
    FindingFactory(programme=award.funding_round.programme, award=award)
    return {"officer": officer, "oversight": oversight, "applicant": applicant,
            "reviewer": reviewer}


def _distinct_sql(get, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries if "DISTINCT" in q["sql"].upper()]


@pytest.mark.parametrize("role", sorted(PAGES))
def test_list_pages_run_no_distinct_query(client, scene, role):
    client.force_login(scene[role])
    for url in PAGES[role]:
        assert _distinct_sql(client.get, url) == [], url


@pytest.mark.parametrize("role", ["officer", "oversight", "applicant", "reviewer"])
def test_list_endpoints_run_no_distinct_query(scene, role):
    api = APIClient()
    api.force_authenticate(scene[role])
    for url in ENDPOINTS:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(url)
        if response.status_code in (403, 404):  # not this role's list
            continue
        assert response.status_code == 200, (url, response.status_code)
        assert [q["sql"] for q in captured.captured_queries
                if "DISTINCT" in q["sql"].upper()] == [], url


def test_scopes_hold_each_row_once_without_distinct(scene):
    """Two members of one organisation: a join would list its rows twice."""
    applicant, reviewer = scene["applicant"], scene["reviewer"]
    applications = Application.objects.filter(applications_visible_to(applicant))
    assert applications.count() == 2
    assert len(set(applications.values_list("pk", flat=True))) == 2
    assert Award.objects.filter(awards_visible_to(applicant)).count() == 1
    assert ProgressReport.objects.filter(reports_visible_to(applicant)).count() == 1
    assert Application.objects.filter(applications_visible_to(reviewer)).count() == 1
    assert Assignment.objects.filter(assignments_visible_to(reviewer)).count() == 1
    assert Review.objects.filter(reviews_visible_to(applicant)).count() == 0
    assert decisions_visible_to(reviewer) is not None
    from accounts.models import Organisation

    assert Organisation.objects.filter(organisations_visible_to(applicant)).count() == 1
    for scoped in (applications, Award.objects.filter(awards_visible_to(applicant))):
        assert "DISTINCT" not in str(scoped.query).upper()
        assert "MEMBERSHIP" not in str(scoped.query).upper().split("WHERE")[0]
