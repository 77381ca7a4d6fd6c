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


def test_award_list_sorts_in_japanese_and_exports_in_the_same_order(demo, new_page):
    import csv
    from io import StringIO
    from pathlib import Path

    page = new_page()
    log_in_as(page, "oversight@demo.kodoku.jp")
    page.goto("/reporting/awards/")
    assert_fits(page)
    sort = page.get_by_label("並べ替え", exact=True)
    labels = [text.strip() for text in sort.locator("option").all_inner_texts()]
    assert "年度（新しい順）" in labels and "年度（古い順）" in labels
    assert not [label for label in labels if "descending" in label or "ascending" in label]
    sort.select_option(label="年度（古い順）")
    page.get_by_role("button", name="絞り込み").click()
    assert "sort=fiscal_year" in page.url
    assert_fits(page)
    on_screen = [text.strip() for text in page.locator("main table tbody th").all_inner_texts()]
    assert len(on_screen) >= 3
    with page.expect_download() as info:
        page.locator("main").get_by_role("link", name="CSV").click()
    rows = list(csv.reader(StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == on_screen
