"""Every write to applications and every application transition."""

import hashlib
import os
from functools import partial
from uuid import uuid4

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import format_datetime
from core.errors import DomainError, InvalidInput, StaleVersion
from core.transitions import record, transition
from grants.models import FundingRound

from .content import (
    CONTENT_FIELDS,
    INDICATOR_KEYS,
    LINE_KEYS,
    MEMBER_KEYS,
    SCALAR_FIELDS,
    editable_content,
    normalise_content,
    same_content,
    snapshot,
)
from .models import (
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    BudgetLine,
    ConsortiumMember,
    Indicator,
    ReceiptCounter,
    VersionAttachment,
)
from .notifications import queue_return_notice, queue_submission_confirmation
from .rules import application_problems


class RulesFailed(DomainError):
    """Submission refused by the round's rules; `problems` lists them all."""

    def __init__(self, problems):
        super().__init__(" ".join(p.message for p in problems), code="rules_failed")
        self.problems = problems


CANNOT_MOVE = gettext_lazy("An application cannot move from %(from)s to %(to)s.")


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("funding_round__programme", "organisation", "theme", "tier")
        .get(pk=application.pk)
    )


@transaction.atomic
def set_application_status(*, application: Application, to: str, by, reason: str = "") -> Application:
    """Move an application along its table; used by higher apps (reviews
    moves to under review, awarded or declined)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    transition(application, to, by=by, action=ApplicationEvent.Action.STATUS, why=reason,
               event_model=ApplicationEvent, application=application, refusal=CANNOT_MOVE)
    return application


# --- Drafts ---------------------------------------------------------------------


@transaction.atomic
def create_application(*, funding_round: FundingRound, organisation, by) -> Application:
    """A member starts a draft for their organisation in a round that accepts
    applications now."""
    if not organisation.has_member(by):
        raise DomainError(
            _("You can apply only for an organisation you are a member of."),
            code="not_member", field="organisation",
        )
    if not funding_round.is_accepting():
        raise DomainError(
            _("This funding round is not accepting applications."), code="round_not_accepting",
            field="funding_round",
        )
    application = Application.objects.create(
        funding_round=funding_round, organisation=organisation, created_by=by
    )
    record(ApplicationEvent, by=by, action=ApplicationEvent.Action.CREATED,
           application=application, to_status=application.status)
    return application


@transaction.atomic
def save_draft(*, application: Application, by, lock_version: int | None, content: dict) -> Application:
    """Save the applicant's edits. A save based on an older `lock_version`
    than the stored one is refused (two tabs never overwrite each other);
    a save that changes nothing is accepted whatever its version."""
    application = _locked(application)
    current = editable_content(application)
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown content fields: {sorted(unknown)}")
    merged = {**current, **normalise_content(content)}
    if same_content(current, merged):
        return application
    if not application.is_editable:
        raise DomainError(
            _("This application is %(status)s and can no longer be edited.")
            % {"status": application.get_status_display()},
            code="not_editable",
        )
    if lock_version is None or int(lock_version) != application.lock_version:
        raise StaleVersion(
            _("This draft was changed elsewhere (another tab, window or person) after you "
              "opened it. Your input was not saved; copy what you need, then reload the draft.")
        )
    _check_references(application, merged)
    _apply(application, merged)
    return application


def _check_references(application, content) -> None:
    """Theme and tier must be the round's own (the forms offer only those)."""
    funding_round = application.funding_round
    for field, related in (("theme_id", funding_round.themes), ("tier_id", funding_round.tiers)):
        value = content.get(field)
        if value is not None and not related.filter(pk=value).exists():
            raise InvalidInput(
                _("Choose a %(field)s offered by this funding round.")
                % {"field": Application._meta.get_field(field[:-3]).verbose_name},
                code="not_in_round", field=field[:-3],
            )


def _apply(application: Application, content: dict) -> None:
    for field in SCALAR_FIELDS:
        setattr(application, field, content[field])
    application.theme_id = content["theme_id"]
    application.tier_id = content["tier_id"]
    application.prefectures = content["prefectures"]
    application.requested_yen = sum(line["amount_yen"] for line in content["budget_lines"])
    application.lock_version += 1
    application.save()
    application.target_groups.set(content["target_group_ids"])
    for model, rows, keys in (
        (BudgetLine, content["budget_lines"], LINE_KEYS),
        (Indicator, content["indicators"], INDICATOR_KEYS),
        (ConsortiumMember, content["consortium_members"], MEMBER_KEYS),
    ):
        model.objects.filter(application=application).delete()
        model.objects.bulk_create(
            model(application=application, **{key: row[key] for key in keys}) for row in rows
        )


# --- Submission -----------------------------------------------------------------

