"""Admin for awards: every award model (status, approved amounts, payments)
is read-only; suspending, resuming and the budget change decisions go
through the admin actions below, which call awards.services, check the
rules and write the history with the admin user.
"""

from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ServiceActionsMixin, service_action

from . import services as award_services
from .models import Award, BudgetChangeRequest

# NOTE: the admin columns are chosen from the fields each model has; every
# model of the app stays registered (tests/core/test_admin_registry.py).

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
        service_action(name=f"award_{to}", description=label, perm="awards.manage_award",
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
                       perm="awards.decide_budget_change", call=_change_decision(True)),
        service_action(name="reject_change", description=_("Reject the budget change (reason)"),
                       perm="awards.decide_budget_change", call=_change_decision(False)),
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
# payments): awards.services is the only writer and records each change.
for _model in apps.get_app_config("awards").get_models():
    if not admin.site.is_registered(_model):
        admin.site.register(_model, _award_admin(_model))
