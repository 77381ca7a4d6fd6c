"""Claims to a 法人番号 (corporate number) registered to another organisation.

The first organisation to register a number does not own it for good: a
second one opens a claim with its evidence; programme staff accept it (the
number moves to the claimant, the previous holder loses it) or reject it
(nothing changes). Each step leaves a claim event; a move also leaves an
OrganisationEvent on both organisations. The owners are e-mailed the outcome
after commit, once.
"""

import os
from functools import partial
from uuid import uuid4

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.corporate_number import is_valid_corporate_number, normalise_corporate_number
from core.errors import DomainError
from core.transitions import actor, record, transition

from .models import (
    CorporateNumberClaim,
    CorporateNumberClaimEvent,
    Organisation,
    OrganisationEvent,
)
from .tasks import send_claim_outcome

EVIDENCE_TYPES = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
MAX_EVIDENCE_TEXT = 5000



def _stored_evidence(upload) -> tuple[str, str, str]:
    """Check an evidence file (PDF, PNG or JPEG by content, within the size
    limit) and store it under a random name; (path, display name, type)."""
    name = os.path.basename((upload.name or "").replace("\\", "/"))
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise DomainError(
            _("Evidence file: %(name)s is too large; the limit is %(limit)s MB.")
            % {"name": name, "limit": f"{settings.UPLOAD_MAX_BYTES / 1_048_576:.1f}"},
            code="file_too_large", field="evidence_file",
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise DomainError(
            _("Evidence file: %(name)s is not a PDF, PNG or JPEG file (checked by its "
              "content, not its name).") % {"name": name},
            code="file_type_not_allowed", field="evidence_file",
        )
    extension = EVIDENCE_TYPES[kind.mime]
    stored = default_storage.save(f"corporate_number_claims/{uuid4().hex}.{extension}", upload)
    try:
        display = get_valid_filename(name)[:150]
    except SuspiciousFileOperation:
        display = f"evidence.{extension}"
    return stored, display, kind.mime


@transaction.atomic
def open_corporate_number_claim(*, organisation: Organisation, corporate_number: str, by,
                                evidence_text: str = "", evidence_file=None
                                ) -> CorporateNumberClaim:
    """Claim a valid number that another organisation holds; one open claim
    per organisation and number."""
    number = normalise_corporate_number(corporate_number)
    if not is_valid_corporate_number(number):
        raise DomainError(
            _("The corporate number is not valid: it must be 13 digits with a correct check digit."),
            code="corporate_number_invalid", field="corporate_number",
        )
    evidence_text = (evidence_text or "").strip()
    if len(evidence_text) > MAX_EVIDENCE_TEXT:
        raise DomainError(
            _("Evidence: write at most %(limit)s characters.") % {"limit": MAX_EVIDENCE_TEXT},
            code="too_long", field="evidence_text",
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.corporate_number == number:
        raise DomainError(
            _("This corporate number is already registered to your organisation."),
            code="corporate_number_own", field="corporate_number",
        )
    holder = Organisation.objects.filter(corporate_number=number).first()
    if holder is None:
        raise DomainError(
            _("No organisation has registered this corporate number: enter it in your "
              "organisation's details instead."),
            code="corporate_number_free", field="corporate_number",
        )
    if organisation.corporate_number_claims.open().filter(corporate_number=number).exists():
        raise DomainError(
            _("Your organisation already has an open claim to this corporate number."),
            code="claim_already_open", field="corporate_number",
        )
    stored = ("", "", "")
    if evidence_file:
        stored = _stored_evidence(evidence_file)
    try:
        with transaction.atomic():
            claim = CorporateNumberClaim.objects.create(
                claimant=organisation, holder=holder, corporate_number=number,
                claimed_by=actor(by), evidence_text=evidence_text, evidence_file=stored[0],
                evidence_name=stored[1], evidence_content_type=stored[2],
            )
    except IntegrityError as error:
        raise DomainError(
            _("Your organisation already has an open claim to this corporate number."),
            code="claim_already_open", field="corporate_number",
        ) from error
    record(CorporateNumberClaimEvent, claim=claim, by=by,
           action=CorporateNumberClaimEvent.Action.OPENED,
           to_status=CorporateNumberClaim.Status.OPEN)
    record(OrganisationEvent, organisation=organisation, by=by,
           action=OrganisationEvent.Action.CORPORATE_NUMBER_CLAIMED,
           changes={"corporate_number": number})
    return claim


def _locked_claim(claim) -> CorporateNumberClaim:
    return CorporateNumberClaim.objects.select_for_update().get(pk=claim.pk)


def _resolve(claim, *, to: str, by, note: str) -> None:
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Resolution note: say why."), code="reason_required", field="note")
    transition(claim, to, by=by, why=note, action=CorporateNumberClaimEvent.Action.STATUS,
               event_model=CorporateNumberClaimEvent, claim=claim, save=False,
               refusal=gettext_lazy("This claim has already been resolved (%(status)s)."),
               refusal_params={"status": CorporateNumberClaim.Status(claim.status).label})
    claim.resolution_note = note
    claim.resolved_by = actor(by)
    claim.resolved_at = timezone.now()
    claim.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at",
                              "updated_at"])
    transaction.on_commit(partial(_send_outcome, claim.pk))


@transaction.atomic
def accept_corporate_number_claim(*, claim: CorporateNumberClaim, by, note: str
                                  ) -> CorporateNumberClaim:
    """Staff accept: the number moves to the claimant; whoever holds it now
    loses it. Both organisations' owners are told."""
    claim = _locked_claim(claim)
    number = claim.corporate_number
    # Lock both organisations in id order, so two moves cannot deadlock.
    ids = sorted({claim.claimant_id, *Organisation.objects.filter(
        corporate_number=number).values_list("pk", flat=True)})
    locked = {o.pk: o for o in Organisation.objects.select_for_update().filter(pk__in=ids)}
    _resolve(claim, to=CorporateNumberClaim.Status.ACCEPTED, by=by, note=note)
    claimant = locked[claim.claimant_id]
    for holder in (o for o in locked.values() if o.pk != claimant.pk):
        holder.corporate_number = ""
        holder.save(update_fields=["corporate_number", "updated_at"])
        record(OrganisationEvent, organisation=holder, by=by,
               action=OrganisationEvent.Action.CORPORATE_NUMBER_MOVED,
               changes={"corporate_number": [number, ""]}, why=note)
        if claim.holder_id != holder.pk:
            claim.holder = holder
            claim.save(update_fields=["holder", "updated_at"])
    old = claimant.corporate_number
    claimant.corporate_number = number
    claimant.save(update_fields=["corporate_number", "updated_at"])
    record(OrganisationEvent, organisation=claimant, by=by,
           action=OrganisationEvent.Action.CORPORATE_NUMBER_MOVED,
           changes={"corporate_number": [old, number]}, why=note)
    return claim


@transaction.atomic
def reject_corporate_number_claim(*, claim: CorporateNumberClaim, by, note: str
                                  ) -> CorporateNumberClaim:
    """Staff reject: the number stays where it is; the claimant is told why."""
    claim = _locked_claim(claim)
    _resolve(claim, to=CorporateNumberClaim.Status.REJECTED, by=by, note=note)
    return claim


# --- E-mails -------------------------------------------------------------------------


def _send_outcome(claim_id: int) -> None:
    send_claim_outcome.delay(claim_id)
