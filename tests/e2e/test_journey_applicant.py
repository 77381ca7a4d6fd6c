"""The applicant's journey on a phone (390 px), in Japanese, on the demo data:
the dashboard and the budget table fit the screen; "save and submit" leads to
a confirmation page whose declaration (誓約) must be ticked, refused with a
field error when not (nothing lost), and submitting once gives the receipt
number; withdrawing asks first and can be called off."""

import re

import pytest

from applications.models import Application, ApplicationVersion

from .conftest import assert_fits, log_in_as

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

APPLICANT = "applicant2@demo.kodoku.jp"  # owns the demo drafts
DRAFT = "松本・縁側でつながる多世代の場"  # complete, in a round accepting applications


def test_applicant_submits_with_the_declaration_on_a_phone(demo, new_page, artifacts):
    page = new_page()
    log_in_as(page, APPLICANT)
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    # The dashboard: one stacked block per application, labelled cell by cell.
    page.goto("/applications/")
    expect(page.get_by_role("heading", name="自団体の申請", level=1)).to_be_visible()
    assert_fits(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=DRAFT, exact=True))
    assert row.evaluate("e => getComputedStyle(e).display") == "block"
    status_cell = row.locator("td[data-label='状態']")
    assert "状態" in status_cell.evaluate("e => getComputedStyle(e, '::before').content")

    # The edit page: the budget table fits, each line a labelled block.
    row.get_by_role("link", name=DRAFT, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(DRAFT)
    assert_fits(page)
    budget = page.get_by_role("table", name="予算明細")
    first_amount = budget.locator("tbody tr").first.locator("input[name$='-amount_yen']")
    expect(first_amount).to_be_visible()
    assert first_amount.bounding_box()["width"] > 250  # a full-width field, not a squeezed cell
    page.screenshot(path=artifacts / "applicant-edit-390.png", full_page=True)

    # Save and submit → the confirmation page; nothing submitted yet.
    page.get_by_role("button", name="保存して提出").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("確認して提出")
    assert_fits(page)
    application = Application.objects.get(title=DRAFT)
    assert application.status == Application.Status.DRAFT
    declaration = page.get_by_label(re.compile("反社会的勢力"))
    expect(declaration).not_to_be_checked()
    submit = page.get_by_role("button", name="申請を提出する")

    # The browser itself asks for the tick (required checkbox) ...
    submit.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("確認して提出")
    assert declaration.evaluate("e => e.validity.valueMissing")
    # ... and so does the server, with the error at the field and in the summary.
    declaration.evaluate("e => e.removeAttribute('required')")
    submit.click()
    expect(page.locator("#id_declaration_error")).to_contain_text(
        "提出するには誓約事項にチェックを入れてください。")
    expect(page.locator("#error-summary")).to_contain_text("提出するには誓約事項")
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and application.title == DRAFT
    page.screenshot(path=artifacts / "applicant-declaration-refused-390.png", full_page=True)

    page.get_by_label(re.compile("反社会的勢力")).check()
    page.get_by_role("button", name="申請を提出する").click()
    notice = page.get_by_role("status").filter(has_text="提出しました。受付番号は")
    expect(notice).to_be_visible()
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert_fits(page)

    # Withdrawing asks first; calling it off changes nothing.
    page.get_by_role("button", name="この申請を取り下げる…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("申請の取下げ")
    expect(page.get_by_text("取下げは元に戻せません")).to_be_visible()
    assert_fits(page)
    page.get_by_role("link", name="取り下げない").click()
    expect(page.locator("dl.facts")).to_contain_text("提出済み")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    # The award list fits too.
    page.goto("/reporting/awards/mine/")
    assert_fits(page)


OWNER = "applicant1@demo.kodoku.jp"  # つながりの木: its final report is overdue in the demo


def test_applicant_sees_the_overdue_report_on_a_phone(demo, new_page, artifacts):
    """The overdue flag on 'my awards', on the award's report table and on
    the report form; deadlines in the era calendar, in Japan time."""
    page = new_page()
    log_in_as(page, OWNER)

    page.goto("/reporting/awards/mine/")
    expect(page.get_by_role("heading", name="自団体の採択事業", level=1)).to_be_visible()
    assert_fits(page)
    overdue = page.locator("li.overdue")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("最終報告")
    expect(overdue).to_contain_text("⚠ 期限超過")
    expect(overdue).to_contain_text(re.compile(r"令和\d+年\d+月\d+日 17:00 \(JST\)"))
    card = page.locator("section.card").filter(has=overdue)
    expect(card.locator(".overdue-note")).to_be_visible()
    assert "descending" not in page.content()
    page.screenshot(path=artifacts / "applicant-awards-overdue-390.png", full_page=True)

    # The award's report table says so too, and leads to the report.
    card.get_by_role("heading", level=2).get_by_role("link").click()
    final_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="最終報告"))
    expect(final_row).to_contain_text("⚠ 期限超過")
    assert_fits(page)
    final_row.get_by_role("link", name=re.compile("最終報告")).click()
    expect(page.locator("#overdue-note")).to_contain_text("期限超過")
    page.get_by_role("link", name="報告を編集").click()

    # The report form: the overdue note on top, the draft kept.
    expect(page.locator("#overdue-note")).to_be_visible()
    expect(page.locator("#overdue-note")).to_contain_text("提出期限を過ぎています")
    expect(page.locator("main")).to_contain_text(re.compile(r"令和\d+年\d+月\d+日 17:00 \(JST\)"))
    assert_fits(page)
    page.screenshot(path=artifacts / "applicant-report-overdue-390.png", full_page=True)
