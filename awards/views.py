"""Award pages that change an award: status, continuation, years, budgets,
payments, settlement, report due dates and budget change requests. Thin:
scope (404), policy (403), then awards.services; each answers with the
award's page (reporting:award_detail), which shows the award with its
reports.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import policies
from core.errors import DomainError
from core.views import get_visible_or_404, messages_for_form_errors, require_perm, run_service

from . import forms
from . import services as award_services
from .models import Award, AwardYear, BudgetChangeRequest, ReportDeadline


def _managed_award(request, pk) -> Award:
    award = get_visible_or_404(Award.objects.select_related("funding_round__programme"),
                               request.user, pk=pk)
    require_perm(request.user, "awards.manage_award", award)
    return award


def _managed_year(request, pk) -> AwardYear:
    year = get_object_or_404(
        AwardYear.objects.select_related("award", "award__funding_round__programme")
        .filter(award__in=Award.objects.visible_to(request.user)),
        pk=pk,
    )
    require_perm(request.user, "awards.manage_award", year.award)
    return year


def _back(award, anchor: str = ""):
    return redirect(reverse("reporting:award_detail", args=[award.pk]) + anchor)


def _run_form(request, form, action, *, success, values):
    """Validate the form's shape, then run the service with `values(data)`."""
    if not form.is_valid():
        messages_for_form_errors(request, form)
        return None
    return run_service(request, action, success=success, **values(form.cleaned_data))


@require_POST
def award_status(request, pk):
    award = _managed_award(request, pk)
    form = forms.AwardStatusForm(request.POST, prefix="st")
    _run_form(request, form, award_services.change_award_status,
              success=_("The award status was changed."),
              values=lambda d: {"award": award, "to": d["to"], "reason": d["reason"],
                                "by": request.user})
    return _back(award)


@require_POST
def continuation(request, pk):
    award = _managed_award(request, pk)
    years = list(award.years.values_list("fiscal_year", flat=True))
    form = forms.ContinuationForm(request.POST, years=years)
    _run_form(request, form, award_services.record_continuation,
              success=_("The continuation decision was recorded."),
              values=lambda d: {"award": award, "fiscal_year": d["fiscal_year"],
                                "decision": d["decision"], "reason": d["reason"],
                                "by": request.user})
    return _back(award, "#years")


@require_POST
def year_start(request, pk):
    year = _managed_year(request, pk)
    run_service(request, award_services.start_award_year, award_year=year, by=request.user,
                success=_("The fiscal year has started."))
    return _back(year.award, f"#year-{year.fiscal_year}")


@require_POST
def year_budget(request, pk):
    year = _managed_year(request, pk)
    categories = list(year.award.funding_round.expense_categories.all())
    form = forms.YearBudgetForm(request.POST, prefix=f"y{year.pk}b", categories=categories)
    _run_form(request, form, award_services.set_year_budget, success=_("The budget was saved."),
              values=lambda d: {"award_year": year, "amounts": form.amounts(),
                                "reason": d.get("reason", ""), "by": request.user})
    return _back(year.award, f"#year-{year.fiscal_year}")


@require_POST
def payment_schedule(request, pk):
    year = _managed_year(request, pk)
    form = forms.SchedulePaymentForm(request.POST, prefix=f"y{year.pk}s")
    _run_form(request, form, award_services.schedule_payment,
              success=_("The payment was scheduled."),
              values=lambda d: {"award_year": year, "kind": d["kind"], "due_on": d["due_on"],
                                "amount_yen": d["amount_yen"], "note": d["note"],
                                "by": request.user})
    return _back(year.award, f"#year-{year.fiscal_year}")


