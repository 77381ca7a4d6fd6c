"""Programme staff on the demo data, in Japanese: the screening list and the
ranking fit a phone (390 px; wide tables scroll in their own region); the
ranking links to each application and its reviews and downloads as CSV and
Excel; bulk decisions show what will be recorded and e-mailed before doing
it; closing a round asks first and can be called off."""

import csv
import re
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core import mail
from openpyxl import load_workbook

from grants.models import FundingRound
from reviews.models import Decision

from .conftest import DESKTOP, assert_fits, log_in_as

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

STAFF = "staff@demo.kodoku.jp"


def _download(page, link_name):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    return info.value


def test_staff_rank_decide_and_close_on_a_phone(demo, new_page, artifacts):
    page = new_page()
    log_in_as(page, STAFF)

    # The screening list: the page fits; the list scrolls in its own region.
    page.goto("/applications/manage/")
    expect(page.get_by_role("heading", name="申請", level=1)).to_be_visible()
    assert_fits(page)
    region = page.get_by_role("region", name=re.compile(r"\d+件"))
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # more to see, inside it
    region.focus()  # keyboard users can scroll it
    page.screenshot(path=artifacts / "staff-list-390.png", full_page=True)

    # The ranking of the round under review: links and downloads.
    reviewing = FundingRound.objects.get(status=FundingRound.Status.REVIEWING)
    page.goto(f"/reviews/rounds/{reviewing.pk}/ranking/")
    assert_fits(page)
    first_row = page.locator("main table tbody tr").first
    receipt = first_row.locator("th").inner_text().strip()
    first_row.get_by_role("link", name=f"審査1 {receipt}").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/reviews/assignments/" in page.url
    page.go_back()
    page.locator("main table tbody tr").first.get_by_role("link", name=f"申請 {receipt}").click()
    expect(page.locator("dl.facts")).to_contain_text(receipt)
    page.go_back()

    ranking_csv = _download(page, "ダウンロード（CSV）")
    rows = list(csv.reader(StringIO(Path(ranking_csv.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][4] == "受付番号" and rows[1][4] == receipt  # the screen's order
    ranking_xlsx = _download(page, "ダウンロード（Excel）")
    sheet = load_workbook(BytesIO(Path(ranking_xlsx.path()).read_bytes())).active
    assert sheet.cell(row=2, column=5).value == receipt
    assert isinstance(sheet.cell(row=2, column=8).value, int)
    assert sheet.cell(row=2, column=8).number_format == "#,##0"

    # Bulk decisions: the confirmation page first, nothing recorded or sent.
    page.goto(f"/reviews/rounds/{reviewing.pk}/decisions/")
    assert_fits(page)
    decided_before, mails_before = Decision.objects.count(), len(mail.outbox)
    page.locator("input[name$='-decide']").first.check()
    page.get_by_role("button", name="チェックした採否を記録").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("採否の確認")
    expect(page.get_by_role("main")).to_contain_text("申請団体にメールで送ります")
    assert_fits(page)
    assert Decision.objects.count() == decided_before and len(mail.outbox) == mails_before
    page.screenshot(path=artifacts / "staff-decisions-confirm-390.png", full_page=True)
    page.get_by_role("button", name="採否を記録して通知を送る").click()
    expect(page.locator("ul.messages")).to_contain_text("1件の採否を記録しました")
    assert Decision.objects.count() == decided_before + 1
    assert len(mail.outbox) == mails_before + 1

    # Closing a round: asked first; cancel changes nothing, confirm closes it.
    open_round = FundingRound.objects.filter(status=FundingRound.Status.OPEN).order_by("pk").first()
    page.goto(f"/rounds/manage/{open_round.pk}/")
    page.get_by_role("button", name="受付終了…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("受付終了")
    expect(page.get_by_role("main")).to_contain_text("これ以上の申請の提出・再提出はできなくなります")
    assert_fits(page)
    page.get_by_role("link", name="キャンセル").click()
    open_round.refresh_from_db()
    assert open_round.status == FundingRound.Status.OPEN
    page.get_by_role("button", name="受付終了…").click()
    page.get_by_label("履歴用のメモ（任意）").fill("予定数に達したため")
    page.get_by_role("button", name="確定する: 受付終了").click()
    expect(page.locator("ul.messages")).to_contain_text("公募の状態を")
    open_round.refresh_from_db()
    assert open_round.status == FundingRound.Status.CLOSED

    # On a desktop (same data, one live server) the ranking is a plain table.
    page = new_page(viewport=DESKTOP)
    log_in_as(page, STAFF)
    page.goto(f"/reviews/rounds/{reviewing.pk}/ranking/")
    assert_fits(page, DESKTOP["width"])
    region = page.locator(".table-scroll").first
    assert region.evaluate("e => e.scrollWidth <= e.clientWidth")


def _option_labels(page, select) -> list[str]:
    return [text.strip() for text in select.locator("option").all_inner_texts()]


def test_sort_labels_are_japanese_on_a_phone(demo, new_page):
    """Both directions of every sort named in Japanese: no django-filter
    "(descending)" left; the chosen sort stays chosen."""
    page = new_page()
    log_in_as(page, STAFF)
    page.goto("/applications/manage/")
    sort = page.get_by_label("並べ替え", exact=True)
    labels = _option_labels(page, sort)
    assert "提出日時（新しい順）" in labels and "申請額（多い順）" in labels
    assert not [label for label in labels if re.search(r"[A-Za-z]", label)], labels
    sort.select_option(label="申請額（多い順）")
    page.get_by_role("button", name="絞り込む").click()
    assert "sort=-requested_yen" in page.url
    expect(page.get_by_label("並べ替え", exact=True)).to_have_value("-requested_yen")
    assert "descending" not in page.content()
    assert_fits(page)
