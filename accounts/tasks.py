"""Background work for accounts. Tasks take ids and are safe to run twice.
The services enqueue them; they call the e-mail code (notifications.py) and
never a service (the import contract in pyproject.toml)."""

from celery import shared_task

from .notifications import deliver_claim_outcome, deliver_invitation


@shared_task
def send_invitation_email(invitation_id: int) -> bool:
    """E-mail an invitation link; a repeated run sends nothing (sent_at)."""
    return deliver_invitation(invitation_id=invitation_id)


@shared_task
def send_claim_outcome(claim_id: int) -> int:
    """E-mail the owners the outcome of a corporate number claim; a repeated
    run sends nothing (notified_at)."""
    return deliver_claim_outcome(claim_id=claim_id)
