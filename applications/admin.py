from django.contrib import admin

from .models import (
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    BudgetLine,
    ConsortiumMember,
    Indicator,
    ReceiptCounter,
    VersionAttachment,
)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class ConsortiumMemberInline(admin.TabularInline):
    model = ConsortiumMember
    extra = 0


class VersionInline(admin.TabularInline):
    model = ApplicationVersion
    extra = 0
    fields = ("number", "receipt_number", "submitted_at", "submitted_by", "confirmation_sent_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "funding_round", "status", "requested_yen",
                    "receipt_number", "submitted_at")
    list_filter = ("status", "funding_round__programme", "funding_round")
    search_fields = ("title", "organisation__name", "receipt_number")
    list_select_related = ("organisation", "funding_round")
    readonly_fields = ("lock_version", "requested_yen", "receipt_number", "submitted_at")
    raw_id_fields = ("organisation", "created_by")
    inlines = [BudgetLineInline, IndicatorInline, ConsortiumMemberInline, VersionInline]


class VersionAttachmentInline(admin.TabularInline):
    """The files as submitted: read-only, never deleted here."""

    model = VersionAttachment
    extra = 0
    fields = ("position", "original_name", "content_type", "size_bytes", "sha256", "file")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(admin.ModelAdmin):
    inlines = [VersionAttachmentInline]
    list_display = ("receipt_number", "application", "number", "submitted_at",
                    "confirmation_sent_at")
    search_fields = ("receipt_number", "application__title")
    readonly_fields = ("application", "number", "content", "receipt_number", "submitted_at",
                       "submitted_by", "idempotency_key", "confirmation_sent_at")


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "application", "content_type", "size_bytes", "created_at")
    search_fields = ("original_name", "application__title")
    readonly_fields = ("file", "sha256")


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    list_display = ("application", "action", "from_status", "to_status", "actor", "at")
    list_filter = ("action", "to_status")
    search_fields = ("application__title", "reason")


@admin.register(ReceiptCounter)
class ReceiptCounterAdmin(admin.ModelAdmin):
    list_display = ("programme", "fiscal_year", "last_number")
