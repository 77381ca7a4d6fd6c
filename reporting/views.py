"""Award and report pages. Thin: scope (404), policy (403), then a service.

Organisations see their awards (`award_mine`) and write their reports;
programme staff manage awards and review reports; oversight reads all.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from awards import forms as award_forms
from awards import services as award_services
from awards.models import Award, AwardYear, ReportDeadline
from core import policies
from core.errors import DomainError, StaleVersion
from core.views import get_visible_or_404, messages_for_form_errors, require_perm, run_service

from . import forms, queries, services
from .models import ProgressReport, ReportVersion
from .pdf import report_pdf as build_report_pdf

# --- Award pages -----------------------------------------------------------------------


@require_http_methods(["GET"])
def award_list(request):
    """Staff and oversight: every award, filtered, with paid and overdue."""
    if not policies.can_list_awards(request.user):
        raise PermissionDenied
    form = forms.AwardFilterForm(request.GET or None)
    awards = queries.awards_for_list(request.user, **(form.filters() if request.GET else {}))
    return render(request, "reporting/award_list.html", {
        "form": form, "awards": awards, "query": request.GET.urlencode(),
        # The exports list the same rows in the same order (reporting.exports).
        "may_export": policies.can_view_oversight(request.user),
    })


@require_http_methods(["GET"])
def award_mine(request):
    """The awards of the user's organisations, with what is due next."""
    awards = (
        Award.objects.visible_to(request.user)
        .filter(policies.of_member(request.user))
        .select_related("organisation", "funding_round")
        .prefetch_related("years", Prefetch(
            "deadlines", queryset=ReportDeadline.objects.select_related("report", "award_year")
            .order_by("due_on", "id")))
    )
    now = timezone.now()
    rows = []
    for award in awards:
        deadlines = [
            {"deadline": d, "report": getattr(d, "report", None),
             "overdue": _is_overdue_now(d, now)}
            for d in award.deadlines.all()
        ]
        rows.append({"award": award, "deadlines": deadlines,
                     "overdue_count": sum(row["overdue"] for row in deadlines)})
    return render(request, "reporting/award_mine.html", {"rows": rows})


def _is_overdue_now(deadline, now) -> bool:
    """As the staff list counts it (queries.overdue_q): not for a year that
    has not started or was stopped."""
    if deadline.award_year.state in (AwardYear.State.PLANNED, AwardYear.State.STOPPED):
        return False
    return queries.is_overdue(deadline, getattr(deadline, "report", None), now)


def _award_for(request, pk) -> Award:
    try:
        return queries.award_detail(Award.objects.visible_to(request.user), pk=pk)
    except Award.DoesNotExist as missing:
        raise Http404 from missing


@require_http_methods(["GET"])
def award_detail(request, pk):
    """The whole multi-year history of an award on one screen."""
    award = _award_for(request, pk)
    user = request.user
    may_manage = user.has_perm("awards.manage_award", award)
    years = list(award.years.all())
    later_planned = [y.fiscal_year for y in years[1:] if y.state == AwardYear.State.PLANNED]
    categories = list(award.funding_round.expense_categories.all()) if may_manage else []
    continuations = {c.fiscal_year: c for c in award.continuations.all()}
    now = timezone.now()
    deadlines = [
        {"deadline": d, "report": getattr(d, "report", None),
         "overdue": queries.is_overdue(d, getattr(d, "report", None), now)}
        for d in award.deadlines.all()
    ]
    year_forms = {}
    if may_manage:
        for year in years:
            prefix = f"y{year.pk}"
            year_forms[year.pk] = {
                "schedule": award_forms.SchedulePaymentForm(prefix=prefix + "s"),
                "record": award_forms.RecordPaymentForm(prefix=prefix + "r", award_year=year),
                "settle": award_forms.SettleForm(prefix=prefix + "c",
                                           initial={"confirmed_yen": year.approved_yen}),
                "budget": award_forms.YearBudgetForm(
                    prefix=prefix + "b", categories=categories,
                    initial_amounts={line.expense_category_id: line.approved_yen
                                     for line in year.budget_lines.all()},
                ),
            }
    return render(request, "reporting/award_detail.html", {
        "award": award,
        "years": years,
        "year_rows": [
            {"year": y, "forms": year_forms.get(y.pk), "continuation": continuations.get(y.fiscal_year),
             "budget_editable": award_services.year_budget_editable(y, is_first=i == 0),
             "redistribute_only": award_services.is_redistribution_only(y, is_first=i == 0)}
            for i, y in enumerate(years)
        ],
        "budget": queries.budget_vs_actual(award),
        "payment_rows": {y.pk: queries.payment_rows(y) for y in years},
        "deadlines": deadlines,
        "events": [(e, e.get_action_display()) for e in award.events.all()],
        "may_manage": may_manage,
        "may_start_report": award.organisation.has_member(user),
        "continuation_form": award_forms.ContinuationForm(years=later_planned) if later_planned else None,
        "status_form": award_forms.AwardStatusForm(prefix="st"),
        "due_form_prefix": "due",
    })


