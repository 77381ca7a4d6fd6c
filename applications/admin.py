"""Admin for applications: read-only pages. Status moves go through the
actions below, which call applications.services with the admin user as the
actor, so the transition table is checked and an event row is written."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import (
    ReadOnlyAdmin,
    ReadOnlyTabularInline,
    ServiceActionsMixin,
    service_action,
)

from . import services
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


class BudgetLineInline(ReadOnlyTabularInline):
    model = BudgetLine


class IndicatorInline(ReadOnlyTabularInline):
    model = Indicator


class ConsortiumMemberInline(ReadOnlyTabularInline):
    model = ConsortiumMember


class VersionInline(ReadOnlyTabularInline):
    model = ApplicationVersion
    fields = ("number", "receipt_number", "submitted_at", "submitted_by", "confirmation_sent_at")
    readonly_fields = fields


def _screen(eligible: bool):
    def call(application, *, by, reason):
        services.screen_application(application=application, by=by, eligible=eligible,
                                    reason=reason)

    return call


@admin.register(Application)
class ApplicationAdmin(ServiceActionsMixin, ReadOnlyAdmin):
    list_display = ("title", "organisation", "funding_round", "status", "requested_yen",
                    "receipt_number", "submitted_at")
    list_filter = ("status", "funding_round__programme", "funding_round")
    search_fields = ("title", "organisation__name", "receipt_number")
    list_select_related = ("organisation", "funding_round")
    readonly_fields = ("lock_version", "requested_yen", "receipt_number", "submitted_at")
    raw_id_fields = ("organisation", "created_by")
    inlines = [BudgetLineInline, IndicatorInline, ConsortiumMemberInline, VersionInline]
    actions = [
        service_action(
            name="mark_eligible", description=_("Screening: mark eligible"),
            perm="applications.screen_application", call=_screen(True),
        ),
        service_action(
            name="mark_ineligible", description=_("Screening: mark ineligible (reason)"),
            perm="applications.screen_application", call=_screen(False),
        ),
        service_action(
            name="return_for_correction",
            description=_("Return for correction (reason = note to the applicant)"),
            perm="applications.return_application",
            call=lambda application, *, by, reason: services.return_application(
                application=application, by=by, note=reason),
        ),
    ]


class VersionAttachmentInline(ReadOnlyTabularInline):
    """The files as submitted: read-only, never deleted here."""

    model = VersionAttachment
    fields = ("position", "original_name", "content_type", "size_bytes", "sha256", "file")
    readonly_fields = fields


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(ReadOnlyAdmin):
    inlines = [VersionAttachmentInline]
    list_display = ("receipt_number", "application", "number", "submitted_at",
                    "confirmation_sent_at")
    search_fields = ("receipt_number", "application__title")
    readonly_fields = ("application", "number", "content", "receipt_number", "submitted_at",
                       "submitted_by", "idempotency_key", "confirmation_sent_at")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "application", "content_type", "size_bytes", "created_at")
    search_fields = ("original_name", "application__title")
    readonly_fields = ("file", "sha256")


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdmin):
    list_display = ("application", "action", "from_status", "to_status", "actor", "at")
    list_filter = ("action", "to_status")
    search_fields = ("application__title", "reason")
    list_select_related = ("application", "actor")


@admin.register(ReceiptCounter)
class ReceiptCounterAdmin(ReadOnlyAdmin):
    list_display = ("programme", "fiscal_year", "last_number")
