"""The findings pages: filter, search, one award's or one theme's findings,
create with evidence, and edits that never lose what was typed."""

import pytest
from django.urls import reverse

from reporting.findings.models import Finding, FindingEvent
from reporting.findings.services import create_finding
from reporting.models import FeatureTag
from tests.factories import TargetGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def findings(portfolio, officer):
    tag = FeatureTag.objects.get(code="multi_generation")
    group = TargetGroupFactory(code="children", name_ja="子ども・若者")
    a = create_finding(programme=portfolio.programme, by=officer, data={
        "kind": "outcome", "statement": "多世代の交流で見守りが生まれた。", "fiscal_year": 2026,
        "award": portfolio.award_a, "feature_tags": [tag], "target_groups": [group],
        "prefectures": ["13"],
    })
    b = create_finding(programme=portfolio.programme, by=officer, data={
        "kind": "problem", "statement": "男性の参加が少ない。", "fiscal_year": 2027,
    }, evidence=[{"report": portfolio.reports["b_annual_2026"], "field": "problems",
                  "quote": "男性の参加が少ない"}])
    c = create_finding(programme=portfolio.programme, by=officer, data={
        "kind": "recommendation", "statement": "大阪では予約不要が効く。", "fiscal_year": 2026,
        "prefectures": ["27"],
    })
    return {"a": a, "b": b, "c": c, "tag": tag, "group": group}


def _listed(client, url, **params) -> set[int]:
    response = client.get(url, params)
    assert response.status_code == 200
    return {f.pk for f in response.context["page"]}


def test_filters_and_search(client, oversight, findings):
    client.force_login(oversight)
    url = reverse("reporting:findings")

    assert _listed(client, url) == {findings["a"].pk, findings["b"].pk, findings["c"].pk}
    assert _listed(client, url, kind="problem") == {findings["b"].pk}
    assert _listed(client, url, q="見守り") == {findings["a"].pk}
    assert _listed(client, url, feature_tag=findings["tag"].pk) == {findings["a"].pk}
    assert _listed(client, url, target_group=findings["group"].pk) == {findings["a"].pk}
    assert _listed(client, url, prefecture="27") == {findings["c"].pk}
    assert _listed(client, url, fiscal_year=2027) == {findings["b"].pk}
    assert _listed(client, url, theme=findings["a"].theme_id) == {findings["a"].pk}


def test_findings_of_one_award_include_those_evidenced_by_its_reports(
        client, oversight, portfolio, findings):
    client.force_login(oversight)

    of_a = _listed(client, reverse("reporting:findings_award", args=[portfolio.award_a.pk]))
    of_b = _listed(client, reverse("reporting:findings_award", args=[portfolio.award_b.pk]))
    of_theme = _listed(client, reverse("reporting:findings_theme",
                                       args=[portfolio.award_a.theme_id]))

    assert of_a == {findings["a"].pk}
    assert of_b == {findings["b"].pk}
    assert of_theme == {findings["a"].pk}


def test_create_then_add_evidence(client, officer, portfolio):
    client.force_login(officer)
    report = portfolio.reports["a_annual_2026"]

    response = client.post(reverse("reporting:finding_new") + f"?programme={portfolio.programme.pk}",
                           {"kind": "know_how", "statement": "予約不要にした。",
                            "fiscal_year": 2026, "award": portfolio.award_a.pk,
                            "programme": portfolio.programme.pk})
    finding = Finding.objects.get()
    assert response["Location"] == reverse("reporting:finding_detail", args=[finding.pk])

    page = client.get(response["Location"]).content.decode()
    assert 'name="passage-quote"' in page and 'name="indicator-indicator_actual"' in page
    client.post(reverse("reporting:finding_evidence_add", args=[finding.pk]), {
        "evidence_type": "passage", "passage-report": report.pk, "passage-field": "know_how",
        "passage-quote": "予約不要にした"})
    client.post(reverse("reporting:finding_evidence_add", args=[finding.pk]), {
        "evidence_type": "indicator",
        "indicator-indicator_actual": report.indicator_actuals.get().pk})

    assert finding.evidence.count() == 2
    assert list(FindingEvent.objects.filter(finding=finding).order_by("id").values_list(
        "action", flat=True)) == ["created", "evidence_added", "evidence_added"]


def test_a_wrong_quote_is_reported_and_nothing_is_added(client, officer, portfolio, findings):
    client.force_login(officer)
    finding = findings["a"]

    response = client.post(reverse("reporting:finding_evidence_add", args=[finding.pk]), {
        "evidence_type": "passage", "passage-report": portfolio.reports["a_annual_2026"].pk,
        "passage-field": "outcomes", "passage-quote": "報告にない文"}, follow=True)

    assert finding.evidence.count() == 0
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_a_stale_edit_keeps_the_typed_text(client, officer, findings):
    client.force_login(officer)
    finding = findings["a"]
    url = reverse("reporting:finding_edit", args=[finding.pk])
    form = {"kind": "outcome", "statement": "私の書き直し", "fiscal_year": 2026,
            "lock_version": finding.lock_version}
    client.post(url, {**form, "statement": "他の人の書き直し"})

    response = client.post(url, form)

    assert response.status_code == 200
    assert "私の書き直し" in response.content.decode()
    finding.refresh_from_db()
    assert finding.statement == "他の人の書き直し"


def test_a_refusal_is_shown_next_to_its_field(client, officer, portfolio, findings):
    from tests.factories import OpenRoundFactory, ProgrammeFactory

    other_theme = OpenRoundFactory(programme=ProgrammeFactory()).themes.get()
    client.force_login(officer)
    response = client.post(reverse("reporting:finding_edit", args=[findings["c"].pk]), {
        "kind": "outcome", "statement": "x", "fiscal_year": 2026, "theme": other_theme.pk})

    # The theme of another programme is not even a choice of the form.
    assert response.status_code == 200
    assert response.context["form"].errors["theme"]