def _back(award, anchor: str = ""):
    return redirect(reverse("reporting:award_detail", args=[award.pk]) + anchor)


# --- Reports ---------------------------------------------------------------------------


@require_POST
def report_start(request, pk):
    """Open (or reopen) the report of a deadline and go to its form."""
    deadline = get_object_or_404(
        ReportDeadline.objects.select_related("award", "award__organisation")
        .filter(award__in=Award.objects.visible_to(request.user)),
        pk=pk,
    )
    require_perm(request.user, "reporting.start_report", deadline)
    report = run_service(request, services.start_report, deadline=deadline, by=request.user)
    if report is None:
        return _back(deadline.award, "#reports")
    return redirect("reporting:report_edit", pk=report.pk)


def _report_for(request, pk) -> ProgressReport:
    try:
        return queries.report_detail(ProgressReport.objects.visible_to(request.user), pk=pk)
    except ProgressReport.DoesNotExist as missing:
        raise Http404 from missing


@require_http_methods(["GET"])
def report_detail(request, pk):
    report = _report_for(request, pk)
    may_review = request.user.has_perm("reporting.review_report", report)
    return render(request, "reporting/report_detail.html", {
        "report": report,
        "award": report.award,
        "content": queries.labelled_content(services.report_content(report)),
        "findings": services.personal_data_findings(report),
        "unaccepted": services.unaccepted_personal_data(report),
        "variances": services.expense_variances(report),
        "may_edit": request.user.has_perm("reporting.edit_report", report) and report.is_editable,
        "overdue": _is_overdue_now(report.deadline, timezone.now()),
        "may_review": may_review,
        "review_form": forms.ReviewForm() if may_review else None,
        "personal_data_form": forms.PersonalDataForm() if may_review else None,
    })


def _report_forms(report, data=None):
    groups = list(report.award.application.target_groups.all())
    used = {c.target_group for a in report.activities.all() for c in a.participant_counts.all()}
    groups += sorted(used - set(groups), key=lambda g: (g.sort_order, g.code))
    form = forms.ReportForm(data, report=report, initial=forms.ReportForm.initial_for(report))
    # A bound formset gets no initial rows: with them, a row saved in the
    # background since the page loaded looks "unchanged" and is dropped.
    formset = forms.ActivityFormSet(
        data, prefix="act", initial=forms.activity_initial(report) if data is None else None,
        form_kwargs={"target_groups": groups},
    )
    return form, formset


def _editable_report(request, pk) -> ProgressReport:
    report = _report_for(request, pk)
    require_perm(request.user, "reporting.edit_report", report)
    return report


