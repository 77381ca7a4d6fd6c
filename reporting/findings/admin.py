"""Admin pages for findings and model report jobs: read-only, because every
change must go through reporting/findings/services.py and leave an event."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Finding, FindingEvent, FindingEvidence, ModelReportJob


class EvidenceInline(admin.TabularInline):
    model = FindingEvidence
    extra = 0
    fields = ("report", "field", "quote", "indicator_actual")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "programme", "theme", "award", "fiscal_year", "updated_at")
    list_filter = ("kind", "programme", "fiscal_year")
    search_fields = ("statement",)
    list_select_related = ("programme", "theme", "award")
    inlines = [EvidenceInline]


@admin.register(FindingEvent)
class FindingEventAdmin(ReadOnlyAdmin):
    list_display = ("finding_number", "action", "actor", "at")
    list_filter = ("action",)
    list_select_related = ("actor",)


@admin.register(ModelReportJob)
class ModelReportJobAdmin(ReadOnlyAdmin):
    list_display = ("pk", "programme", "fiscal_year", "status", "progress_done",
                    "progress_total", "created_at")
    list_filter = ("status", "programme")
    list_select_related = ("programme",)
