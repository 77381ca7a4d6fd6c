"""Frozen versions: pages, the diff between versions and the receipt PDF."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from applications.diff import version_diff
from applications.receipts import receipt_pdf
from applications.services import return_application, save_draft, submit_application
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resubmitted(open_round, organisation, applicant, officer):
    application = ApplicationFactory(
        funding_round=open_round, organisation=organisation, title="初版の事業名",
        lines=[(2026, 500_000), (2027, 400_000)],
    )
    submit_application(application=application, by=applicant)
    return_application(application=application, by=officer, note="2年目の予算を見直してください。")
    application.refresh_from_db()
    category = open_round.expense_categories.get()
    save_draft(application=application, by=applicant, lock_version=application.lock_version,
               content={"title": "改訂版の事業名", "budget_lines": [
                   {"fiscal_year": 2026, "expense_category_id": category.pk, "amount_yen": 500_000,
                    "description": "スタッフ人件費"},
                   {"fiscal_year": 2027, "expense_category_id": category.pk, "amount_yen": 450_000,
                    "description": "スタッフ人件費"},
                   {"fiscal_year": 2027, "expense_category_id": category.pk, "amount_yen": 10_000,
                    "description": "会場費"},
               ]})
    submit_application(application=application, by=applicant)
    return application


def test_every_version_stays_viewable(client, applicant, resubmitted):
    client.force_login(applicant)
    page = client.get(reverse("applications:detail", args=[resubmitted.pk])).content.decode()
    assert reverse("applications:version", args=[resubmitted.pk, 1]) in page
    assert reverse("applications:version", args=[resubmitted.pk, 2]) in page
    first = client.get(reverse("applications:version", args=[resubmitted.pk, 1]))
    second = client.get(reverse("applications:version", args=[resubmitted.pk, 2]))
    assert "初版の事業名" in first.content.decode()
    assert "改訂版の事業名" in second.content.decode()


def test_diff_names_changed_fields_and_lines(resubmitted):
    old, new = resubmitted.versions.order_by("number")
    diff = version_diff(old.content, new.content)
    assert [f["name"] for f in diff["fields"]] == ["title", "requested_yen"]
    assert "-初版の事業名" in diff["fields"][0]["diff"]
    assert "+改訂版の事業名" in diff["fields"][0]["diff"]
    kinds = [(c["kind"], c["old"] is not None, c["new"] is not None) for c in diff["budget_lines"]]
    assert kinds == [("changed", True, True), ("added", False, True)]
    assert "400,000" in diff["budget_lines"][0]["old"]
    assert "450,000" in diff["budget_lines"][0]["new"]
    assert "会場費" in diff["budget_lines"][1]["new"]


def test_diff_of_identical_versions_is_empty(resubmitted):
    version = resubmitted.versions.first()
    diff = version_diff(version.content, version.content)
    assert diff == {"fields": [], "budget_lines": [], "indicators": [],
                    "consortium_members": [], "attachments": []}


def test_diff_page(client, officer, resubmitted):
    client.force_login(officer)
    response = client.get(reverse("applications:diff", args=[resubmitted.pk]) + "?from=1&to=2")
    body = response.content.decode()
    assert response.status_code == 200
    assert "+改訂版の事業名" in body
    assert "会場費" in body


def test_diff_page_needs_two_versions(client, applicant, draft):
    submit_application(application=draft, by=applicant)
    client.force_login(applicant)
    assert client.get(reverse("applications:diff", args=[draft.pk])).status_code == 404


def pdf_text(data: bytes, tmp_path) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    path = tmp_path / "receipt.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S603,S607
                            capture_output=True, check=True)
    return result.stdout.decode()


def test_receipt_pdf_holds_the_japanese_text(client, applicant, draft, tmp_path):
    version = submit_application(application=draft, by=applicant)
    client.force_login(applicant)
    response = client.get(reverse("applications:receipt", args=[draft.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="receipt-{version.receipt_number}.pdf"')
    data = response.content
    assert data.startswith(b"%PDF")
    assert b"IPAexGothic" in data and b"/FontFile2" in data  # the font is embedded
    text = pdf_text(data, tmp_path)
    if text is None:
        pytest.skip("pdftotext is not installed; the embedded font was checked")
    compact = "".join(text.split())
    for expected in ("受付票", draft.organisation.name.replace(" ", ""), draft.title,
                     draft.funding_round.title_ja.replace(" ", ""), version.receipt_number,
                     "500,000", "2026"):
        assert expected in compact


def test_receipt_escapes_markup_in_user_text(applicant, draft):
    draft.title = "<b>太字</b> & <font size=40>"
    draft.save()
    version = submit_application(application=draft, by=applicant)
    assert receipt_pdf(version).startswith(b"%PDF")
