"""Small helpers every HTML view uses to ask core.policies the same way.

Scope first: `get_visible_or_404` answers 404 for objects outside the user's
scope; `require_perm` answers 403 inside it without the right.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from core.errors import DomainError


def get_visible_or_404(queryset, user, **lookup):
    """Fetch from `queryset.visible_to(user)`; 404 outside the user's scope."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


def require_perm(user, perm: str, obj) -> None:
    """403 unless `user.has_perm(perm, obj)` (core.policies.RULES)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def messages_for_form_errors(request, form) -> None:
    """A form's errors as error messages, each led by its field's label
    (for small forms posted from a larger page)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def run_service(request, action, *args, success: str | None = None, **kwargs):
    """Call a service; show its DomainError as an error message. Returns the
    service's result, or None when it was refused (nothing changed)."""
    try:
        result = action(*args, **kwargs)
    except DomainError as error:
        messages.error(request, str(error.message))
        return None
    if success:
        messages.success(request, success)
    return result


@login_not_required
@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the
    static icon (a permanent redirect, so it is asked once)."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
