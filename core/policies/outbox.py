"""The e-mail outbox page: programme staff and superusers run it."""

from .base import is_oversight, is_staff_user

__all__ = ["can_manage_outbox", "knows_outbox"]


def can_manage_outbox(user) -> bool:
    """See outgoing e-mails and send failed ones again: staff, superusers."""
    return is_staff_user(user)


def knows_outbox(user) -> bool:
    """Oversight may know the page exists (403); anyone else gets 404."""
    return is_staff_user(user) or is_oversight(user)
