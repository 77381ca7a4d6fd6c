"""The findings library's search folds full-width forms (issue 13.11)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_findings_search_folds_width(officer, portfolio):
    api = APIClient()
    api.force_authenticate(officer)
    url = reverse("v1:finding-list")
    created = api.post(url, {"programme": portfolio.programme.code, "kind": "outcome",
                             "fiscal_year": 2026, "statement": "ＮＰＯと町内会の連携が進んだ。"},
                       format="json")
    assert created.status_code == 201
    found = api.get(url, {"q": "NPO"}).json()["results"]
    assert [row["id"] for row in found] == [created.json()["id"]]
