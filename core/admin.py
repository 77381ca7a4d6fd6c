"""Admin building blocks: read-only pages and actions that go through services.

SECURITY: a model with a status (its TRANSITIONS table) and every history
(event) table is read-only in the admin. Editing a status or an approved
amount there would skip the transition check and leave no event row. The
only writes are admin actions that call the app's service with the admin
user as `by=`, so the service checks the rules and records who did it, when
and why (tests/core/test_admin_readonly.py checks the registry).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.policies import is_staff_user


class ReadOnlyAdminMixin:
    """Lists and detail pages only: no add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """History rows and status-bearing records are written by services only."""


class ReadOnlyInlineMixin(ReadOnlyAdminMixin):
    extra = 0
    can_delete = False


class ReadOnlyTabularInline(ReadOnlyInlineMixin, admin.TabularInline):
    pass


class ReasonActionForm(helpers.ActionForm):
    """The changelist's action bar with a reason, which the services record
    on the event row (some moves require one)."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000,
        widget=forms.TextInput(attrs={"size": 40}),
    )


class ServiceActionsMixin:
    """Admin actions that move records through their services.

    Each action is built with `service_action`; `has_service_permission` lets
    only programme staff and superusers see them, and each object is checked
    again against its policy rule before the service runs."""

    action_form = ReasonActionForm

    def has_service_permission(self, request):
        return is_staff_user(request.user)


def service_action(*, name: str, description, perm: str, call):
    """Build an admin action calling `call(obj, by=user, reason=text)` per
    selected object. A refusal (policy or DomainError) is reported for that
    object and changes nothing; the others still go through."""

    def action(modeladmin, request, queryset):
        reason = (request.POST.get("reason") or "").strip()
        done = 0
        for obj in queryset:
            if not request.user.has_perm(perm, obj):
                modeladmin.message_user(
                    request,
                    gettext("%(object)s: you may not do this.") % {"object": obj},
                    messages.ERROR,
                )
                continue
            try:
                call(obj, by=request.user, reason=reason)
            except DomainError as error:
                modeladmin.message_user(
                    request, f"{obj}: {error.message}", messages.ERROR
                )
                continue
            done += 1
        if done:
            modeladmin.message_user(
                request,
                gettext("%(action)s: %(count)d done.") % {"action": description, "count": done},
                messages.SUCCESS,
            )

    action.__name__ = name
    return admin.action(description=description, permissions=["service"])(action)


# --- The e-mail outbox (core.outbox): read-only; sending again is the staff page's action ---

from .models import OutboxEvent, OutboxMessage  # noqa: E402


class OutboxEventInline(ReadOnlyTabularInline):
    model = OutboxEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Read-only: sending again is the staff page's action (/outbox/)."""

    list_display = ("subject", "status", "attempts", "created_at", "sent_at", "next_attempt_at")
    list_filter = ("status",)
    search_fields = ("key", "subject")
    exclude = ("raw",)
    inlines = [OutboxEventInline]
