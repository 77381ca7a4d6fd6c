"""The 360Giving export validates, offline, against the published schemas in
../shared/standards/360giving/ (see its README)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

pytestmark = pytest.mark.django_db

SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "standards" / "360giving"
GRANT_SCHEMA_URL_IN_PACKAGE = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/"
    "360-giving-schema.json"
)


@pytest.fixture
def package_validator():
    if not (SCHEMAS / "360-giving-package-schema.json").exists():
        pytest.skip(f"360Giving schemas not found at {SCHEMAS} (outside this project's CI)")
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    # NOTE: the schemas name their dialect with http://, which `referencing`
    # does not recognise; say draft 2020-12 explicitly.
    resource = DRAFT202012.create_resource(grant)
    # NOTE: the package refers to the grant schema by its remote URL; the
    # local copy is registered under it (and under its own $id), so nothing
    # is ever fetched.
    registry = Registry().with_resources([
        (GRANT_SCHEMA_URL_IN_PACKAGE, resource),
        (grant["$id"], resource),
    ]).crawl()
    return Draft202012Validator(package, registry=registry, format_checker=FormatChecker())


def _errors(validator, document) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_export_validates(client, oversight, portfolio, package_validator, settings):
    settings.OPEN_DATA_ID_PREFIX = "360G-kodoku-"
    client.force_login(oversight)

    response = client.get(reverse("reporting:open_data", args=["json"]))
    document = json.loads(response.content)

    assert response["Content-Type"] == "application/json"
    assert _errors(package_validator, document) == []
    grants = {g["recipientOrganization"][0]["name"]: g for g in document["grants"]}
    a = grants[portfolio.award_a.organisation.name]
    assert a["id"] == f"360G-kodoku-{portfolio.award_a.award_number}"
    assert a["currency"] == "JPY" and a["amountAwarded"] == 2_000_000
    assert a["recipientOrganization"][0]["id"] == (
        f"JP-JCN-{portfolio.award_a.organisation.corporate_number}")
    assert a["beneficiaryLocation"][0]["geoCode"] == "JP-13"
    assert a["plannedDates"][0]["duration"] == 24
    # An unincorporated group (任意団体) has no corporate number.
    b = grants["大阪つながり食堂"]
    assert b["recipientOrganization"][0]["id"] == (
        f"360G-kodoku-org-{portfolio.award_b.organisation_id}")


def test_the_validator_catches_a_broken_grant(client, oversight, portfolio, package_validator):
    client.force_login(oversight)
    document = json.loads(client.get(reverse("reporting:open_data", args=["json"])).content)
    del document["grants"][0]["recipientOrganization"]
    document["grants"][1]["currency"] = "YEN"

    assert len(_errors(package_validator, document)) == 2


def test_csv_uses_the_standard_column_titles(client, oversight, portfolio):
    client.force_login(oversight)

    content = client.get(reverse("reporting:open_data", args=["csv"])).content.decode("utf-8-sig")
    header, *rows = content.splitlines()

    assert header.startswith("Identifier,Title,Description,Currency,Amount Awarded,Award Date")
    assert len(rows) == 2
    assert all(",JPY,2000000," in row for row in rows)
