"""E-mails of accounts, sent by the tasks (accounts/tasks.py) after the
action's transaction commits. The services enqueue the tasks; nothing here
imports a service, so the tasks never do (the import contract in
pyproject.toml)."""

import hashlib
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.outbox import queue_mail

from .models import CorporateNumberClaim, Invitation, Membership


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def deliver_invitation(*, invitation_id: int) -> bool:
    """Send the invitation e-mail once. The token is born here and only its
    hash is kept; `sent_at` makes a second run a no-op. Returns whether an
    e-mail went out."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.sent_at or not invitation.is_pending:
        return False
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["token_hash", "sent_at", "updated_at"])
    # NOTE: queued in the outbox in this transaction, beside sent_at; the
    # message carries the only copy of the token, so it is sensitive (its
    # body is erased once delivered).
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("accounts:invitation", kwargs={"token": token}),
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    queue_mail(key=f"accounts.invitation:{invitation.pk}", subject=subject, body=body,
               to=[invitation.email], is_sensitive=True)
    return True


def _owner_emails(organisation) -> list[str]:
    if organisation is None:
        return []
    return sorted(
        Membership.objects.owners().filter(organisation=organisation, user__is_active=True)
        .values_list("user__email", flat=True)
    )


@transaction.atomic
def deliver_claim_outcome(*, claim_id: int) -> int:
    """E-mail the outcome once: the claimant's owners always, the previous
    holder's owners when the number moved. Returns the e-mails sent."""
    claim = (
        CorporateNumberClaim.objects.select_for_update(of=("self",))
        .select_related("claimant", "holder").filter(pk=claim_id).first()
    )
    if claim is None or claim.notified_at or claim.status == CorporateNumberClaim.Status.OPEN:
        return 0
    claim.notified_at = timezone.now()
    claim.save(update_fields=["notified_at", "updated_at"])
    accepted = claim.status == CorporateNumberClaim.Status.ACCEPTED
    letters = [("claimant", claim.claimant)]
    if accepted:
        letters.append(("holder", claim.holder))
    sent = 0
    # NOTE: sent inside the transaction: if the mail server refuses,
    # notified_at is rolled back and a retry sends the e-mails.
    with translation.override(settings.LANGUAGE_CODE):
        for side, organisation in letters:
            recipients = _owner_emails(organisation)
            if not recipients:
                continue
            context = {
                "claim": claim, "organisation": organisation, "side": side,
                "accepted": accepted,
                "url": settings.SITE_URL.rstrip("/") + (
                    reverse("accounts:claim_detail", args=[claim.pk]) if side == "claimant"
                    else reverse("accounts:organisation_detail", args=[organisation.pk])),
            }
            subject = render_to_string("accounts/email/claim_outcome_subject.txt", context)
            body = render_to_string("accounts/email/claim_outcome_body.txt", context)
            send_mail(" ".join(subject.split()), body, None, recipients)
            sent += 1
    return sent
