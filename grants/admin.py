"""Admin for programmes, managed lists and funding rounds (awards: awards/admin.py).

NOTE: rounds are read-only here; opening, closing and the rest go through
the admin actions below or the staff pages, which call grants.services,
check the rules and write the history.
"""

from django.apps import apps
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
    ExpenseCategory,
    FundingRound,
    FundingRoundEvent,
    Programme,
    ScaleTier,
    TargetGroup,
    Theme,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "funder_name"]
    search_fields = ["code", "name_ja", "name_en"]
    filter_horizontal = ["staff"]


class ManagedListAdmin(admin.ModelAdmin):
    """Managed lists (core.models.ManagedListItem): staff edit them here."""

    fields = ["code", "name_ja", "name_en", "sort_order", "is_active"]
    list_display = ["code", "name_ja", "name_en", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name_ja", "name_en"]


admin.site.register(ExpenseCategory, ManagedListAdmin)
admin.site.register(TargetGroup, ManagedListAdmin)


class ThemeInline(ReadOnlyTabularInline):
    model = Theme
    fields = ["number", "title_ja", "title_en", "example_activities", "min_awards", "max_awards"]


class ScaleTierInline(ReadOnlyTabularInline):
    model = ScaleTier
    fields = ["sort_order", "code", "name_ja", "name_en", "area_description", "ceiling_yen"]


class FundingRoundEventInline(ReadOnlyTabularInline):
    model = FundingRoundEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "reason", "changes"]
    readonly_fields = fields


def _round_move(service):
    def call(funding_round, *, by, reason):
        service(funding_round=funding_round, by=by, reason=reason)

    return call


def _round_action(name, description, service):
    return service_action(name=name, description=description, perm="grants.manage_round",
                          call=_round_move(service))


@admin.register(FundingRound)
class FundingRoundAdmin(ServiceActionsMixin, ReadOnlyAdmin):
    list_display = [
        "title_ja", "programme", "fiscal_year", "status", "opens_at", "closes_at", "budget_yen",
    ]
    list_filter = ["status", "fiscal_year", "programme", "consortium_allowed", "ceiling_basis"]
    search_fields = ["title_ja", "title_en", "programme__name_ja", "programme__code"]
    list_select_related = ["programme"]
    date_hierarchy = "closes_at"
    readonly_fields = ["status", "copied_from", "created_at", "updated_at"]
    filter_horizontal = ["expense_categories"]
    inlines = [ThemeInline, ScaleTierInline, FundingRoundEventInline]
    actions = [
        _round_action("open_round", _("Open (or reopen) the round"), services.open_round),
        _round_action("close_round", _("Close the round"), services.close_round),
        _round_action("start_review", _("Hand the round to the reviewers"),
                      services.start_review),
        _round_action("mark_round_decided", _("Mark the round decided"),
                      services.mark_round_decided),
        _round_action("archive_round", _("Archive the round"), services.archive_round),
    ]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["number", "title_ja", "funding_round", "min_awards", "max_awards"]
    list_filter = ["funding_round__fiscal_year", "funding_round__programme"]
    search_fields = ["title_ja", "title_en", "example_activities"]
    list_select_related = ["funding_round"]


@admin.register(ScaleTier)
class ScaleTierAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ja", "funding_round", "ceiling_yen"]
    list_filter = ["funding_round__fiscal_year", "funding_round__programme"]
    search_fields = ["code", "name_ja", "name_en"]
    list_select_related = ["funding_round"]


@admin.register(FundingRoundEvent)
class FundingRoundEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "funding_round", "actor", "action", "from_status", "to_status", "reason"]
    list_filter = ["action", "to_status", "funding_round__programme"]
    search_fields = ["funding_round__title_ja", "actor__email", "reason"]
    list_select_related = ["funding_round", "actor"]


# SECURITY: the round's other records (reporting defaults, programme
# history) are read-only here too; their services write them with history.
for _model in apps.get_app_config("grants").get_models():
    if not admin.site.is_registered(_model):
        admin.site.register(_model, ReadOnlyAdmin)
