"""Side effects of applications, run by Celery after the transaction commits."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ApplicationVersion


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
