"""Side effects of applications, run by Celery after the transaction commits."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ApplicationEvent, ApplicationVersion


@shared_task
def send_submission_confirmation(version_id: int) -> None:
    """E-mail the submitter and the organisation's contact that the version
    was received. Idempotent: `confirmation_sent_at` records the sending, so
    a rerun (retry, redelivery) sends nothing."""
    with transaction.atomic():
        version = (
            ApplicationVersion.objects.select_for_update(of=("self",))
            .select_related("application__organisation", "application__funding_round",
                            "submitted_by")
            .get(pk=version_id)
        )
        if version.confirmation_sent_at:
            return
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
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [r for r in recipients if r])
        version.confirmation_sent_at = timezone.now()
        version.save(update_fields=["confirmation_sent_at"])


@shared_task
def send_return_notice(event_id: int) -> None:
    """Tell the organisation's members and contact that staff returned the
    application for correction (差戻し), with the staff note. Idempotent:
    the event's `notified_at` records the sending."""
    with transaction.atomic():
        event = (
            ApplicationEvent.objects.select_for_update(of=("self",))
            .select_related("application__organisation", "application__funding_round")
            .get(pk=event_id)
        )
        if event.notified_at:
            return
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
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [r for r in recipients if r])
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
