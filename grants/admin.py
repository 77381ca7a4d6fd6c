"""Admin for programmes, managed lists and funding rounds.

NOTE: round status is read-only here; opening, closing and the rest go
through the staff pages (grants.services), which check the rules and write
the round's history.
"""

from django.apps import apps
from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from .models import (
    AwardEvent,
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


class ThemeInline(admin.StackedInline):
    model = Theme
    extra = 0
    fields = ["number", "title_ja", "title_en", "example_activities", "min_awards", "max_awards"]


class ScaleTierInline(admin.TabularInline):
    model = ScaleTier
    extra = 0
    fields = ["sort_order", "code", "name_ja", "name_en", "area_description", "ceiling_yen"]


class FundingRoundEventInline(admin.TabularInline):
    model = FundingRoundEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "from_status", "to_status", "reason", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FundingRound)
class FundingRoundAdmin(admin.ModelAdmin):
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


# --- Awards ------------------------------------------------------------------------
# NOTE: the award models (grants/models/awards.py) are still growing, so their
# admin columns are chosen from the fields each model has; every model of the
# app stays registered (tests/grants/test_admin.py checks it).

_AWARD_COLUMNS = (
    "award_number", "title", "organisation", "funding_round", "award", "award_year",
    "fiscal_year", "status", "state", "kind", "decision", "approved_yen", "confirmed_yen",
    "amount_yen", "due_on", "paid_on", "decided_at",
)
_AWARD_FILTERS = ("status", "state", "kind", "decision", "fiscal_year", "is_auto_approved")
_AWARD_SEARCH = {
    "award_number": "award_number",
    "title": "title",
    "organisation": "organisation__name",
    "award": "award__award_number",
    "award_year": "award_year__award__award_number",
    "funding_round": "funding_round__title_ja",
}


def _award_admin(model, base=admin.ModelAdmin):
    names = {f.name for f in model._meta.get_fields() if getattr(f, "concrete", False)}
    related = [n for n in ("organisation", "funding_round", "award", "award_year") if n in names]
    attrs = {
        "list_display": ["__str__", *[n for n in _AWARD_COLUMNS if n in names]],
        "list_filter": [n for n in _AWARD_FILTERS if n in names],
        "search_fields": [lookup for n, lookup in _AWARD_SEARCH.items() if n in names],
        "list_select_related": related,
    }
    return type(f"{model.__name__}Admin", (base,), attrs)


for _model in apps.get_app_config("grants").get_models():
    if not admin.site.is_registered(_model):
        admin.site.register(
            _model, _award_admin(_model, ReadOnlyAdmin if _model is AwardEvent else admin.ModelAdmin)
        )
