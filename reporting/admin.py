"""Admin for reports. Feature tags are a managed list staff edit here;
reports, versions, events and reminders are read-only, because every change
goes through reporting/services.py and leaves an event. Award models are
registered by grants/admin.py (round reporting defaults included)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline
from grants.admin import ManagedListAdmin

from .models import (
    ActivityParticipantCount,
    ExpenseActual,
    FeatureTag,
    IndicatorActual,
    ManagedListEvent,
    ProgressReport,
    ReminderLog,
    ReportActivity,
    ReportEvent,
    ReportVersion,
)

admin.site.register(FeatureTag, ManagedListAdmin)


class _ReadOnlyInline(ReadOnlyTabularInline):
    pass


class ActivityInline(_ReadOnlyInline):
    model = ReportActivity
    fields = ["name", "sessions_held", "participants_total"]
    readonly_fields = fields


class IndicatorInline(_ReadOnlyInline):
    model = IndicatorActual
    fields = ["name", "unit", "target", "actual", "note"]
    readonly_fields = fields


class ExpenseInline(_ReadOnlyInline):
    model = ExpenseActual
    fields = ["expense_category", "actual_yen", "explanation"]
    readonly_fields = fields


class VersionInline(_ReadOnlyInline):
    model = ReportVersion
    fields = ["number", "submitted_at", "submitted_by"]
    readonly_fields = fields


class EventInline(_ReadOnlyInline):
    model = ReportEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "reason"]
    readonly_fields = fields


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "award", "kind", "fiscal_year", "status", "last_submitted_at"]
    list_filter = ["kind", "status", "fiscal_year"]
    search_fields = ["award__award_number", "award__title", "award__organisation__name"]
    list_select_related = ["award"]
    inlines = [ActivityInline, IndicatorInline, ExpenseInline, VersionInline, EventInline]


@admin.register(ActivityParticipantCount)
class ActivityParticipantCountAdmin(ReadOnlyAdmin):
    """延べ人数 by target group, one row per activity and group."""

    list_display = ["activity", "target_group", "count"]
    list_filter = ["target_group"]
    list_select_related = ["activity", "target_group"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "kind", "days_before", "due_on", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["deadline"]


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "report", "actor", "action", "from_status", "to_status"]
    list_filter = ["action"]
    list_select_related = ["report", "actor"]


admin.site.register(ManagedListEvent, ReadOnlyAdmin)

from .findings import admin as findings_admin  # noqa: E402,F401 - findings and model report jobs