# NOTE: an application returned for correction (差戻し) during screening may be
# resubmitted after the closing time, as long as the round is still before its
# decisions; a first submission needs the round to be accepting.
RESUBMIT_ROUND_STATUSES = frozenset(
    {FundingRound.Status.OPEN, FundingRound.Status.CLOSED, FundingRound.Status.REVIEWING}
)


@transaction.atomic
def submit_application(*, application: Application, by, idempotency_key: str | None = None
                       ) -> ApplicationVersion:
    """Freeze the draft as the next numbered version with a receipt number.
    Only while the round accepts applications (server time, Asia/Tokyo) and
    the rules pass. Idempotent: submitting again what is already submitted
    returns the same version and creates nothing."""
    application = _locked(application)
    if idempotency_key:
        version = application.versions.filter(idempotency_key=idempotency_key).first()
        if version:
            return version
    if application.status == Application.Status.SUBMITTED:
        version = application.versions.order_by("-number").first()
        if version:
            return version
    if getattr(by, "is_authenticated", False) and by.email_verified_at is None:
        raise DomainError(
            _("Verify your e-mail address before you submit: open the link in the e-mail we "
              "sent you, or send a new one from the notice at the top of the page."),
            code="email_unverified",
        )
    if application.status not in Application.EDITABLE:
        raise DomainError(
            _("This application is %(status)s and cannot be submitted.")
            % {"status": application.get_status_display()},
            code="bad_transition",
        )
    now = timezone.now()
    _check_open(application, now)
    problems = application_problems(application)
    if problems:
        raise RulesFailed(problems)
    version = _freeze(application, by=by, at=now, idempotency_key=idempotency_key or "")
    # NOTE: queued in this transaction (core.outbox): sent after commit, and a
    # mail outage leaves it queued instead of failing the submission.
    queue_submission_confirmation(version.pk)
    return version


def _check_open(application: Application, now) -> None:
    funding_round = application.funding_round
    if application.status == Application.Status.RETURNED:
        if funding_round.status in RESUBMIT_ROUND_STATUSES:
            return
    elif funding_round.is_accepting(now):
        return
    raise DomainError(
        _("This funding round is not accepting applications (closing time %(closes)s).")
        % {"closes": format_datetime(funding_round.closes_at, wareki=True)},
        code="round_closed",
    )


