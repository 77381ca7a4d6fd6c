"""The staff page of the e-mail outbox: what went out, what waits, what
failed, and sending a failed or dead message again."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import outbox, policies
from core.models import OutboxMessage
from core.views import run_service

PAGE_SIZE = 50
LIST_COLUMNS = (
    "id", "key", "to", "subject", "status", "attempts", "next_attempt_at", "last_error",
    "created_at", "sent_at",
)


def _require_staff(user) -> None:
    if not policies.knows_outbox(user):
        raise Http404
    if not policies.can_manage_outbox(user):
        raise PermissionDenied


@require_GET
def outbox_list(request):
    """Programme staff: the outgoing e-mails, newest first, by status."""
    _require_staff(request.user)
    statuses = OutboxMessage.Status
    status = request.GET.get("status", "")
    # NOTE: the list never reads bodies or the MIME copy (attachments).
    queryset = OutboxMessage.objects.only(*LIST_COLUMNS).order_by("-created_at", "-id")
    if status in statuses.values:
        queryset = queryset.filter(status=status)
    else:
        status = ""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/outbox_list.html", {
        "page": page, "status": status, "statuses": statuses.choices,
        "query": f"status={status}" if status else "",
    })


@require_POST
def outbox_retry(request, pk):
    """Send a failed or dead e-mail again (an OutboxEvent row records who)."""
    _require_staff(request.user)
    message = get_object_or_404(OutboxMessage.objects.only("id", "status"), pk=pk)
    run_service(request, outbox.retry_outbox_message, message=message, by=request.user,
                success=_("The e-mail is queued to be sent again."))
    url = reverse("core:outbox_list")
    status = request.POST.get("status", "")
    if status in OutboxMessage.Status.values:
        url += f"?status={status}"
    return redirect(url)
