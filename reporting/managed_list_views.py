"""Staff pages for the managed lists: target groups, feature tags and
expense categories (list, add, edit, switch off, history).

Scope: programme staff and oversight read the lists (oversight changes
nothing: 403); applicants and reviewers get 403, as on the staff award list,
since the lists themselves are public vocabulary. An unknown list or code
is a 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import policies
from core.views import run_service

from . import managed_list_services as services
from .managed_list_forms import ListItemForm
from .managed_list_models import ManagedList, ManagedListEvent


def _list_or_404(list_name: str):
    try:
        return ManagedList(list_name), services.model_of(list_name)
    except ValueError:
        raise Http404 from None


def _require_view(user):
    if not policies.can_view_managed_lists(user):
        raise PermissionDenied


@require_http_methods(["GET"])
def managed_lists(request, list_name=ManagedList.TARGET_GROUPS):
    """One list with every item (active or not) and its recent history."""
    _require_view(request.user)
    kind, model = _list_or_404(list_name)
    return render(request, "reporting/managed_lists.html", {
        "kind": kind, "lists": ManagedList, "items": model.objects.order_by("sort_order", "code"),
        "may_manage": policies.can_manage_managed_lists(request.user),
        "events": ManagedListEvent.objects.filter(list_name=kind).select_related("actor")
        .order_by("-at", "-id")[:50],
    })


@require_http_methods(["GET", "POST"])
def managed_list_item(request, list_name, code=None):
    """Add an item (no code) or edit one; the code never changes."""
    _require_view(request.user)
    kind, model = _list_or_404(list_name)
    item = get_object_or_404(model, code=code) if code else None
    if not policies.can_manage_managed_lists(request.user):
        raise PermissionDenied
    initial = None
    if item is not None:
        initial = {f: getattr(item, f) for f in ("code", *services.EDITABLE)}
    form = ListItemForm(request.POST or None, item=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        if item is None:
            saved = run_service(request, services.create_list_item, list_name=kind,
                                data=form.service_data(), by=request.user,
                                success=_("Item added."))
        else:
            saved = run_service(request, services.update_list_item, list_name=kind, item=item,
                                data=form.service_data(), by=request.user,
                                reason=form.cleaned_data.get("reason") or "",
                                success=_("Item saved."))
        if saved is not None:
            return redirect("reporting:managed_lists", list_name=kind)
    history = []
    if item is not None:
        history = ManagedListEvent.objects.filter(list_name=kind, item_code=item.code) \
            .select_related("actor").order_by("-at", "-id")
    return render(request, "reporting/managed_list_item.html", {
        "kind": kind, "item": item, "form": form, "history": history,
    }, status=400 if request.method == "POST" else 200)
