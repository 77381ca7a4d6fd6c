"""360Giving open data: consortium members carried onto the award and into
the export, awardDate is when the selection decision was recorded (JST), and a public
anonymous endpoint publishes the awards of decided rounds only, with
nothing private. Programme B: an intermediary consortium, ¥10,000,000."""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from applications.models import ConsortiumMember
from awards.models import Award
from core.vocab import LegalForm
from grants.models import FundingRound
from reporting.exports import open_data_prefix
from reviews.models import Decision
from reviews.services.decisions import record_decision
from tests.factories import ExpenseCategoryFactory
from tests.factories.reviews import ReviewApplicationFactory

pytestmark = pytest.mark.django_db

JST = ZoneInfo("Asia/Tokyo")
DECIDED_AT = datetime(2023, 6, 30, 18, 30, tzinfo=JST)
SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "standards" / "360giving"
GRANT_SCHEMA_URL_IN_PACKAGE = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/"
    "360-giving-schema.json"
)
PUBLIC = reverse("v1:open-data-public", args=["json"])


def _consortium_application(officer, funding_round=None):
    extra = {"funding_round": funding_round} if funding_round else {
        "funding_round__programme__staff": [officer],
        "funding_round__fiscal_year": 2023,
        "funding_round__budget_yen": 120_000_000,
        "funding_round__consortium_allowed": True,
        "funding_round__title_ja": "孤独・孤立対策活動基盤整備モデル調査",
    }
    application = ReviewApplicationFactory(
        requested_yen=10_000_000, is_consortium=True, is_nationwide=True,
        summary="連絡先: 090-1234-5678 担当 山田（内部メモ）", **extra)
    application.tier.ceiling_yen = 10_000_000
    application.tier.save()
    application.funding_round.expense_categories.add(ExpenseCategoryFactory(code="personnel"))
    ConsortiumMember.objects.create(
        application=application, name="一般社団法人 北海道NPOサポート",
        legal_form=LegalForm.GENERAL_INC_ASSOC,
        corporate_number="7000012050002", role="伴走支援（北海道・東北）")
    ConsortiumMember.objects.create(
        application=application, name="九州つながりネット", legal_form=LegalForm.VOLUNTARY,
        role="研修の企画")
    return application


@pytest.fixture
def decided(officer):
    application = _consortium_application(officer)
    with time_machine.travel(DECIDED_AT, tick=False):
        record_decision(application=application, outcome="awarded", by=officer,
                        amount_yen=10_000_000, reason="全国の中間支援の連携が具体的")
    return Award.objects.get(application=application)


@pytest.fixture
def package_validator():
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    if not (SCHEMAS / "360-giving-package-schema.json").exists():
        pytest.skip(f"360Giving schemas not found at {SCHEMAS} (outside this project's CI)")
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources([
        (GRANT_SCHEMA_URL_IN_PACKAGE, resource), (grant["$id"], resource)]).crawl()
    return Draft202012Validator(package, registry=registry, format_checker=FormatChecker())


def test_the_award_carries_the_consortium_members(api_as, decided):
    body = api_as("officer").get(f"/api/v1/awards/{decided.pk}/").json()

    assert [(m["name"], m["corporate_number"], m["role"]) for m in body["consortium_members"]] == [
        ("一般社団法人 北海道NPOサポート", "7000012050002", "伴走支援（北海道・東北）"),
        ("九州つながりネット", "", "研修の企画")]


def test_public_open_data_is_anonymous_validates_and_names_the_members(
        api, decided, package_validator, settings):
    settings.OPEN_DATA_ID_PREFIX = "360G-kodoku-"
    assert decided.funding_round.status == FundingRound.Status.DECIDED

    response = api.get(PUBLIC)

    assert response.status_code == 200
    document = response.json()
    assert [f"{list(e.absolute_path)}: {e.message}"
            for e in package_validator.iter_errors(document)] == []
    [grant] = document["grants"]
    assert grant["awardDate"] == "2023-06-30T18:30:00+09:00"
    assert grant["amountAwarded"] == 10_000_000
    lead, *members = grant["recipientOrganization"]
    assert lead["name"] == decided.organisation.name
    assert [(m["id"], m["name"]) for m in members] == [
        ("JP-JCN-7000012050002", "一般社団法人 北海道NPOサポート"),
        (f"360G-kodoku-member-{decided.consortium_members.get(corporate_number='').pk}",
         "九州つながりネット")]


def test_award_date_follows_the_decision_not_the_award_row(client, oversight, decided):
    Decision.objects.filter(application=decided.application).update(
        decided_at=datetime(2023, 7, 3, 9, 0, tzinfo=JST))
    client.force_login(oversight)

    staff = json.loads(client.get(reverse("reporting:open_data", args=["json"])).content)
    csv = client.get(reverse("reporting:open_data", args=["csv"])).content.decode("utf-8-sig")

    assert staff["grants"][0]["awardDate"] == "2023-07-03T09:00:00+09:00"
    assert ",2023-07-03T09:00:00+09:00," in csv.splitlines()[1]
    assert "九州つながりネット" in csv


def test_public_open_data_leaves_out_undecided_rounds_and_private_text(api, officer, decided):
    reviewing = _consortium_application(officer)
    _consortium_application(officer, funding_round=reviewing.funding_round)
    record_decision(application=reviewing, outcome="awarded", by=officer,
                    amount_yen=10_000_000, reason="途中")
    assert reviewing.funding_round.__class__.objects.get(
        pk=reviewing.funding_round_id).status == FundingRound.Status.REVIEWING

    body = api.get(PUBLIC).content.decode()
    csv = api.get(reverse("v1:open-data-public", args=["csv"]))

    assert [g["id"] for g in json.loads(body)["grants"]] == [
        f"{open_data_prefix()}{decided.award_number}"]
    assert Award.objects.get(application=reviewing).award_number not in body
    for private in ("090-1234-5678", "山田", "全国の中間支援の連携が具体的", officer.email):
        assert private not in body
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")


def test_public_open_data_refuses_writes_and_unknown_formats(api):
    assert api.post(PUBLIC, {}).status_code == 405
    assert api.get("/api/v1/open-data/360giving.xml").status_code == 404
