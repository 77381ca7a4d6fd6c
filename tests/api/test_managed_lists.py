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
