"""/api/v1/applications/: drafts, If-Match updates, submission, withdrawal,
scoped lists with the staff filters, and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, ApplicationVersion
from applications.services import save_draft, submit_application
from tests.factories import ApplicationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("v1:application_list")


def detail(application):
    return reverse("v1:application_detail", args=[application.pk])


def submit_url(application):
    return reverse("v1:application_submit", args=[application.pk])


@pytest.fixture
def draft(open_round, organisation):
    return ApplicationFactory(funding_round=open_round, organisation=organisation)


def line(funding_round, year=2026, amount=500_000):
    category = funding_round.expense_categories.get()
    return {"fiscal_year": year, "expense_category": category.pk, "amount_yen": amount,
            "description": "人件費"}


def test_create_a_draft_with_content(api_as, open_round, organisation):
    api = api_as("applicant")
    response = api.post(LIST, {
        "funding_round": open_round.pk, "organisation": organisation.pk, "title": "API申請",
        "budget_lines": [line(open_round), line(open_round, 2027, 300_000)],
        "prefectures": ["13", "14"],
    }, format="json")
    assert response.status_code == 201
    body = response.json()
    application = Application.objects.get()
    assert response["ETag"] == f'"{application.lock_version}"'
    assert body["title"] == "API申請"
    assert body["requested_yen"] == 800_000
    assert [x["amount_yen"] for x in body["budget_lines"]] == [500_000, 300_000]
    assert body["budget_lines"][0]["expense_category_code"] == "personnel"
    assert body["prefectures"] == ["13", "14"]
    assert {"consortium_members", "indicators", "versions", "problems"} <= body.keys()
    assert ("summary", "required") in [(p["field"], p["code"]) for p in body["problems"]]


def test_create_for_another_organisation_is_400(api_as, open_round):
    other = OrganisationFactory()
    response = api_as("applicant").post(
        LIST, {"funding_round": open_round.pk, "organisation": other.pk}, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()
    assert not Application.objects.exists()


def test_create_in_a_closed_round_is_409(api_as, open_round, organisation):
    open_round.status = "closed"
    open_round.save()
    response = api_as("applicant").post(
        LIST, {"funding_round": open_round.pk, "organisation": organisation.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "round_not_accepting"
    assert not Application.objects.exists()


def test_bad_input_is_400_per_field(api_as, draft):
    api = api_as("applicant")
    response = api.patch(detail(draft), {
        "budget_lines": [{**line(draft.funding_round), "amount_yen": 1.5}],
        "prefectures": ["99"],
    }, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"budget_lines", "prefectures"}
    assert "amount_yen" in body["budget_lines"]["0"]
    draft.refresh_from_db()
    assert draft.lock_version == 1


@pytest.mark.parametrize("nested", [False, True])
def test_unknown_fields_are_400(api_as, draft, nested):
    payload = (
        {"budget_lines": [{**line(draft.funding_round), "colour": "red"}]} if nested
        else {"title": "ok", "status": "submitted"}
    )
    response = api_as("applicant").patch(detail(draft), payload, format="json",
                                         HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert ("colour" if nested else "status") in str(response.json())
    draft.refresh_from_db()
    assert draft.lock_version == 1


def test_a_theme_of_another_round_is_400(api_as, draft):
    foreign = ApplicationFactory().theme
    response = api_as("applicant").patch(detail(draft), {"theme": foreign.pk}, format="json",
                                         HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert "theme" in response.json()


class TestOptimisticLocking:
    def test_get_has_an_etag_and_patch_with_it_succeeds(self, api_as, draft):
        api = api_as("applicant")
        etag = api.get(detail(draft))["ETag"]
        assert etag == '"1"'
        response = api.patch(detail(draft), {"title": "更新"}, format="json", HTTP_IF_MATCH=etag)
        assert response.status_code == 200
        assert response["ETag"] == '"2"'
        assert response.json()["title"] == "更新"

    def test_stale_if_match_is_412_and_saves_nothing(self, api_as, draft, applicant):
        save_draft(application=draft, by=applicant, lock_version=1, content={"title": "別タブ"})
        response = api_as("applicant").patch(detail(draft), {"title": "古い版から"},
                                             format="json", HTTP_IF_MATCH='"1"')
        assert response.status_code == 412
        assert response.json()["code"] == "stale_version"
        draft.refresh_from_db()
        assert (draft.title, draft.lock_version) == ("別タブ", 2)

    def test_missing_if_match_is_428(self, api_as, draft):
        response = api_as("applicant").patch(detail(draft), {"title": "x"}, format="json")
        assert response.status_code == 428
        draft.refresh_from_db()
        assert draft.lock_version == 1

    def test_put_replaces_the_whole_content(self, api_as, draft):
        response = api_as("applicant").put(detail(draft), {"title": "だけ"}, format="json",
                                           HTTP_IF_MATCH='W/"1"')
        assert response.status_code == 200
        body = response.json()
        assert (body["title"], body["summary"], body["budget_lines"], body["requested_yen"]) == (
            "だけ", "", [], 0)


class TestSubmission:
    def test_submit_twice_makes_one_version(self, api_as, draft, mailoutbox,
                                            django_capture_on_commit_callbacks):
        api = api_as("applicant")
        with django_capture_on_commit_callbacks(execute=True):
            first = api.post(submit_url(draft), HTTP_IDEMPOTENCY_KEY="k1")
        with django_capture_on_commit_callbacks(execute=True):
            second = api.post(submit_url(draft), HTTP_IDEMPOTENCY_KEY="k1")
        assert first.status_code == second.status_code == 200
        assert first.json() == second.json()
        assert first.json()["number"] == 1
        assert ApplicationVersion.objects.count() == 1
        assert len(mailoutbox) == 1
        versions = api.get(detail(draft)).json()["versions"]
        assert [v["receipt_number"] for v in versions] == [first.json()["receipt_number"]]

    def test_broken_rules_are_409_with_problems(self, api_as, draft):
        draft.budget_lines.update(amount_yen=2_000_001)
        response = api_as("applicant").post(submit_url(draft))
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "rules_failed"
        assert [(p["field"], p["code"]) for p in body["problems"]] == [
            ("budget_lines", "over_ceiling")]
        draft.refresh_from_db()
        assert draft.status == "draft"

    def test_closed_round_is_409(self, api_as, draft):
        draft.funding_round.status = "closed"
        draft.funding_round.save()
        response = api_as("applicant").post(submit_url(draft))
        assert (response.status_code, response.json()["code"]) == (409, "round_closed")
        assert not ApplicationVersion.objects.exists()

    def test_editing_after_submission_is_409(self, api_as, draft, applicant):
        submit_application(application=draft, by=applicant)
        draft.refresh_from_db()
        response = api_as("applicant").patch(detail(draft), {"title": "後から"}, format="json",
                                             HTTP_IF_MATCH=f'"{draft.lock_version}"')
        assert (response.status_code, response.json()["code"]) == (409, "not_editable")

    def test_withdraw_then_again_is_409(self, api_as, draft):
        api = api_as("applicant")
        url = reverse("v1:application_withdraw", args=[draft.pk])
        response = api.post(url, {"reason": "辞退"}, format="json")
        assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
        again = api.post(url, {}, format="json")
        assert (again.status_code, again.json()["code"]) == (409, "bad_transition")


@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", 401), ("outsider", 404), ("reviewer", 404), ("oversight", 403),
    ("officer", 403), ("other_officer", 403), ("applicant", 200),
])
@pytest.mark.parametrize("action", ["patch", "submit", "withdraw"])
def test_write_access(api_as, draft, persona, expected, action):
    api = api_as(persona)
    before = list(Application.objects.values())
    if action == "patch":
        response = api.patch(detail(draft), {"title": "x"}, format="json", HTTP_IF_MATCH='"1"')
    else:
        response = api.post(reverse(f"v1:application_{action}", args=[draft.pk]))
    assert response.status_code == expected
    if expected != 200:
        assert list(Application.objects.values()) == before
        assert not ApplicationVersion.objects.exists()


@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", 401), ("outsider", 404), ("reviewer", 404), ("oversight", 200),
    ("officer", 200), ("other_officer", 200), ("applicant", 200),
])
def test_read_access(api_as, draft, persona, expected):
    assert api_as(persona).get(detail(draft)).status_code == expected


def test_lists_are_scoped(api_as, draft, applicant, open_round):
    other = ApplicationFactory(funding_round=open_round)
    submitted = ApplicationFactory(funding_round=open_round, organisation=draft.organisation)
    submit_application(application=submitted, by=applicant)
    mine = {row["id"] for row in api_as("applicant").get(LIST).json()["results"]}
    assert mine == {draft.pk, submitted.pk}
    assert other.pk not in mine


def test_staff_list_has_no_drafts_and_the_same_filters(api, officer, draft, applicant,
                                                       open_round):
    submitted = ApplicationFactory(funding_round=open_round, organisation=draft.organisation,
                                   lines=[(2026, 1_000_000)])
    version = submit_application(application=submitted, by=applicant)
    api.force_authenticate(officer)
    assert [r["id"] for r in api.get(LIST).json()["results"]] == [submitted.pk]
    assert [r["id"] for r in api.get(LIST, {"q": version.receipt_number}).json()["results"]] == [
        submitted.pk]
    assert api.get(LIST, {"min_yen": 1_000_001}).json()["results"] == []
    assert api.get(LIST, {"status": "returned"}).json()["results"] == []
    assert api.get(LIST, {"status": "nonsense"}).status_code == 400


def test_list_queries_do_not_grow_with_rows(api, officer, open_round, applicant):
    api.force_authenticate(officer)

    def add(n):
        for _ in range(n):
            application = ApplicationFactory(
                funding_round=open_round, organisation=OrganisationFactory(member=applicant),
                lines=[(2026, 100_000), (2027, 100_000)],
            )
            submit_application(application=application, by=applicant)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = api.get(LIST)
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    add(3)
    small, count = queries()
    assert count == 3
    add(9)
    large, count = queries()
    assert count == 12
    assert large == small
