"""Background work of the review process. Tasks take ids and are safe to
run twice: each checks a timestamp before doing its work."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.outbox import queue_mail


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@shared_task
def notify_reviewer_assignments(reviewer_id: int) -> int:
    """One e-mail per reviewer listing their new assignments (not the
    applications' content: that is read only after declaring no conflict)."""
    from .models import Assignment

    with transaction.atomic():
        pending = list(
            Assignment.objects.select_for_update()
            .filter(reviewer_id=reviewer_id, status=Assignment.Status.ACTIVE, notified_at__isnull=True)
            .select_related("reviewer", "application__funding_round")
            .order_by("due_on", "id")
        )
        if not pending:
            return 0
        reviewer = pending[0].reviewer
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string("reviews/email/assignments.txt", {
                "reviewer": reviewer, "assignments": pending,
                "queue_url": _absolute(reverse("reviews:queue")),
            })
            first = pending[0].pk
            queue_mail(key=f"reviews.assignments:{reviewer.pk}:{first}",
                       subject=_("New applications to review"), body=body, to=[reviewer.email])
        Assignment.objects.filter(pk__in=[a.pk for a in pending]).update(
            notified_at=timezone.now()
        )
    return len(pending)


@shared_task
def send_reviewer_invitation(profile_id: int) -> bool:
    """The invitation with a link to set a password (sent once)."""
    from .models import ReviewerProfile

    with transaction.atomic():
        profile = ReviewerProfile.objects.select_for_update(of=("self",)).select_related("user").get(
            pk=profile_id
        )
        if profile.invitation_sent_at is not None:
            return False
        user = profile.user
        link = _absolute(reverse("reviews:invitation", kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }))
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string("reviews/email/invitation.txt", {"user": user, "link": link})
            queue_mail(key=f"reviews.invitation:{profile.pk}",
                       subject=_("Invitation to review applications"), body=body,
                       to=[user.email], is_sensitive=True)
        profile.invitation_sent_at = timezone.now()
        profile.save(update_fields=["invitation_sent_at", "updated_at"])
    return True


@shared_task
def generate_decision_notice(decision_id: int) -> bool:
    """Render the notice PDF once, store it, and e-mail it once."""
    from .models import Decision
    from .notices import build_notice_pdf, notice_filename

    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("application__organisation", "funding_round__programme")
            .get(pk=decision_id)
        )
        with translation.override(settings.LANGUAGE_CODE):
            if not decision.notice_file:
                decision.notice_file.save(
                    notice_filename(decision), ContentFile(build_notice_pdf(decision)), save=False
                )
                decision.notice_generated_at = timezone.now()
                decision.save(update_fields=["notice_file", "notice_generated_at"])
            if decision.notice_emailed_at is not None:
                return False
            organisation = decision.application.organisation
            body = render_to_string("reviews/email/decision.txt", {
                "decision": decision, "organisation": organisation,
                "url": _absolute(reverse("reviews:decision", args=[decision.pk])),
            })
            decision.notice_file.open("rb")
            try:
                pdf = decision.notice_file.read()
            finally:
                decision.notice_file.close()
            queue_mail(
                key=f"reviews.decision_notice:{decision.pk}",
                subject=_("Result of the review of your application"), body=body,
                to=[organisation.contact_email],
                attachments=[(notice_filename(decision), pdf, "application/pdf")],
            )
        decision.notice_emailed_at = timezone.now()
        decision.save(update_fields=["notice_emailed_at"])
    return True
