from django.contrib import admin

from .models import OutboxEvent, OutboxMessage


class OutboxEventInline(admin.TabularInline):
    model = OutboxEvent
    extra = 0
    fields = ("at", "action", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: sending again is the staff page's action (/outbox/)."""

    list_display = ("subject", "status", "attempts", "created_at", "sent_at", "next_attempt_at")
    list_filter = ("status",)
    search_fields = ("key", "subject")
    exclude = ("raw",)
    inlines = [OutboxEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "raw"]

    def has_add_permission(self, request):
        return False
