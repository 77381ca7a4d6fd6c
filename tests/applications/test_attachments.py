"""Attachments: type by content, size limit, safe names, policy-checked download."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from applications.models import Attachment
from applications.services import add_attachment, remove_attachment, submit_application
from core.errors import DomainError

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "予算"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, application, name, content):
    return client.post(
        reverse("applications:attachment_upload", args=[application.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("計画書.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("計画.docx", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("予算.xlsx", None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_allowed_types_are_detected_by_content(client, applicant, draft, name, content, mime):
    content = content or (docx_bytes() if name.endswith("docx") else xlsx_bytes())
    client.force_login(applicant)
    response = upload(client, draft, name, content)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.size_bytes) == (
        name, mime, len(content))
    assert attachment.file.name.startswith(f"applications/{draft.pk}/")
    assert name not in attachment.file.name  # stored under a random name
    assert default_storage.exists(attachment.file.name)


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,  # a Windows .exe
     "ただのテキストです。".encode() * 20],
)
def test_other_content_renamed_pdf_is_refused(client, applicant, draft, content):
    client.force_login(applicant)
    response = upload(client, draft, "申請書.pdf", content)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    with pytest.raises(DomainError) as refused:
        add_attachment(application=draft, by=applicant,
                       upload=SimpleUploadedFile("申請書.pdf", content))
    assert (refused.value.code, refused.value.field) == ("file_type_not_allowed", "file")


def test_files_over_the_limit_are_refused(client, applicant, draft, settings):
    settings.UPLOAD_MAX_BYTES = 50
    client.force_login(applicant)
    response = upload(client, draft, "big.pdf", PDF + b" " * 10)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    with pytest.raises(DomainError) as refused:
        add_attachment(application=draft, by=applicant, upload=SimpleUploadedFile("big.pdf", PDF))
    assert refused.value.code == "file_too_large"


def test_a_file_exactly_at_the_limit_is_accepted(applicant, draft, settings):
    settings.UPLOAD_MAX_BYTES = len(PDF)
    add_attachment(application=draft, by=applicant, upload=SimpleUploadedFile("ok.pdf", PDF))
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\報告 書.pdf", "報告_書.pdf"),
        ("<b>x</b><img onerror=alert(1)>.pdf", "bimg_onerroralert1.pdf"),
        ("report.exe", "report.exe.pdf"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_names_are_sanitised(applicant, draft, name, expected):
    attachment = add_attachment(application=draft, by=applicant,
                                upload=SimpleUploadedFile(name, PDF))
    assert attachment.original_name == expected


def test_download_is_an_attachment_with_nosniff(client, applicant, draft):
    attachment = add_attachment(application=draft, by=applicant,
                                upload=SimpleUploadedFile("計画書.pdf", PDF))
    client.force_login(applicant)
    response = client.get(reverse("applications:attachment", args=[draft.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(("persona", "expected"), [
    ("outsider", 404), ("reviewer", 404), ("oversight", 200), ("officer", 200),
    ("other_officer", 200), ("applicant", 200),
])
def test_download_follows_the_view_policy(request, client, draft, applicant, persona, expected):
    attachment = add_attachment(application=draft, by=applicant,
                                upload=SimpleUploadedFile("計画書.pdf", PDF))
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("applications:attachment", args=[draft.pk, attachment.pk]))
    assert response.status_code == expected


def test_attachments_are_frozen_only_while_editable(applicant, draft):
    attachment = add_attachment(application=draft, by=applicant,
                                upload=SimpleUploadedFile("計画書.pdf", PDF))
    version = submit_application(application=draft, by=applicant)
    assert version.content["attachments"][0]["name"] == "計画書.pdf"
    assert len(version.content["attachments"][0]["sha256"]) == 64
    with pytest.raises(DomainError):
        remove_attachment(attachment=attachment, by=applicant)
    with pytest.raises(DomainError):
        add_attachment(application=draft, by=applicant, upload=SimpleUploadedFile("b.pdf", PDF))
    assert Attachment.objects.count() == 1


def test_removing_deletes_the_file(client, applicant, draft, django_capture_on_commit_callbacks):
    attachment = add_attachment(application=draft, by=applicant,
                                upload=SimpleUploadedFile("計画書.pdf", PDF))
    name = attachment.file.name
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:attachment_delete", args=[draft.pk, attachment.pk]))
    assert not Attachment.objects.exists()
    assert not default_storage.exists(name)


def test_outsiders_cannot_upload(client, outsider, draft):
    client.force_login(outsider)
    assert upload(client, draft, "x.pdf", PDF).status_code == 404
    assert not Attachment.objects.exists()
