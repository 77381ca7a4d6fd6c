"""Background work for accounts. Tasks take ids and are safe to run twice."""

from celery import shared_task


@shared_task
def send_invitation_email(invitation_id: int) -> bool:
    """E-mail an invitation link; a repeated run sends nothing (sent_at)."""
    # NOTE: imported here because services enqueue this task.
    from .services import deliver_invitation

    return deliver_invitation(invitation_id=invitation_id)


@shared_task
def send_claim_outcome(claim_id: int) -> int:
    """E-mail the owners the outcome of a corporate number claim; a repeated
    run sends nothing (notified_at)."""
    from .claim_services import deliver_claim_outcome

    return deliver_claim_outcome(claim_id=claim_id)
