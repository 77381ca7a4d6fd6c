"""The findings API filters take the codes it reads and writes
(`feature_tags: ["multi_generation"]`), and still the database ids."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reporting.models import FeatureTag
from tests.factories import TargetGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


@pytest.fixture
def written(api, portfolio):
    """Two findings written through the API with codes."""
    TargetGroupFactory(code="children", name_ja="子ども・若者")
    url = reverse("v1:finding-list")
    tagged = api.post(url, {
        "programme": portfolio.programme.code, "kind": "outcome", "fiscal_year": 2026,
        "statement": "多世代の交流で見守りが生まれた。",
        "feature_tags": ["multi_generation"], "target_groups": ["children"],
    }, format="json")
    plain = api.post(url, {
        "programme": portfolio.programme.code, "kind": "problem", "fiscal_year": 2026,
        "statement": "男性の参加が少ない。", "feature_tags": ["loose_participation"],
    }, format="json")
    assert tagged.status_code == plain.status_code == 201
    return tagged.json(), plain.json()


def _ids(api, **params) -> set[int]:
    response = api.get(reverse("v1:finding-list"), params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_filters_take_the_codes_the_api_writes(api, written):
    tagged, plain = written

    assert tagged["feature_tags"] == ["multi_generation"]
    assert _ids(api, feature_tag="multi_generation") == {tagged["id"]}
    assert _ids(api, feature_tag="loose_participation") == {plain["id"]}
    assert _ids(api, target_group="children") == {tagged["id"]}
    assert _ids(api, target_group="children", feature_tag="loose_participation") == set()


def test_ids_still_work_and_an_unknown_code_is_a_400_naming_the_filter(api, written):
    tagged, _plain = written
    tag = FeatureTag.objects.get(code="multi_generation")

    assert _ids(api, feature_tag=tag.pk) == {tagged["id"]}
    response = api.get(reverse("v1:finding-list"), {"feature_tag": "no-such-tag"})
    assert response.status_code == 400
    assert "feature_tag" in response.json()
