"""Managed lists (expense categories, target groups, feature tags) listed
with their stable codes, and applications that accept those codes (ids
still work). Figures from programme A: 人件費 ¥500,000 in FY2026."""

import pytest
from django.urls import reverse

from applications.models import Application
from grants.models import ExpenseCategory, TargetGroup

pytestmark = pytest.mark.django_db

LIST = reverse("v1:application_list")


@pytest.mark.parametrize("persona", ["anonymous", "applicant", "officer"])
def test_the_lists_carry_stable_codes(api_as, persona):
    client = api_as(persona)

    categories = client.get(reverse("v1:expense-category-list")).json()
    groups = client.get(reverse("v1:target-group-list")).json()
    tags = client.get(reverse("v1:feature-tag-list")).json()

    assert [c["code"] for c in categories["results"][:7]] == [
        "personnel", "honoraria", "travel", "consumables", "meetings", "printing",
        "communication"]
    assert categories["results"][0] == {
        "code": "personnel", "name_ja": "人件費", "name_en": "Personnel", "sort_order": 10,
        "is_active": True}
    assert groups["count"] == TargetGroup.objects.count() == 28
    assert {"older_alone", "middle_aged_men", "other"} <= {g["code"] for g in groups["results"]}
    assert [t["code"] for t in tags["results"]] == [
        "loose_participation", "community_ties", "role_creation", "multi_generation",
        "local_problem_solving"]


def test_inactive_items_are_left_out_unless_asked(api_as):
    TargetGroup.objects.filter(code="lgbtq").update(is_active=False)
    client = api_as("applicant")

    active = client.get(reverse("v1:target-group-list"), {"page_size": 100}).json()
    everything = client.get(reverse("v1:target-group-list"),
                            {"include_inactive": "true", "page_size": 100}).json()

    assert "lgbtq" not in {g["code"] for g in active["results"]}
    assert {g["code"]: g["is_active"] for g in everything["results"]}["lgbtq"] is False


def test_an_application_accepts_codes_and_answers_with_them(api_as, open_round, organisation):
    response = api_as("applicant").post(LIST, {
        "funding_round": open_round.pk, "organisation": organisation.pk, "title": "居場所づくり",
        "target_groups": ["older_alone", "middle_aged_men"],
        "budget_lines": [{"fiscal_year": 2026, "expense_category": "personnel",
                          "amount_yen": 500_000}],
    }, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    application = Application.objects.get()
    assert set(application.target_groups.values_list("code", flat=True)) == {
        "older_alone", "middle_aged_men"}
    assert sorted(body["target_group_codes"]) == ["middle_aged_men", "older_alone"]
    assert body["budget_lines"][0]["expense_category_code"] == "personnel"
    assert body["requested_yen"] == 500_000


def test_ids_still_work_and_unknown_codes_are_400_per_field(api_as, open_round, organisation):
    api = api_as("applicant")
    personnel = ExpenseCategory.objects.get(code="personnel")
    older = TargetGroup.objects.get(code="older_alone")

    by_id = api.post(LIST, {
        "funding_round": open_round.pk, "organisation": organisation.pk,
        "target_groups": [older.pk],
        "budget_lines": [{"fiscal_year": 2026, "expense_category": personnel.pk,
                          "amount_yen": 500_000}],
    }, format="json")
    unknown = api.post(LIST, {
        "funding_round": open_round.pk, "organisation": organisation.pk,
        "target_groups": ["nobody"],
        "budget_lines": [{"fiscal_year": 2026, "expense_category": "caviar",
                          "amount_yen": 500_000}],
    }, format="json")

    assert by_id.status_code == 201
    assert by_id.json()["target_groups"] == [older.pk]
    assert unknown.status_code == 400
    assert set(unknown.json()) == {"target_groups", "budget_lines"}
    assert Application.objects.count() == 1


@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", 403), ("applicant", 403), ("outsider", 403), ("reviewer", 403),
    ("oversight", 403), ("other_officer", 201), ("officer", 201),
])
def test_staff_add_a_target_group_through_the_api(api_as, persona, expected):
    from reporting.managed_list_models import ManagedListEvent

    response = api_as(persona).post(reverse("v1:target-group-list"), {
        "code": "young_carers", "name_ja": "ヤングケアラー", "name_en": "Young carers",
        "sort_order": 275}, format="json")

    assert response.status_code == expected
    assert TargetGroup.objects.filter(code="young_carers").exists() is (expected == 201)
    assert ManagedListEvent.objects.filter(
        list_name="target-groups", item_code="young_carers", action="created").exists() is (
        expected == 201)


def test_staff_switch_off_a_feature_tag_and_the_code_stays(api_as, officer):
    from reporting.managed_list_models import ManagedListEvent
    from reporting.models import FeatureTag

    client = api_as("officer")
    url = reverse("v1:feature-tag-detail", args=["role_creation"])

    renamed = client.patch(url, {"code": "roles"}, format="json")
    off = client.patch(url, {"is_active": False, "reason": "役割創出は地域課題解決に統合"},
                       format="json")
    listed = client.get(reverse("v1:feature-tag-list")).json()

    assert renamed.status_code == 409 and renamed.json()["code"] == "code_fixed"
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert "role_creation" not in [t["code"] for t in listed["results"]]
    assert FeatureTag.objects.get(code="role_creation").is_active is False
    event = ManagedListEvent.objects.get(item_code="role_creation")
    assert (event.action, event.actor, event.changes) == (
        "deactivated", officer, {"is_active": [True, False]})
