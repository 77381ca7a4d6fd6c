"""Every write to applications and every application transition."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError

from .models import Application, ApplicationEvent


def _move(application: Application, *, to: str, by, reason: str = "", changes=None) -> None:
    """Check the transition table, record the event, set the status (unsaved)."""
    if to not in Application.TRANSITIONS.get(application.status, ()):
        raise DomainError(
            _("An application cannot move from %(from)s to %(to)s.")
            % {
                "from": Application.Status(application.status).label,
                "to": Application.Status(to).label,
            },
            code="bad_transition",
        )
    ApplicationEvent.objects.create(
        application=application,
        actor=by if getattr(by, "pk", None) else None,
        action="status",
        from_status=application.status,
        to_status=to,
        reason=reason or "",
        changes=changes or {},
    )
    application.status = to


@transaction.atomic
def set_application_status(*, application: Application, to: str, by, reason: str = "") -> Application:
    """Move an application along its table; used by higher apps (reviews
    moves to under review, awarded or declined)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _move(application, to=to, by=by, reason=reason)
    application.save(update_fields=["status", "updated_at"])
    return application