@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    """The report form; saves the draft, or saves and submits."""
    report = _editable_report(request, pk)
    if not report.is_editable:
        messages.info(request, _("This report has been submitted and cannot be edited now."))
        return redirect("reporting:report_detail", pk=report.pk)
    form, formset = _report_forms(report, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = None
        try:
            saved = services.save_report_draft(
                report=report, data=form.to_data(forms.activities_from(formset)),
                lock_version=form.cleaned_data["lock_version"], by=request.user,
            )
            if request.POST.get("action") == "submit":
                services.submit_report(report=saved, by=request.user)
                messages.success(request, _("The report was submitted."))
                return redirect("reporting:report_detail", pk=report.pk)
        except DomainError as error:
            messages.error(request, str(error.message))
            if saved is not None:
                # The draft was saved but not submitted: show what was typed
                # again, carrying the saved version.
                messages.info(request, _("The draft was saved."))
                report = _report_for(request, pk)
                data = request.POST.copy()
                data["lock_version"] = str(report.lock_version)
                form, formset = _report_forms(report, data)
            # Otherwise the page shows again what was typed: nothing is lost.
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("reporting:report_edit", pk=report.pk)
    return render(request, "reporting/report_edit.html", {
        "report": report, "award": report.award, "form": form, "formset": formset,
        "findings": services.personal_data_findings(report),
        "unaccepted": services.unaccepted_personal_data(report),
        "variances": services.expense_variances(report),
        "approved": services.approved_by_category(report) if report.has_expenses else {},
        "overdue": _is_overdue_now(report.deadline, timezone.now()),
    })


@require_POST
def report_autosave(request, pk):
    """Background save of the form: JSON answer, 412 when stale."""
    report = _editable_report(request, pk)
    form, formset = _report_forms(report, request.POST)
    if not (form.is_valid() and formset.is_valid()):
        errors = {**form.errors, "activities": formset.errors}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    try:
        saved = services.save_report_draft(
            report=report, data=form.to_data(forms.activities_from(formset)),
            lock_version=form.cleaned_data["lock_version"], by=request.user,
        )
    except StaleVersion as error:
        return JsonResponse({"saved": False, "code": error.code, "detail": str(error.message)},
                            status=412)
    except DomainError as error:
        return JsonResponse({"saved": False, "code": error.code, "detail": str(error.message),
                             "field": error.field}, status=409)
    findings = services.unaccepted_personal_data(saved)
    return JsonResponse({
        "saved": True, "lock_version": saved.lock_version,
        "saved_at": timezone.localtime(saved.updated_at).strftime("%H:%M:%S"),
        "personal_data": findings,
    })


@require_POST
def report_review(request, pk):
    report = _report_for(request, pk)
    require_perm(request.user, "reporting.review_report", report)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        action = services.accept_report if accept else services.request_report_revision
        run_service(request, action, report=report, by=request.user,
                    comment=form.cleaned_data["comment"],
                    success=_("The report was accepted.") if accept
                    else _("Revision was requested."))
    else:
        messages_for_form_errors(request, form)
    return redirect("reporting:report_detail", pk=report.pk)


@require_POST
def report_personal_data(request, pk):
    """SECURITY: staff explicitly accept the personal data found now."""
    report = _report_for(request, pk)
    require_perm(request.user, "reporting.review_report", report)
    form = forms.PersonalDataForm(request.POST)
    if form.is_valid():
        run_service(request, services.accept_personal_data, report=report, by=request.user,
                    reason=form.cleaned_data["reason"],
                    success=_("The personal data found was accepted for this report."))
    else:
        messages_for_form_errors(request, form)
    return redirect("reporting:report_detail", pk=report.pk)


def _version(request, pk, number) -> ReportVersion:
    report = get_visible_or_404(ProgressReport.objects.select_related("award"), request.user,
                                pk=pk)
    return get_object_or_404(report.versions.select_related("submitted_by", "report__award"),
                             number=number)


@require_http_methods(["GET"])
def report_version(request, pk, number):
    """One frozen submission, as handed in."""
    version = _version(request, pk, number)
    return render(request, "reporting/report_version.html", {
        "version": version, "report": version.report, "award": version.report.award,
        "content": queries.labelled_content(version.content),
        "others": version.report.versions.order_by("number").values_list("number", flat=True),
    })


@require_http_methods(["GET"])
def report_pdf(request, pk, number):
    version = _version(request, pk, number)
    data = build_report_pdf(version)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="report-{version.report.award.award_number}-'
        f'{version.report.kind}-{version.report.fiscal_year}-v{version.number}.pdf"'
    )
    return response
