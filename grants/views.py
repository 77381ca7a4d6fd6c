"""Funding-round pages: public (home, round detail) and staff (manage rounds,
their themes and tiers, transitions, copies and history).

Thin adapters: scope first (404), then the policy (403), then a service.
"""

from datetime import datetime

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core import policies
from core.dates import format_datetime
from core.errors import DomainError
from core.fiscal import current_fiscal_year
from core.money import format_yen
from core.subqueries import count_of
from core.views import get_visible_or_404, require_perm, run_service
from core.vocab import LegalForm

from . import reporting_defaults, services
from .forms import (
    CopyRoundForm,
    ReasonForm,
    ReportingDefaultsForm,
    RoundCreateForm,
    RoundEditForm,
    RoundForm,
    ThemeForm,
    TierForm,
    TransitionForm,
)
from .models import FundingRound, Programme, ReportingDefaults, ScaleTier, Theme

Status = FundingRound.Status

# action → (service, target status, button label)
TRANSITIONS = {
    "open": (services.open_round, Status.OPEN, gettext_lazy("Open for applications")),
    "close": (services.close_round, Status.CLOSED, gettext_lazy("Close applications")),
    "start_review": (services.start_review, Status.REVIEWING, gettext_lazy("Start review")),
    "decide": (services.mark_round_decided, Status.DECIDED, gettext_lazy("Mark as decided")),
    "archive": (services.archive_round, Status.ARCHIVED, gettext_lazy("Archive")),
}


# --- Public pages -----------------------------------------------------------------


@login_not_required
def home(request):
    """Open and upcoming published rounds, grouped by phase."""
    now = timezone.now()
    rounds = list(
        FundingRound.objects.visible_to(request.user)
        .open_or_upcoming()
        .select_related("programme")
        .prefetch_related("tiers")
        .order_by("closes_at", "id")
    )
    return render(request, "home.html", {
        "accepting": [r for r in rounds if r.opens_at <= now],
        "upcoming": [r for r in rounds if r.opens_at > now],
    })


@login_not_required
def round_detail(request, pk):
    """Everything a call says; drafts only for staff and oversight (else 404)."""
    funding_round = get_visible_or_404(
        FundingRound.objects.select_related("programme").prefetch_related(
            "themes", "tiers", "expense_categories"
        ),
        request.user,
        pk=pk,
    )
    return render(request, "grants/round_detail.html", {
        "round": funding_round,
        "legal_forms": funding_round.allowed_legal_form_labels(),
    })


# --- Staff pages -------------------------------------------------------------------


def _managed_round(request, pk) -> FundingRound:
    """Scope first (drafts are 404 outside staff/oversight), then the policy."""
    funding_round = get_visible_or_404(
        FundingRound.objects.select_related("programme"), request.user, pk=pk
    )
    require_perm(request.user, "grants.manage_round", funding_round)
    return funding_round


def _call(form, action, **kwargs):
    """Run a service; a refusal becomes an error next to the field it names."""
    try:
        return action(**kwargs)
    except DomainError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error.message))
        return None


def _posted(request):
    """The submitted data, or None for GET (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def _edit_url(funding_round, anchor: str = "") -> str:
    return reverse("grants:round_edit", args=[funding_round.pk]) + anchor


@require_http_methods(["GET"])
def staff_round_list(request):
    """Every round the user can see, drafts included, with counts."""
    if not policies.sees_all_programmes(request.user):
        raise PermissionDenied
    rounds = (
        FundingRound.objects.visible_to(request.user)
        .select_related("programme")
        .annotate(
            theme_count=count_of(Theme.objects, "funding_round"),
            tier_count=count_of(ScaleTier.objects, "funding_round"),
            application_count=count_of(apps.get_model("applications", "Application").objects, "funding_round"),
        )
    )
    status = request.GET.get("status", "")
    if status in Status.values:
        rounds = rounds.filter(status=status)
    managed = Programme.objects.filter(policies.programmes_managed_by(request.user))
    managed_ids = set(managed.values_list("pk", flat=True))
    rows = [(r, r.programme_id in managed_ids) for r in rounds]
    return render(request, "grants/round_list_staff.html", {
        "rows": rows,
        "statuses": Status.choices,
        "status": status,
        "may_create": bool(managed_ids),
    })


@require_http_methods(["GET", "POST"])
def round_create(request):
    """A new draft round in a programme the user staffs."""
    programmes = Programme.objects.filter(policies.programmes_managed_by(request.user))
    if not programmes.exists():
        raise PermissionDenied
    form = RoundCreateForm(
        _posted(request),
        programmes=programmes,
        initial={
            "fiscal_year": current_fiscal_year(),
            "max_award_years": 1,
            "ceiling_basis": FundingRound.CeilingBasis.PER_FISCAL_YEAR,
            "min_prefectures": 1,
            "budget_change_threshold_percent": 20,
            "expense_categories": services.ensure_default_expense_categories(),
        },
    )
    if request.method == "POST" and form.is_valid():
        programme = form.cleaned_data["programme"]
        require_perm(request.user, "grants.create_round", programme)
        funding_round = _call(
            form, services.create_round, programme=programme, by=request.user,
            **form.round_values(),
        )
        if funding_round is not None:
            messages.success(request, _("Draft round created. Add themes and tiers, then open it."))
            return redirect(_edit_url(funding_round))
    return render(request, "grants/round_form.html", {"form": form, "round": None})


@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    """The round's fields, themes, tiers and status buttons in one page."""
    funding_round = _managed_round(request, pk)
    form = RoundEditForm(
        _posted(request),
        funding_round=funding_round,
        initial=RoundForm.initial_for(funding_round),
    )
    if request.method == "POST" and form.is_valid():
        updated = _call(
            form, services.update_round, funding_round=funding_round, by=request.user,
            reason=form.cleaned_data["reason"], **form.round_values(),
        )
        if updated is not None:
            messages.success(request, _("The round was saved."))
            return redirect(_edit_url(funding_round))
    allowed = FundingRound.TRANSITIONS.get(funding_round.status, set())
    return render(request, "grants/round_form.html", {
        "form": form,
        "round": funding_round,
        "themes": funding_round.themes.all(),
        "tiers": funding_round.tiers.all(),
        "problems": (
            services.round_open_problems(funding_round)
            if funding_round.status == Status.DRAFT else []
        ),
        "needs_reason": _needs_reason(funding_round),
        "actions": [
            (action, label) for action, (_s, to, label) in TRANSITIONS.items() if to in allowed
        ],
    })


