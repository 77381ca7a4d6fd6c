"""Submitted versions keep their files: after a return for correction
(差戻し), removing an attachment from the draft never deletes what a
submitted version names; the version's file downloads unchanged for
everyone who may see the application."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, Attachment, VersionAttachment
from applications.services import add_attachment, remove_attachment, submit_application

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _version_file_url(application, number=1, position=1):
    return reverse("applications:version_attachment", args=[application.pk, number, position])


def _submit(client, application, key):
    return client.post(reverse("applications:submit", args=[application.pk]),
                       {"declaration": "on", "idempotency_key": key})


@pytest.fixture
def returned_and_removed(client, applicant, officer, draft, django_capture_on_commit_callbacks):
    """Version 1 submitted with 計画書.pdf, returned, the file removed from
    the draft: all through the pages."""
    client.force_login(applicant)
    client.post(reverse("applications:attachment_upload", args=[draft.pk]),
                {"file": SimpleUploadedFile("計画書.pdf", PDF, content_type="application/pdf")})
    assert _submit(client, draft, "k-1").status_code == 302
    client.force_login(officer)
    client.post(reverse("applications:return", args=[draft.pk]), {"note": "予算を直してください"})
    draft.refresh_from_db()
    assert draft.status == Application.Status.RETURNED
    client.force_login(applicant)
    attachment = Attachment.objects.get(application=draft)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:attachment_delete", args=[draft.pk, attachment.pk])
        )
    assert response.status_code == 302
    assert not Attachment.objects.filter(application=draft).exists()
    client.logout()
    return draft


@pytest.mark.parametrize("persona", ["applicant", "officer", "other_officer", "oversight"])
def test_the_versions_file_still_downloads_after_the_draft_removed_it(
    request, client, returned_and_removed, persona
):
    application = returned_and_removed
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_version_file_url(application))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment;" in response["Content-Disposition"]
    stored = VersionAttachment.objects.get(version__application=application)
    assert default_storage.exists(stored.file.name)


@pytest.mark.parametrize(("persona", "expected"), [("outsider", 404), ("reviewer", 404)])
def test_others_cannot_download_a_versions_file(request, client, returned_and_removed, persona,
                                                expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_version_file_url(returned_and_removed)).status_code == expected


def test_the_version_page_links_its_files_and_a_resubmission_without_them_keeps_them(
    client, applicant, returned_and_removed
):
    application = returned_and_removed
    client.force_login(applicant)
    assert _submit(client, application, "k-2").status_code == 302
    body = client.get(reverse("applications:version", args=[application.pk, 1])).content.decode()
    assert _version_file_url(application) in body
    assert "計画書.pdf" in body
    assert not VersionAttachment.objects.filter(version__number=2).exists()
    assert client.get(_version_file_url(application, number=2)).status_code == 404
    response = client.get(_version_file_url(application))
    assert b"".join(response.streaming_content) == PDF


def test_a_file_no_version_names_is_deleted_with_the_draft_attachment(
    applicant, draft, django_capture_on_commit_callbacks
):
    kept = add_attachment(application=draft, by=applicant,
                          upload=SimpleUploadedFile("計画書.pdf", PDF))
    version = submit_application(application=draft, by=applicant)
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.RETURNED)
    draft.refresh_from_db()
    extra = add_attachment(application=draft, by=applicant,
                           upload=SimpleUploadedFile("追加.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment=extra, by=applicant)
        remove_attachment(attachment=kept, by=applicant)

    assert not default_storage.exists(extra.file.name)  # never submitted
    assert default_storage.exists(kept.file.name)  # version 1 names it
    assert version.attachments.get().file.name == kept.file.name
