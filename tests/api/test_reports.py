"""/api/v1/reports/: drafts, If-Match updates, submission, staff review."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.models import ProgressReport, ReportVersion
from tests.factories import (
    AwardedApplicationFactory,
    AwardFactory,
    OpenRoundFactory,
    OrganisationFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(organisation, programme):
    return AwardFactory(application__organisation=organisation,
                        application__funding_round__programme=programme)


@pytest.fixture
def interim(award):
    return award.deadlines.get(kind="interim", fiscal_year=2026)


def _create(client, deadline):
    return client.post("/api/v1/reports/", {"deadline": deadline.pk}, format="json")


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 201), ("outsider", 404), ("reviewer", 404), ("oversight", 403),
    ("other_officer", 403), ("officer", 403),
])
def test_create_draft_only_by_the_organisation(api_as, interim, persona, expected):
    response = _create(api_as(persona), interim)
    assert response.status_code == expected
    assert ProgressReport.objects.exists() is (expected == 201)


def test_create_is_idempotent(api_as, interim):
    client = api_as("applicant")
    first = _create(client, interim)
    second = _create(client, interim)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first["ETag"] == '"1"'


def test_update_needs_if_match_and_refuses_stale(api_as, interim):
    client = api_as("applicant")
    report = _create(client, interim).json()
    url = f"/api/v1/reports/{report['id']}/"

    missing = client.patch(url, {"summary": "x"}, format="json")
    ok = client.patch(url, {"summary": "毎週開催", "activities": [
        {"name": "居場所", "sessions_held": 20, "participants_total": 300,
         "participants_by_group": {"older_alone": 100}}]},
        format="json", HTTP_IF_MATCH='"1"')
    stale = client.patch(url, {"summary": "古い"}, format="json", HTTP_IF_MATCH='"1"')

    assert missing.status_code == 428
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    assert ok.json()["content"]["activities"][0]["participants_by_group"] == {"older_alone": 100}
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    assert ProgressReport.objects.get().summary == "毎週開催"


def test_unknown_fields_are_refused(api_as, interim):
    client = api_as("applicant")
    report = _create(client, interim).json()
    response = client.patch(f"/api/v1/reports/{report['id']}/", {"status": "accepted"},
                            format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert ProgressReport.objects.get().status == "draft"


@pytest.mark.parametrize(("persona", "read", "write"), [
    ("applicant", 200, 200), ("outsider", 404, 404), ("reviewer", 404, 404),
    ("oversight", 200, 403), ("other_officer", 200, 403), ("officer", 200, 403),
])
def test_read_scope_and_write_policy(api_as, award, persona, read, write):
    report = ReportFactory(award=award, kind="interim")
    client = api_as(persona)

    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == read
    response = client.patch(f"/api/v1/reports/{report.pk}/", {"summary": "x"}, format="json",
                            HTTP_IF_MATCH='"1"')
    assert response.status_code == write
    assert ProgressReport.objects.get().summary == ("x" if write == 200 else "")


def test_submit_refuses_personal_data_then_staff_accept(api, interim, applicant, officer):
    api.force_authenticate(applicant)
    report = _create(api, interim).json()
    url = f"/api/v1/reports/{report['id']}/"
    api.patch(url, {"summary": "問い合わせは 090-1234-5678 まで"}, format="json",
              HTTP_IF_MATCH='"1"')

    refused = api.post(url + "submit/")
    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["field"]) == ("personal_data", "summary")
    assert not ReportVersion.objects.exists()

    api.force_authenticate(officer)
    accepted = api.post(url + "accept-personal-data/", {"reason": "団体の公開番号"},
                        format="json")
    assert accepted.status_code == 200 and accepted.json()["personal_data"] == []

    api.force_authenticate(applicant)
    assert api.post(url + "submit/").status_code == 200
    assert ReportVersion.objects.count() == 1


def test_submit_revise_resubmit_keeps_every_version(api_as, interim, applicant, officer):
    client = api_as("applicant")
    report = _create(client, interim).json()
    url = f"/api/v1/reports/{report['id']}/"
    client.patch(url, {"summary": "一回目"}, format="json", HTTP_IF_MATCH='"1"')
    assert client.post(url + "submit/").json()["status"] == "submitted"

    client.force_authenticate(officer)
    assert client.post(url + "request-revision/", {"comment": ""}, format="json").status_code == 409
    revised = client.post(url + "request-revision/", {"comment": "内訳を追記"}, format="json")
    assert revised.json()["status"] == "revision_requested"

    client.force_authenticate(applicant)
    etag = client.get(url)["ETag"]
    client.patch(url, {"summary": "二回目"}, format="json", HTTP_IF_MATCH=etag)
    client.post(url + "submit/")
    client.force_authenticate(officer)
    assert client.post(url + "accept/").json()["status"] == "accepted"

    versions = client.get(url + "versions/").json()
    assert [(v["number"], v["content"]["summary"]) for v in versions] == [(1, "一回目"),
                                                                        (2, "二回目")]


def _reports(n, programme):
    funding_round = OpenRoundFactory(programme=programme)
    for _ in range(n):
        award = AwardFactory(application=AwardedApplicationFactory(
            funding_round=funding_round, organisation=OrganisationFactory()))
        ReportFactory(award=award, kind="interim")


def test_report_list_queries_do_not_grow(api_as, programme):
    client = api_as("officer")

    def count(rows):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/reports/")
        assert response.json()["count"] == rows
        return len(queries)

    _reports(3, programme)
    few = count(3)
    _reports(9, programme)
    assert count(12) == few
