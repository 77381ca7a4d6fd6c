"""The oversight viewer (Cabinet Office) on a phone, in Japanese, on the demo
data: the dashboard fits 390 px (its tables scroll in labelled regions); the
ranking links to applications and downloads; the decisions page offers no
way to decide."""

import pytest

from grants.models import FundingRound

from .conftest import assert_fits, log_in_as

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.e2e


def test_oversight_reads_on_a_phone(demo, new_page):
    page = new_page()
    log_in_as(page, "oversight@demo.kodoku.jp")
    page.goto("/reporting/oversight/")
    expect(page.get_by_role("heading", name="全体状況ダッシュボード", level=1)).to_be_visible()
    assert_fits(page)
    assert page.locator(".table-scroll[role=region]").count() >= 10

    reviewing = FundingRound.objects.get(status=FundingRound.Status.REVIEWING)
    page.goto(f"/reviews/rounds/{reviewing.pk}/ranking/")
    assert_fits(page)
    expect(page.get_by_role("link", name="ダウンロード（CSV）")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="ダウンロード（Excel）").click()
    assert info.value.suggested_filename.endswith(".xlsx")

    page.goto(f"/reviews/rounds/{reviewing.pk}/decisions/")
    assert_fits(page)
    assert page.locator("input[name$='-decide']").count() == 0
    expect(page.get_by_role("button", name="チェックした採否を記録")).to_have_count(0)
    response = page.goto(f"/rounds/manage/{reviewing.pk}/transition/?action=decide")
    assert response.status in (403, 404)
