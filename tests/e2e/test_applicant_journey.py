"""Issue 3's journey in a real browser: an applicant registers, creates an
organisation, fills in an application (a validation error and a refused
submission on the way, neither losing input), submits it, downloads the
receipt PDF and sees it on the dashboard; programme staff find it in their
list and return it for correction; the applicant sees it returned.

Driven by labels and roles, as a keyboard or screen-reader user would, in the
English UI (switched through the language form, so selectors do not depend
on the state of the ja catalog). Screenshots and the receipt go to
artifacts/e2e/.
"""

import re
import shutil
import subprocess
import warnings
from datetime import timedelta

import pytest
from django.utils import timezone

from core.corporate_number import corporate_number_check_digit
from core.fiscal import current_fiscal_year
from core.roles import Role
from core.vocab import LegalForm
from grants.models import FundingRound
from tests.factories import (
    ExpenseCategoryFactory,
    FundingRoundFactory,
    ProgrammeFactory,
    ScaleTierFactory,
    TargetGroupFactory,
    ThemeFactory,
    UserFactory,
)

from .conftest import pass_two_factor

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

STAFF_EMAIL = "tanto@e2e.example.jp"
STAFF_PASSWORD = "pw-correct-horse"  # UserFactory's password
APPLICANT_EMAIL = "hanako@e2e.example.jp"
APPLICANT_PASSWORD = "Tsunagari-e2e-2026!"
ORGANISATION = "NPO法人 みらいつなぎ"
PROJECT = "商店街の縁側カフェ"
NOTE = "予算の説明を補足してください。Please explain the honoraria line."

EXPENSES = [
    ("personnel", "人件費", "Personnel"),
    ("honoraria", "謝金", "Honoraria"),
    ("travel", "旅費", "Travel"),
    ("consumables", "消耗品費", "Consumables"),
    ("meetings", "会議費", "Meetings"),
    ("printing", "印刷製本費", "Printing and binding"),
    ("communication", "通信運搬費", "Communication and shipping"),
]


def _open_round_like_programme_a():
    """This fiscal year's call of programme A: accepting now, closing in ten days."""
    staff = UserFactory(email=STAFF_EMAIL, role=Role.PROGRAMME_STAFF, full_name="担当 職員")
    programme = ProgrammeFactory(
        code="npo-community", staff=[staff],
        name_ja="地域における孤独・孤立対策に関するNPO等の取組モデル調査",
        name_en="Community model projects against loneliness and isolation by NPOs",
    )
    # get_or_create by code: the managed lists seeded by grants' migration.
    categories = [
        ExpenseCategoryFactory(code=code, name_ja=ja, name_en=en) for code, ja, en in EXPENSES
    ]
    year = current_fiscal_year()
    funding_round = FundingRoundFactory(
        programme=programme, fiscal_year=year, status=FundingRound.Status.OPEN,
        title_ja=f"{year}年度 地域における孤独・孤立対策に関するNPO等の取組モデル調査 公募",
        title_en=f"FY{year} call: community model projects by NPOs",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=10),
        max_award_years=1, allowed_legal_forms=[str(LegalForm.NPO), str(LegalForm.VOLUNTARY)],
        min_prefectures=1, expense_categories=categories,
    )
    ThemeFactory(funding_round=funding_round, number=1,
                 title_ja="誰もが気軽に参加できる地域のゆるやかなつながりの場づくり",
                 title_en="Places for loose community ties anyone can join")
    ScaleTierFactory(funding_round=funding_round, code="municipal", name_ja="市区町村区域想定",
                     name_en="Municipal area", ceiling_yen=2_000_000)
    TargetGroupFactory(code="older_alone", name_ja="一人暮らしの高齢者",
                       name_en="Older people living alone")
    return funding_round


def _valid_corporate_number() -> str:
    base = "700150005000"
    return f"{corporate_number_check_digit(base)}{base}"