def _needs_reason(funding_round) -> bool:
    return funding_round.is_published and services.round_has_applications(funding_round)


# What each move does, shown on its confirmation page.
TRANSITION_EFFECTS = {
    "open": gettext_lazy("The round is published and accepts applications from its opening "
                         "time until its deadline (Japan time). Its rules can then change only "
                         "with a recorded reason."),
    "close": gettext_lazy("No further application can be submitted or resubmitted; drafts stay "
                          "as they are. Submitted applications go on to screening and review."),
    "start_review": gettext_lazy("Reviewers can be assigned and score the submitted "
                                 "applications."),
    "decide": gettext_lazy("The round is marked as decided: its decisions are final."),
    "archive": gettext_lazy("The round is archived and kept for the record."),
}


@require_http_methods(["GET", "POST"])
def round_transition(request, pk):
    """open / close / start_review / decide / archive, through grants.services.
    GET shows what the move does and asks for confirmation; POST makes it."""
    funding_round = _managed_round(request, pk)
    form = TransitionForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown action."))
    if request.method == "GET":
        return _confirm_transition(request, funding_round, form.cleaned_data)
    service, to, _label = TRANSITIONS[form.cleaned_data["action"]]
    run_service(
        request, service, funding_round=funding_round, by=request.user,
        reason=form.cleaned_data["reason"],
        success=_("The round is now: %(status)s.") % {"status": Status(to).label},
    )
    return redirect(_edit_url(funding_round))


def _confirm_transition(request, funding_round, data):
    action = data["action"]
    _service, to, label = TRANSITIONS[action]
    counts = dict(
        funding_round.applications.values_list("status").annotate(n=Count("id")).order_by()
    )
    labels = dict(funding_round.applications.model.Status.choices)
    return render(request, "grants/round_transition_confirm.html", {
        "round": funding_round, "action": action, "label": label, "to": Status(to).label,
        "effect": TRANSITION_EFFECTS[action], "reason": data["reason"],
        "allowed": to in FundingRound.TRANSITIONS.get(funding_round.status, set()),
        "problems": services.round_open_problems(funding_round) if action == "open" else [],
        "counts": [(labels.get(status, status), n) for status, n in sorted(counts.items())],
    })


@require_http_methods(["GET", "POST"])
def round_copy(request, pk):
    """Start next year's draft from this round."""
    source = _managed_round(request, pk)
    form = CopyRoundForm(_posted(request), initial={"fiscal_year": source.fiscal_year + 1})
    if request.method == "POST" and form.is_valid():
        copy = _call(
            form, services.copy_round, source=source, by=request.user,
            fiscal_year=form.cleaned_data["fiscal_year"],
        )
        if copy is not None:
            messages.success(request, _("A draft copy was created. Check its dates before opening it."))
            return redirect(_edit_url(copy))
    return render(request, "grants/round_copy.html", {"form": form, "round": source})


