"""Background work for accounts. Tasks take ids and are safe to run twice."""

from celery import shared_task


@shared_task
def send_invitation_email(invitation_id: int) -> bool:
    """E-mail an invitation link; a repeated run sends nothing (sent_at)."""
    # NOTE: imported here because services enqueue this task.
    from .services import deliver_invitation

    return deliver_invitation(invitation_id=invitation_id)