def field(page, label):
    """An accounts form field; their labels may end with "(required)"."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(required\))?$"))


def switch_to_english(page):
    # The page starts in Japanese: find the language form by its roles.
    language_form = page.locator("form.lang")
    language_form.get_by_role("combobox").select_option(label="English")
    language_form.get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def log_out(page):
    page.get_by_role("button", name=re.compile(r"^Log out")).click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def log_in(page, email, password):
    page.goto("/accounts/login/")
    field(page, "E-mail address").fill(email)
    field(page, "Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    pass_two_factor(page, email)  # programme staff set up an authenticator app first
    expect(page.get_by_role("button", name=re.compile(r"^Log out"))).to_be_visible()


def verify_email_from_the_mail(page):
    """Open the link of the verification e-mail registration sent (the outbox
    delivered it to Django's locmem outbox in this process)."""
    from django.core import mail

    banner = page.locator(".verify-banner")
    expect(banner).to_contain_text("is not verified yet")
    message = next(m for m in reversed(mail.outbox) if m.to == [APPLICANT_EMAIL])
    path = re.search(r"https?://[^/\s]+(/accounts/verify-email/[^\s]+/)", message.body)[1]
    page.goto(path)
    expect(page.get_by_role("status").filter(has_text="is verified")).to_be_visible()
    expect(page.locator(".verify-banner")).to_have_count(0)


def nav_link(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def register_and_create_organisation(page):
    page.goto("/")
    switch_to_english(page)
    page.goto("/accounts/register/")
    expect(page.get_by_role("heading", name="Register an account")).to_be_visible()
    field(page, "E-mail address").fill(APPLICANT_EMAIL)
    field(page, "Full name").fill("申請 花子")
    field(page, "Password").fill(APPLICANT_PASSWORD)
    field(page, "Password confirmation").fill(APPLICANT_PASSWORD)
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", name="Create your organisation")).to_be_visible()
    field(page, "Name").fill(ORGANISATION)
    field(page, "Name (kana)").fill("エヌピーオーホウジン ミライツナギ")
    field(page, "Legal form").select_option(label="NPO corporation (NPO法人)")
    field(page, "Corporate number").fill(_valid_corporate_number())
    field(page, "Representative").fill("代表 花子")
    field(page, "Postal code").fill("100-8914")
    field(page, "Prefecture").select_option(label="Tokyo")
    field(page, "Municipality").fill("千代田区")
    field(page, "Street address").fill("永田町1-6-1")
    field(page, "Contact e-mail").fill("info@mirai.example.jp")
    field(page, "Phone").fill("03-5253-2111")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ORGANISATION)


def start_application(page, funding_round):
    nav_link(page, "My applications").click()
    expect(page.get_by_role("heading", name="My applications")).to_be_visible()
    page.get_by_role("link", name=f"Apply to {funding_round.title_en}").click()
    expect(page.get_by_label("Organisation applying")).to_have_value(re.compile(r"\d+"))
    page.get_by_role("button", name="Start the application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit application")


def budget(page):
    return page.get_by_role("table", name="Budget lines")


def fill_application_without_summary(page, year):
    """Everything but the summary, and a mistyped amount."""
    page.get_by_label("Project title").fill(PROJECT)
    page.get_by_label("Theme").select_option(label="1. Places for loose community ties anyone can join")
    page.get_by_label("Scale tier").select_option(label="Municipal area")
    page.get_by_label("Background and need").fill("商店街に一人暮らしの高齢者が増え、日中に話す相手がいない。")
    page.get_by_role("group", name="Target groups").get_by_label(
        "Older people living alone", exact=True).check()
    page.get_by_role("group", name="Prefectures of activity").get_by_label(
        "Tokyo", exact=True).check()
    page.get_by_label("Municipalities").fill("千代田区")
    page.get_by_label("Planned activities").fill("空き店舗で週3回の縁側カフェを開く。")
    page.get_by_label("Sustainability after the grant").fill("商店会の会費と寄付で続ける。")
    lines = budget(page)
    lines.get_by_label("Row 1: Fiscal year").select_option(label=f"FY{year}")
    lines.get_by_label("Row 1: Expense category").select_option(label="Personnel")
    lines.get_by_label("Row 1: Amount (yen)").fill("1,500,000x")
    lines.get_by_label("Row 1: Description").fill("コーディネーター")
    lines.get_by_label("Row 2: Fiscal year").select_option(label=f"FY{year}")
    lines.get_by_label("Row 2: Expense category").select_option(label="Honoraria")
    lines.get_by_label("Row 2: Amount (yen)").fill("５０００００円")  # full-width is accepted
    indicators = page.get_by_role("table", name="Planned indicators")
    indicators.get_by_label("Row 1: Indicator").fill("参加者数")
    indicators.get_by_label("Row 1: Unit").fill("人")
    indicators.get_by_label("Row 1: Fiscal year").select_option(label=f"FY{year}")
    indicators.get_by_label("Row 1: Target").fill("600")


def autosave_status(page):
    return page.locator("#autosave-status")


def test_applicant_applies_and_staff_return_it_for_correction(page, artifacts):
    funding_round = _open_round_like_programme_a()
    year = funding_round.fiscal_year

    register_and_create_organisation(page)
    verify_email_from_the_mail(page)
    start_application(page, funding_round)
    fill_application_without_summary(page, year)

    # Autosave reports the mistyped amount and saves the rest.
    expect(autosave_status(page)).to_contain_text("Not saved:")
    expect(autosave_status(page)).to_contain_text("Amount (yen)")

    # An explicit save shows the error next to the field and keeps every input.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").filter(has_text="Your input is kept")).to_be_visible()
    expect(budget(page)).to_contain_text("Enter an amount in whole yen, e.g. 1,500,000 or 150万.")
    expect(page.get_by_label("Project title")).to_have_value(PROJECT)
    expect(page.get_by_label("Planned activities")).to_have_value("空き店舗で週3回の縁側カフェを開く。")
    expect(budget(page).get_by_label("Row 1: Amount (yen)")).to_have_value("1,500,000x")
    expect(page.get_by_role("group", name="Prefectures of activity").get_by_label(
        "Tokyo", exact=True)).to_be_checked()
    page.screenshot(path=artifacts / "validation-error.png", full_page=True)

    # Fixed: autosave saves it, the total is exactly the tier's ceiling, and
    # the rule for the missing summary names the field.
    budget(page).get_by_label("Row 1: Amount (yen)").fill("1,500,000")
    expect(autosave_status(page)).to_contain_text("Draft saved at")
    expect(page.locator("#requested-total")).to_have_text("¥2,000,000")
    problems = page.locator("#problems")
    expect(problems).to_contain_text("Summary is required.")

    # Submitting is refused until the rule is met; the draft stays as typed.
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_role("status").filter(has_text="Not submitted")).to_be_visible()
    expect(problems).to_contain_text("Summary is required.")
    expect(page.get_by_label("Project title")).to_have_value(PROJECT)
    expect(budget(page).get_by_label("Row 1: Amount (yen)")).to_have_value("1,500,000")

    page.get_by_label("Summary").fill("商店街の空き店舗を、誰でも立ち寄れる縁側カフェにする。")
    expect(autosave_status(page)).to_contain_text("Draft saved at")
    expect(problems).to_be_hidden()
    page.get_by_role("button", name="Save and submit").click()
    # The confirmation page: tick the declaration (誓約), then submit.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirm and submit")
    page.get_by_label(re.compile("^I declare that everything in this application is true")).check()
    page.get_by_role("button", name="Submit the application").click()

    # The submitted application.
    notice = page.get_by_role("status").filter(has_text="Submitted. Receipt number")
    expect(notice).to_be_visible()
    receipt_number = re.search(r"Receipt number (\S+)\.", notice.inner_text())[1]
    expect(page.get_by_role("heading", level=1)).to_have_text(PROJECT)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Submitted")
    expect(facts).to_contain_text("¥2,000,000")
    expect(facts).to_contain_text(receipt_number)
    screenshot = artifacts / "submitted-application.png"
    page.screenshot(path=screenshot, full_page=True)
    print(f"\nscreenshot of the submitted application: {screenshot}")

    # The receipt PDF (受付票), with Japanese text.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Receipt .* \(PDF\)$")).click()
    receipt = artifacts / "receipt.pdf"
    download_info.value.save_as(receipt)
    assert receipt.read_bytes().startswith(b"%PDF")
    _check_receipt(receipt, receipt_number, artifacts)

    # The dashboard lists it with its status and receipt number.
    nav_link(page, "My applications").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=PROJECT))
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text(receipt_number)
    expect(row).to_contain_text(ORGANISATION)
    log_out(page)

    # Staff find it in their list and return it for correction (差戻し).
    log_in(page, STAFF_EMAIL, STAFF_PASSWORD)
    nav_link(page, "Applications").click()
    expect(page.get_by_role("heading", name="Applications", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=PROJECT))
    expect(row).to_contain_text(receipt_number)
    expect(row).to_contain_text(ORGANISATION)
    expect(row).to_contain_text("Submitted")
    page.screenshot(path=artifacts / "staff-list.png", full_page=True)
    row.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", name="Return for correction (差戻し)")).to_be_visible()
    page.get_by_label("Note to the applicant").fill(NOTE)
    page.get_by_role("button", name="Return to the applicant").click()
    expect(page.get_by_role("status")).to_contain_text("Returned to the applicant for correction.")
    expect(page.locator("dl.facts")).to_contain_text("Returned for correction")
    log_out(page)

    # The applicant sees it returned, with the note, and may resubmit.
    log_in(page, APPLICANT_EMAIL, APPLICANT_PASSWORD)
    nav_link(page, "My applications").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=PROJECT))
    expect(row).to_contain_text("Returned for correction")
    row.get_by_role("link", name=PROJECT).click()
    returned = page.get_by_role("region", name="Returned for correction")
    expect(returned).to_contain_text(NOTE)
    expect(page.get_by_role("button", name="Save and resubmit")).to_be_visible()
    expect(page.get_by_label("Project title")).to_have_value(PROJECT)
    page.screenshot(path=artifacts / "returned-application.png", full_page=True)


def _check_receipt(receipt, receipt_number, artifacts):
    """The receipt's text layer holds the Japanese text (so the font is
    embedded with a Unicode map); page 1 is rendered to a PNG to look at."""
    pdftotext, pdftoppm = shutil.which("pdftotext"), shutil.which("pdftoppm")
    if pdftotext is None:
        warnings.warn("pdftotext (poppler-utils) is not installed: the receipt's Japanese text "
                      "was not checked", stacklevel=2)
    else:
        text = subprocess.run(  # noqa: S603
            [pdftotext, "-layout", str(receipt), "-"], capture_output=True, check=True, text=True,
        ).stdout
        assert "受付" in text
        assert ORGANISATION in text
        assert PROJECT in text
        assert receipt_number in text
    if pdftoppm is not None:
        subprocess.run(  # noqa: S603
            [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(receipt),
             str(artifacts / "receipt-page1")],
            check=True,
        )
        image = artifacts / "receipt-page1.png"
        assert image.stat().st_size > 5_000
        print(f"receipt page 1: {image}")
