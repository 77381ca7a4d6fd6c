"""E-mails of applications, queued in the outbox (core.outbox) inside the
transaction of the action, so the e-mail exists exactly when the action
does and a mail outage cannot fail the action."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.outbox import queue_mail

from .models import ApplicationEvent, ApplicationVersion


@transaction.atomic
def queue_submission_confirmation(version_id: int) -> bool:
    """Tell the submitter and the organisation's contact that the version was
    received; once per version (`confirmation_sent_at`, the outbox key)."""
    version = (
        ApplicationVersion.objects.select_for_update(of=("self",))
        .select_related("application__organisation", "application__funding_round",
                        "submitted_by")
        .get(pk=version_id)
    )
    if version.confirmation_sent_at:
        return False
    application = version.application
    recipients = [application.organisation.contact_email]
    if version.submitted_by and version.submitted_by.email not in recipients:
        recipients.insert(0, version.submitted_by.email)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "version": version,
            "application": application,
            "submitted_at": timezone.localtime(version.submitted_at),
            "detail_url": settings.SITE_URL + reverse(
                "applications:detail", args=[application.pk]
            ),
        }
        subject = _("Application received: %(receipt)s") % {"receipt": version.receipt_number}
        body = render_to_string("applications/email/submission_confirmation.txt", context)
    queue_mail(key=f"applications.confirmation:{version.pk}", subject=subject, body=body,
               from_email=settings.DEFAULT_FROM_EMAIL, to=recipients)
    version.confirmation_sent_at = timezone.now()
    version.save(update_fields=["confirmation_sent_at"])
    return True


@transaction.atomic
def queue_return_notice(event_id: int) -> bool:
    """Tell the organisation's members and contact that staff returned the
    application for correction (差戻し), with the staff note; once per event."""
    event = (
        ApplicationEvent.objects.select_for_update(of=("self",))
        .select_related("application__organisation", "application__funding_round")
        .get(pk=event_id)
    )
    if event.notified_at:
        return False
    application = event.application
    organisation = application.organisation
    recipients = [organisation.contact_email]
    for email in organisation.members.order_by("email").values_list("email", flat=True):
        if email not in recipients:
            recipients.append(email)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "application": application,
            "note": event.reason,
            "edit_url": settings.SITE_URL + reverse("applications:edit", args=[application.pk]),
        }
        subject = _("Application returned for correction: %(receipt)s") % {
            "receipt": application.receipt_number or application.pk
        }
        body = render_to_string("applications/email/return_notice.txt", context)
    queue_mail(key=f"applications.return_notice:{event.pk}", subject=subject, body=body,
               from_email=settings.DEFAULT_FROM_EMAIL, to=recipients)
    event.notified_at = timezone.now()
    event.save(update_fields=["notified_at"])
    return True
