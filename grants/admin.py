"""Admin for programmes, managed lists, funding rounds and awards.

NOTE: rounds and every award model (status, approved amounts, payments) are
read-only here; opening, closing, suspending and the rest go through the
admin actions below or the staff pages, which call grants.services and
grants.award_services, check the rules and write the history.
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

from . import award_services, services
from .models import (
    Award,
    BudgetChangeRequest,
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



def _award_move(to):
    def call(award, *, by, reason):
        award_services.change_award_status(award=award, to=to, by=by, reason=reason)

    return call


def _change_decision(approve: bool):
    def call(change_request, *, by, reason):
        if approve:
            award_services.approve_budget_change(change_request=change_request, by=by,
                                                 comment=reason)
        else:
            award_services.reject_budget_change(change_request=change_request, by=by,
                                                comment=reason)

    return call


_AWARD_ACTIONS = {
    Award: [
        service_action(name=f"award_{to}", description=label, perm="grants.manage_award",
                       call=_award_move(to))
        for to, label in (
            (Award.Status.SUSPENDED, _("Suspend the award (reason)")),
            (Award.Status.ACTIVE, _("Resume the award")),
            (Award.Status.COMPLETED, _("Complete the award")),
            (Award.Status.TERMINATED, _("Terminate the award (reason)")),
        )
    ],
    BudgetChangeRequest: [
        service_action(name="approve_change", description=_("Approve the budget change"),
                       perm="grants.decide_budget_change", call=_change_decision(True)),
        service_action(name="reject_change", description=_("Reject the budget change (reason)"),
                       perm="grants.decide_budget_change", call=_change_decision(False)),
    ],
}


def _award_admin(model):
    names = {f.name for f in model._meta.get_fields() if getattr(f, "concrete", False)}
    related = [n for n in ("organisation", "funding_round", "award", "award_year") if n in names]
    attrs = {
        "list_display": ["__str__", *[n for n in _AWARD_COLUMNS if n in names]],
        "list_filter": [n for n in _AWARD_FILTERS if n in names],
        "search_fields": [lookup for n, lookup in _AWARD_SEARCH.items() if n in names],
        "list_select_related": related,
    }
    bases = (ReadOnlyAdmin,)
    if model in _AWARD_ACTIONS:
        attrs["actions"] = _AWARD_ACTIONS[model]
        bases = (ServiceActionsMixin, ReadOnlyAdmin)
    return type(f"{model.__name__}Admin", bases, attrs)


# SECURITY: every award model is read-only (statuses, approved amounts,
# payments): award_services is the only writer and records each change.
for _model in apps.get_app_config("grants").get_models():
    if not admin.site.is_registered(_model):
        admin.site.register(_model, _award_admin(_model))