def _freeze(application: Application, *, by, at, idempotency_key: str = "") -> ApplicationVersion:
    number = (application.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    if not application.receipt_number:
        application.receipt_number = _next_receipt_number(application.funding_round)
    receipt = application.receipt_number if number == 1 else f"{application.receipt_number}-{number}"
    version = ApplicationVersion.objects.create(
        application=application,
        number=number,
        content=snapshot(application),
        receipt_number=receipt,
        submitted_at=at,
        submitted_by=by if getattr(by, "pk", None) else None,
        idempotency_key=idempotency_key,
    )
    _freeze_attachments(application, version)
    transition(application, Application.Status.SUBMITTED, by=by,
               action=ApplicationEvent.Action.STATUS, event_model=ApplicationEvent,
               application=application, changes={"version": number, "receipt_number": receipt},
               save=False, refusal=CANNOT_MOVE)
    application.submitted_at = at
    application.save(update_fields=["status", "submitted_at", "receipt_number", "updated_at"])
    return version


def _freeze_attachments(application: Application, version: ApplicationVersion) -> None:
    """The version names the files the draft has now. Stored files are never
    rewritten and one a version names is never deleted, so the version's
    files stay as submitted whatever the draft does later."""
    VersionAttachment.objects.bulk_create(
        VersionAttachment(
            version=version, position=position, file=attachment.file.name,
            original_name=attachment.original_name, content_type=attachment.content_type,
            size_bytes=attachment.size_bytes, sha256=attachment.sha256,
        )
        for position, attachment in enumerate(application.attachments.order_by("created_at", "id"),
                                              start=1)
    )


def _next_receipt_number(funding_round: FundingRound) -> str:
    """<PROGRAMME CODE>-<fiscal year>-<6-digit sequence>, e.g. A-2026-000123."""
    counter, _created = ReceiptCounter.objects.select_for_update().get_or_create(
        programme=funding_round.programme, fiscal_year=funding_round.fiscal_year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    code = funding_round.programme.code.upper()
    return f"{code}-{funding_round.fiscal_year}-{counter.last_number:06d}"


@transaction.atomic
def withdraw_application(*, application: Application, by, reason: str = "") -> Application:
    """The applicant withdraws, at any time before a decision."""
    application = _locked(application)
    transition(application, Application.Status.WITHDRAWN, by=by, why=reason,
               action=ApplicationEvent.Action.STATUS, event_model=ApplicationEvent,
               application=application, refusal=CANNOT_MOVE)
    return application


# --- Screening ------------------------------------------------------------------


@transaction.atomic
def return_application(*, application: Application, by, note: str) -> Application:
    """Staff return a submitted application for correction (差戻し) with a note
    the applicant sees; the applicant edits and resubmits as a new version."""
    note = (note or "").strip()
    if not note:
        raise DomainError(
            _("Note to the applicant is required when returning an application."),
            code="note_required", field="note",
        )
    application = _locked(application)
    event = transition(application, Application.Status.RETURNED, by=by, why=note,
                       action=ApplicationEvent.Action.STATUS, event_model=ApplicationEvent,
                       application=application, save=False, refusal=CANNOT_MOVE)
    application.screening_note = note
    application.save(update_fields=["status", "screening_note", "updated_at"])
    queue_return_notice(event.pk)
    return application


@transaction.atomic
def screen_application(*, application: Application, by, eligible: bool, reason: str = "") -> Application:
    """Staff record the eligibility screening; ineligible needs a reason."""
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise DomainError(
            _("Reason is required when an application is found ineligible."),
            code="reason_required", field="reason",
        )
    application = _locked(application)
    to = Application.Status.ELIGIBLE if eligible else Application.Status.INELIGIBLE
    transition(application, to, by=by, why=reason, action=ApplicationEvent.Action.STATUS,
               event_model=ApplicationEvent, application=application, save=False,
               refusal=CANNOT_MOVE)
    application.screening_note = reason
    application.save(update_fields=["status", "screening_note", "updated_at"])
    return application


# --- Attachments ----------------------------------------------------------------

# Detected from the file's first bytes (filetype), never from its name or the
# browser's content type.
ALLOWED_TYPES = {
    "application/pdf": ("pdf",),
    "application/msword": ("doc",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.ms-excel": ("xls",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
}
MAX_NAME_LENGTH = 150


def _clean_name(name: str, extension: str, extensions) -> str:
    """A safe display name: no path, no odd characters, the real extension."""
    base = os.path.basename((name or "").replace("\\", "/"))
    try:
        base = get_valid_filename(base)
    except SuspiciousFileOperation:
        base = "attachment"
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    if suffix.lower() not in extensions:
        stem = base
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1] or "attachment"
    return f"{stem}.{suffix if suffix.lower() in extensions else extension}"


@transaction.atomic
def add_attachment(*, application: Application, by, upload) -> Attachment:
    """Attach a PDF, Word, Excel or image file (by content) within the size limit."""
    application = _locked(application)
    if not application.is_editable:
        raise DomainError(
            _("Attachments can be added only while the application is editable."),
            code="not_editable", field="file",
        )
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise DomainError(
            _("File: %(name)s is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"name": os.path.basename(upload.name or ""),
               "size": f"{upload.size / 1_048_576:.1f}",
               "limit": f"{settings.UPLOAD_MAX_BYTES / 1_048_576:.1f}"},
            code="file_too_large", field="file",
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise DomainError(
            _("File: %(name)s is not a PDF, Word, Excel, PNG or JPEG file (checked by its "
              "content, not its name).") % {"name": os.path.basename(upload.name or "")},
            code="file_type_not_allowed", field="file",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    extensions = ALLOWED_TYPES[kind.mime]
    stored = default_storage.save(
        f"applications/{application.pk}/{uuid4().hex}.{extensions[0]}", upload
    )
    attachment = Attachment.objects.create(
        application=application,
        file=stored,
        original_name=_clean_name(upload.name, extensions[0], extensions),
        content_type=kind.mime,
        size_bytes=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    record(ApplicationEvent, by=by, action=ApplicationEvent.Action.ATTACHMENT_ADDED,
           application=application, changes={"name": attachment.original_name, "size_bytes": attachment.size_bytes})
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, by) -> None:
    """Remove an attachment while the application is editable; submitted
    versions keep the file (it is deleted only when no version names it)."""
    application = _locked(attachment.application)
    if not application.is_editable:
        raise DomainError(
            _("Attachments can be removed only while the application is editable."),
            code="not_editable",
        )
    name = attachment.file.name
    record(ApplicationEvent, by=by, action=ApplicationEvent.Action.ATTACHMENT_REMOVED,
           application=application, changes={"name": attachment.original_name})
    attachment.delete()
    # SECURITY: a submitted version may name this file (its content is
    # evidence of what was submitted); only a file nothing names is deleted.
    # The application's row lock orders this against a submission.
    if not VersionAttachment.objects.filter(file=name).exists():
        transaction.on_commit(partial(default_storage.delete, name))