@require_POST
def payment_record(request, pk):
    year = _managed_year(request, pk)
    form = forms.RecordPaymentForm(request.POST, prefix=f"y{year.pk}r", award_year=year)
    _run_form(request, form, award_services.record_payment,
              success=_("The payment was recorded."),
              values=lambda d: {"award_year": year, "kind": d["kind"], "paid_on": d["paid_on"],
                                "amount_yen": d["amount_yen"], "note": d["note"],
                                "scheduled": d.get("scheduled"), "by": request.user})
    return _back(year.award, f"#year-{year.fiscal_year}")


@require_POST
def year_settle(request, pk):
    year = _managed_year(request, pk)
    form = forms.SettleForm(request.POST, prefix=f"y{year.pk}c")
    _run_form(request, form, award_services.settle_award_year,
              success=_("The amount was confirmed (額の確定)."),
              values=lambda d: {"award_year": year, "confirmed_yen": d["confirmed_yen"],
                                "reason": d["reason"], "by": request.user})
    return _back(year.award, f"#year-{year.fiscal_year}")


@require_POST
def deadline_due(request, pk):
    deadline = get_object_or_404(
        ReportDeadline.objects.select_related("award", "award__funding_round__programme")
        .filter(award__in=Award.objects.visible_to(request.user)),
        pk=pk,
    )
    require_perm(request.user, "awards.manage_award", deadline.award)
    form = forms.DueDateForm(request.POST, prefix=f"due{deadline.pk}")
    _run_form(request, form, award_services.set_report_due_date,
              success=_("The due date was changed."),
              values=lambda d: {"deadline": deadline, "due_on": d["due_on"], "reason": d["reason"],
                                "by": request.user})
    return _back(deadline.award, "#reports")


# --- Budget change requests --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def change_request_new(request, pk):
    """The organisation proposes moving money between categories of a year."""
    year = get_object_or_404(
        AwardYear.objects.select_related("award", "award__funding_round", "award__organisation")
        .filter(award__in=Award.objects.visible_to(request.user)),
        pk=pk,
    )
    require_perm(request.user, "awards.request_budget_change", year.award)
    categories = year.award.funding_round.expense_categories.all()
    form = forms.ChangeRequestForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = award_services.request_budget_change(
                award_year=year, from_category=data["from_category"],
                to_category=data["to_category"], amount_yen=data["amount_yen"],
                reason=data["reason"], by=request.user,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            if change.status == BudgetChangeRequest.Status.APPROVED:
                messages.success(request, _("The change is within the threshold and was approved."))
            else:
                messages.success(request, _("The request was sent to programme staff."))
            return _back(year.award, "#changes")
    lines = year.budget_lines.select_related("expense_category")
    return render(request, "awards/change_request_form.html", {
        "form": form, "year": year, "award": year.award, "lines": lines,
        "threshold_percent": year.award.funding_round.budget_change_threshold_percent,
    })


def _change_request(request, pk) -> BudgetChangeRequest:
    return get_object_or_404(
        BudgetChangeRequest.objects.select_related(
            "award_year", "award_year__award", "award_year__award__organisation",
            "award_year__award__funding_round__programme",
        ).filter(policies.change_requests_visible_to(request.user)),
        pk=pk,
    )


@require_POST
def change_request_decide(request, pk):
    change = _change_request(request, pk)
    require_perm(request.user, "awards.decide_budget_change", change)
    form = forms.ChangeDecisionForm(request.POST, prefix=f"cr{change.pk}")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        action = (award_services.approve_budget_change if approve
                  else award_services.reject_budget_change)
        run_service(request, action, change_request=change, by=request.user,
                    comment=form.cleaned_data["comment"],
                    success=_("The decision was recorded."))
    else:
        messages_for_form_errors(request, form)
    return _back(change.award_year.award, "#changes")


@require_POST
def change_request_withdraw(request, pk):
    change = _change_request(request, pk)
    require_perm(request.user, "awards.withdraw_budget_change", change)
    run_service(request, award_services.withdraw_budget_change, change_request=change,
                by=request.user, success=_("The request was withdrawn."))
    return _back(change.award_year.award, "#changes")
