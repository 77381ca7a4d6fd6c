"""Target groups named on an award and on a progress report, even when no
activity splits its participants by group: the award carries the
application's groups, a report starts with them and may change them, and
the outcomes count the award under each group it names."""

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_AWARD_BUDGET, AwardFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(organisation, programme):
    award = AwardFactory(application__organisation=organisation,
                         application__funding_round__programme=programme)
    return award


def _start(client, award):
    deadline = award.deadlines.get(kind="annual", fiscal_year=2026)
    response = client.post("/api/v1/reports/", {"deadline": deadline.pk}, format="json")
    assert response.status_code == 201, response.content
    return response


def test_the_award_carries_the_applications_target_groups(api_as, award):
    body = api_as("applicant").get(f"/api/v1/awards/{award.pk}/").json()

    assert body["target_groups"] == ["older_alone"]


def test_a_report_names_target_groups_without_per_activity_counts(api_as, award):
    TargetGroupFactory(code="middle_aged_men", name_ja="中高年の男性")
    client = api_as("applicant")
    started = _start(client, award)
    url = f"/api/v1/reports/{started.json()['id']}/"

    assert started.json()["content"]["target_groups"] == ["older_alone"]
    saved = client.patch(url, {
        "target_groups": ["older_alone", "middle_aged_men"],
        "activities": [{"name": "男の料理教室", "sessions_held": 12, "participants_total": 96}],
    }, format="json", HTTP_IF_MATCH=started["ETag"])
    unknown = client.patch(url, {"target_groups": ["nobody"]}, format="json",
                           HTTP_IF_MATCH=saved["ETag"])

    assert saved.status_code == 200, saved.content
    assert saved.json()["content"]["target_groups"] == ["older_alone", "middle_aged_men"]
    assert saved.json()["content"]["activities"][0]["participants_by_group"] == {}
    assert unknown.status_code == 409
    assert unknown.json()["field"] == "target_groups"


def test_outcomes_count_the_award_under_the_groups_its_report_names(api_as, award):
    TargetGroupFactory(code="middle_aged_men", name_ja="中高年の男性")
    client = api_as("applicant")
    started = _start(client, award)
    url = f"/api/v1/reports/{started.json()['id']}/"
    client.patch(url, {
        "target_groups": ["middle_aged_men"], "summary": "毎週木曜に料理教室を開いた。",
        "outcomes": "参加者同士で声を掛け合うようになった。",
        "activities": [{"name": "男の料理教室", "sessions_held": 12, "participants_total": 96}],
        "expense_actuals": [
            {"expense_category": code, "actual_yen": amount}
            for code, amount in DEFAULT_AWARD_BUDGET.items()],
    }, format="json", HTTP_IF_MATCH=started["ETag"])
    submitted = client.post(f"{url}submit/")
    assert submitted.status_code == 200, submitted.content

    figures = api_as("officer").get(reverse("v1:outcomes")).json()

    assert [(r["code"], r["participants"], r["awards"]) for r in figures["by_target_group"]] == [
        ("middle_aged_men", 0, 1)]
    assert figures["totals"]["participants"] == 96