@require_http_methods(["GET", "POST"])
def round_reporting_defaults(request, pk):
    """Due dates and reminders of the round's reports, for awards made from now on."""
    funding_round = _managed_round(request, pk)
    current = ReportingDefaults.for_round(funding_round)
    form = ReportingDefaultsForm(_posted(request), initial=ReportingDefaultsForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        saved = _call(
            form, reporting_defaults.save_reporting_defaults, funding_round=funding_round,
            by=request.user, reason=form.cleaned_data["reason"], **form.default_values(),
        )
        if saved is not None:
            messages.success(request, _("The reporting schedule defaults were saved."))
            return redirect("grants:round_reporting_defaults", pk=funding_round.pk)
    return render(request, "grants/round_reporting_defaults.html", {
        "form": form,
        "round": funding_round,
        "is_saved": current.pk is not None,
        "award_count": funding_round.awards.count(),
    })


@require_http_methods(["GET"])
def round_history(request, pk):
    """Who changed what, when and why."""
    funding_round = get_visible_or_404(
        FundingRound.objects.select_related("programme"), request.user, pk=pk
    )
    require_perm(request.user, "grants.view_round_history", funding_round)
    events = funding_round.events.select_related("actor").order_by("-at", "-id")
    return render(request, "grants/round_history.html", {
        "round": funding_round,
        "events": [_event_row(e) for e in events],
    })


# --- Themes and tiers --------------------------------------------------------------


def _part_page(request, pk, *, kind, part_pk=None):
    """Add or edit one theme or tier of a round."""
    funding_round = _managed_round(request, pk)
    model, form_class, save = {
        "theme": (Theme, ThemeForm, services.save_theme),
        "tier": (ScaleTier, TierForm, services.save_tier),
    }[kind]
    part = None
    if part_pk is not None:
        part = get_object_or_404(model, pk=part_pk, funding_round=funding_round)
        initial = {name: getattr(part, name) for name in form_class.part_fields}
    elif kind == "theme":
        initial = {"number": funding_round.themes.count() + 1}
    else:
        initial = {"sort_order": funding_round.tiers.count() * 10}
    form = form_class(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _call(
            form, save, funding_round=funding_round, by=request.user,
            reason=form.cleaned_data["reason"], **{kind: part}, **form.part_values(),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(_edit_url(funding_round, f"#{kind}s"))
    return render(request, "grants/part_form.html", {
        "form": form, "round": funding_round, "part": part, "kind": kind,
        "needs_reason": _needs_reason(funding_round),
    })


def _part_delete(request, pk, *, kind, part_pk):
    funding_round = _managed_round(request, pk)
    model, delete = {
        "theme": (Theme, services.delete_theme),
        "tier": (ScaleTier, services.delete_tier),
    }[kind]
    part = get_object_or_404(model, pk=part_pk, funding_round=funding_round)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            delete(**{kind: part}, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason" if error.field == "reason" else None, str(error.message))
        else:
            messages.success(request, _("Removed."))
            return redirect(_edit_url(funding_round, f"#{kind}s"))
    return render(request, "grants/part_confirm_delete.html", {
        "form": form, "round": funding_round, "part": part, "kind": kind,
        "needs_reason": _needs_reason(funding_round),
    })


@require_http_methods(["GET", "POST"])
def theme_add(request, pk):
    return _part_page(request, pk, kind="theme")


@require_http_methods(["GET", "POST"])
def theme_edit(request, pk, theme_pk):
    return _part_page(request, pk, kind="theme", part_pk=theme_pk)


@require_http_methods(["GET", "POST"])
def theme_delete(request, pk, theme_pk):
    return _part_delete(request, pk, kind="theme", part_pk=theme_pk)


@require_http_methods(["GET", "POST"])
def tier_add(request, pk):
    return _part_page(request, pk, kind="tier")


@require_http_methods(["GET", "POST"])
def tier_edit(request, pk, tier_pk):
    return _part_page(request, pk, kind="tier", part_pk=tier_pk)


@require_http_methods(["GET", "POST"])
def tier_delete(request, pk, tier_pk):
    return _part_delete(request, pk, kind="tier", part_pk=tier_pk)


# --- History display ---------------------------------------------------------------

_FIELD_MODELS = (FundingRound, Theme, ScaleTier, ReportingDefaults)


def _field_label(name: str) -> str:
    for model in _FIELD_MODELS:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            continue
    return name


def _show(name: str, value) -> str:
    """A value of the history as a person reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name.endswith("_yen") and isinstance(value, int):
        return format_yen(value)
    if name == "allowed_legal_forms" and isinstance(value, list):
        labels = dict(LegalForm.choices)
        return "、".join(str(labels.get(v, v)) for v in value) or _("All legal forms")
    if name == "ceiling_basis":
        return str(dict(FundingRound.CeilingBasis.choices).get(value, value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    if name.endswith("_at") and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return format_datetime(moment)
    return str(value)


def _event_row(event) -> dict:
    changes = []
    for name, value in (event.changes or {}).items():
        if isinstance(value, list) and len(value) == 2 and name not in ("theme", "tier"):
            changes.append((_field_label(name), _show(name, value[0]), _show(name, value[1])))
        else:
            changes.append((_field_label(name), None, _show(name, value)))
    return {
        "event": event,
        "action": event.get_action_display(),
        "from": Status(event.from_status).label if event.from_status in Status.values else "",
        "to": Status(event.to_status).label if event.to_status in Status.values else "",
        "changes": changes,
    }
