"""The OpenAPI schema is valid without warnings, and it and its docs are
public and served from local static files (no CDN)."""

import json
import re

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import reset_generator_stats


@pytest.mark.django_db
def test_schema_generates_valid_without_warnings(tmp_path):
    reset_generator_stats()
    out = tmp_path / "schema.json"

    # Raises on any warning or an invalid OpenAPI 3 document.
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 "--file", str(out))

    schema = json.loads(out.read_text())
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert set(paths["/api/v1/rounds/"]) == {"get", "post"}
    assert set(paths["/api/v1/rounds/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/rounds/{id}/themes/{theme_id}/"]) == {"patch", "delete"}
    for action in ("open", "close", "start-review", "decide", "archive", "copy", "history"):
        assert f"/api/v1/rounds/{{id}}/{action}/" in paths
    assert "/api/v1/auth/token/" in paths
    round_fields = schema["components"]["schemas"]["RoundOutput"]["properties"]
    assert round_fields["budget_yen"]["type"] == "integer"
    assert round_fields["opens_at"]["format"] == "date-time"
    assert {"themes", "tiers", "expense_categories", "fiscal_year_label_wareki"} <= set(
        round_fields
    )
    yen = schema["components"]["schemas"]["RoundCreateInputRequest"]["properties"]["budget_yen"]
    assert yen["minimum"] == 1


@pytest.mark.django_db
def test_schema_is_public(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/rounds/" in json.loads(response.content)["paths"]


@pytest.mark.django_db
def test_docs_are_public_and_use_local_static_files(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in html
    assert "/api/schema/" in html
    hosts = set(re.findall(r"(?:https?:)?//([\w.-]+\.[a-z]{2,})", html))
    assert hosts == set(), hosts


@pytest.mark.django_db
def test_docs_static_files_are_served(client):
    response = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"SwaggerUIBundle" in body
