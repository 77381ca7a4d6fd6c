"""Staff manage target groups and feature tags on a page (not only the
admin): add, rename, switch off, each with a history row; oversight reads;
applicants and reviewers are refused; codes never change."""

import pytest
from django.urls import reverse

from grants.models import TargetGroup
from reporting.managed_list_models import ManagedListEvent
from reporting.models import FeatureTag

pytestmark = pytest.mark.django_db

PERSONAS = ["applicant", "outsider", "reviewer", "oversight", "other_officer", "officer"]


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 403), ("outsider", 403), ("reviewer", 403), ("oversight", 200),
    ("other_officer", 200), ("officer", 200),
])
def test_who_reads_the_lists(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("reporting:managed_lists", args=["target-groups"]))

    assert response.status_code == expected
    if expected == 200:
        assert "older_alone" in response.content.decode()


@pytest.mark.parametrize(("persona", "expected"), [
    ("applicant", 403), ("outsider", 403), ("reviewer", 403), ("oversight", 403),
    ("other_officer", 302), ("officer", 302),
])
def test_who_adds_an_item_and_a_refusal_changes_nothing(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("reporting:managed_list_new", args=["target-groups"]), {
        "code": "young_carers", "name_ja": "ヤングケアラー", "name_en": "Young carers",
        "sort_order": 275, "is_active": "on"})

    assert response.status_code == expected
    assert TargetGroup.objects.filter(code="young_carers").exists() is (expected == 302)
    assert ManagedListEvent.objects.filter(item_code="young_carers").exists() is (
        expected == 302)


def test_unknown_list_or_code_is_404(client, officer):
    client.force_login(officer)

    assert client.get(reverse("reporting:managed_lists", args=["colours"])).status_code == 404
    assert client.get(reverse("reporting:managed_list_item",
                              args=["feature-tags", "nope"])).status_code == 404


def test_staff_add_rename_and_switch_off_with_history(client, officer, applicant):
    client.force_login(officer)
    new = reverse("reporting:managed_list_new", args=["feature-tags"])
    client.post(new, {"code": "peer_support", "name_ja": "ピアサポート", "sort_order": 60,
                      "is_active": "on"})
    edit = reverse("reporting:managed_list_item", args=["feature-tags", "peer_support"])

    renamed = client.post(edit, {"code": "hacked", "name_ja": "当事者同士の支え合い",
                                 "name_en": "Peer support", "sort_order": 60, "is_active": "on",
                                 "reason": "名称を分かりやすく"})
    switched_off = client.post(edit, {"name_ja": "当事者同士の支え合い", "name_en": "Peer support",
                                      "sort_order": 60, "reason": "重点計画の分類に合わせる"})

    assert renamed.status_code == switched_off.status_code == 302
    tag = FeatureTag.objects.get(code="peer_support")
    assert (tag.name_ja, tag.is_active) == ("当事者同士の支え合い", False)
    assert not FeatureTag.objects.filter(code="hacked").exists()
    assert list(ManagedListEvent.objects.filter(item_code="peer_support")
                .values_list("action", "actor", "reason")) == [
        ("created", officer.pk, ""), ("changed", officer.pk, "名称を分かりやすく"),
        ("deactivated", officer.pk, "重点計画の分類に合わせる")]
    page = client.get(edit).content.decode()
    assert "重点計画の分類に合わせる" in page


def test_a_taken_or_malformed_code_is_refused_and_the_input_kept(client, officer):
    client.force_login(officer)
    new = reverse("reporting:managed_list_new", args=["target-groups"])

    taken = client.post(new, {"code": "older_alone", "name_ja": "独居の高齢者", "sort_order": 1})
    malformed = client.post(new, {"code": "Young Carers", "name_ja": "ヤングケアラー",
                                  "sort_order": 1})

    assert taken.status_code == malformed.status_code == 400
    assert "独居の高齢者" in taken.content.decode()
    assert TargetGroup.objects.filter(code="older_alone").get().name_ja == "一人暮らしの高齢者"
    assert not ManagedListEvent.objects.exists()
