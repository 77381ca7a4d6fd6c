"""A reviewer on a phone, in Japanese, on the demo data: the queue names each
project and its round; the undeclared assignment asks for the conflict of
interest declaration first; the scoring page shows the budget by fiscal year
with its totals, the indicators and the attachments (downloadable); a draft
is saved, then the review submitted. The queue and the scoring page fit
390 px."""

import pytest
from django.core.files.base import ContentFile

from applications.models import Application, Attachment
from core.money import format_yen
from reviews.models import Assignment, Review

from .conftest import assert_fits, log_in_as

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

REVIEWER = "reviewer1@demo.kodoku.jp"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _undeclared_assignment() -> Assignment:
    """reviewer1's assignment left undeclared by the demo (reviews/demo.py),
    on an application still waiting for its decision."""
    return (
        Assignment.objects.filter(reviewer__email=REVIEWER, status="active",
                                  no_conflict_declared_at__isnull=True,
                                  application__decision__isnull=True)
        .select_related("application__funding_round").get()
    )


def _attach(application: Application) -> Attachment:
    """The demo has no files: the applicant's plan, as if attached before
    submission."""
    attachment = Attachment(application=application, original_name="事業計画書.pdf",
                            content_type="application/pdf", size_bytes=len(PDF))
    attachment.file.save("事業計画書.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return attachment


def test_reviewer_declares_reads_drafts_and_submits_on_a_phone(demo, new_page, artifacts):
    assignment = _undeclared_assignment()
    application = assignment.application
    _attach(application)
    page = new_page()
    log_in_as(page, REVIEWER)

    # The queue: every row names its project and its round.
    page.goto("/reviews/")
    expect(page.get_by_role("heading", name="担当する審査", level=1)).to_be_visible()
    assert_fits(page)
    rows = page.locator("main table tbody tr")
    titles = set(Assignment.objects.filter(reviewer__email=REVIEWER, status="active")
                 .values_list("application__title", flat=True))
    assert rows.count() == len(titles)
    for title in titles:
        expect(rows.filter(has_text=title)).to_have_count(1)
    row = rows.filter(has_text=application.title)
    expect(row).to_contain_text(application.funding_round.title)
    page.screenshot(path=artifacts / "reviewer-queue-390.png", full_page=True)

    # Declare no conflict before reading.
    row.get_by_role("link", name="申告して開く").click()
    expect(page.get_by_role("heading", name="利益相反の申告", level=1)).to_be_visible()
    assert_fits(page)
    page.get_by_role("button", name="利益相反はありません：申請を開く").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(application.title)

    # The budget by fiscal year with its totals, the indicators, the files.
    budget = page.locator("section[aria-labelledby=budget-heading]")
    lines = list(application.budget_lines.all())
    years = sorted({line.fiscal_year for line in lines})
    expect(budget.locator("table")).to_have_count(len(years))
    for line in lines:
        expect(budget).to_contain_text(format_yen(line.amount_yen))
    for year in years:
        subtotal = sum(line.amount_yen for line in lines if line.fiscal_year == year)
        expect(budget).to_contain_text(f"{year}年度 小計{format_yen(subtotal)}")
    expect(budget.locator("dl")).to_contain_text(
        "予算合計（全年度）" + format_yen(sum(line.amount_yen for line in lines)))
    indicators = page.locator("section[aria-labelledby=indicators-heading]")
    for indicator in application.indicators.all():
        expect(indicators).to_contain_text(indicator.name)
        expect(indicators).to_contain_text(f"{indicator.target} {indicator.unit}")
    with page.expect_download() as info:
        page.get_by_role("link", name="事業計画書.pdf").click()
    assert info.value.suggested_filename == "事業計画書.pdf"
    assert_fits(page)
    page.screenshot(path=artifacts / "reviewer-scoring-390.png", full_page=True)

    # A draft with half the scores: kept, not counted.
    form = page.locator("main form[method=post]").filter(
        has=page.get_by_role("button", name="審査を提出"))
    groups = form.locator("fieldset:has(input[type=radio])")
    count = groups.count()
    assert count >= 2
    for index in range(count // 2):
        groups.nth(index).locator("input[type=radio][value='4']").check()
    page.get_by_label("事務局へのコメント").fill("予算の積算は妥当。指標の根拠を確認したい。")
    page.get_by_role("button", name="下書き保存").click()
    expect(page.locator(".messages")).to_contain_text("下書きを保存しました。")
    review = Review.objects.get(assignment=assignment)
    assert review.status == Review.Status.DRAFT and review.scores.count() == count // 2
    expect(page.locator("input[type=radio][value='4']:checked")).to_have_count(count // 2)

    # Every criterion and a recommendation, then submit.
    for index in range(count):
        groups.nth(index).locator("input[type=radio][value='4']").check()
    page.get_by_label("総合評価").select_option(label="推薦する")
    page.get_by_role("button", name="審査を提出").click()
    expect(page.locator(".messages")).to_contain_text("審査を提出しました。")
    expect(page.get_by_role("heading", name="あなたの審査")).to_contain_text("提出済み")
    expect(page.get_by_role("button", name="審査を提出")).to_have_count(0)
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED and review.scores.count() == count
    assert_fits(page)

    # Back in the queue, the row says submitted.
    page.get_by_role("link", name="担当する審査に戻る").click()
    expect(page.locator("main table tbody tr").filter(has_text=application.title)).to_contain_text(
        "提出済み")
    assert_fits(page)
