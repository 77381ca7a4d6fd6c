"""Pages of the findings library, the oversight dashboard, the model report
and the portfolio exports. Thin: scope (404), policy (403), then a service.

SECURITY: only programme staff and the oversight viewer reach these pages;
everyone else gets 404, as for objects outside their scope.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.models import Award
from core.errors import DomainError, StaleVersion
from core.fiscal import current_fiscal_year
from core.policies import can_view_oversight, programmes_managed_by
from core.subqueries import count_of
from core.views import get_visible_or_404, require_perm, run_service
from grants.models import Programme, Theme

from .. import aggregates, charts, exports
from ..models import ProgressReport
from . import services
from .filters import FindingFilter
from .forms import (
    DeleteFindingForm,
    FindingForm,
    IndicatorEvidenceForm,
    ModelReportForm,
    OutcomeFilterForm,
    PassageEvidenceForm,
    ProgrammeChoiceForm,
    initial_for,
)
from .models import Finding, FindingEvent, FindingEvidence, ModelReportJob

PAGE_SIZE = 25


def _require_oversight(user) -> None:
    if not can_view_oversight(user):
        raise Http404


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Dashboard ------------------------------------------------------------------------------


def _chart(chart_id, title, rows, *, value_key="participants", label_key="label", unit=""):
    return charts.bar_chart_svg(
        chart_id=chart_id, title=title, categories=[r[label_key] for r in rows],
        series=[charts.Series(_("Cumulative participants"), [r[value_key] for r in rows])],
        unit=unit,
    )


def _money_chart(chart_id, title, rows):
    series = [
        charts.Series(_("Approved"), [r["approved_yen"] for r in rows]),
        charts.Series(_("Paid"), [r["paid_yen"] for r in rows]),
        charts.Series(_("Actual"), [r["actual_yen"] for r in rows]),
    ]
    return charts.bar_chart_svg(
        chart_id=chart_id, title=title, categories=[r["label"] for r in rows], series=series,
        value_format=lambda v: "—" if v is None else _("¥%(amount)s") % {"amount": f"{v:,}"},
    ), charts.legend_text(series)


def _timeliness_chart(timeliness):
    labels = aggregates.Timeliness.labels()
    rows = timeliness["rows"]
    series = [charts.Series(str(labels[t]), [r[t] for r in rows])
              for t in aggregates.Timeliness.ORDER]
    return charts.bar_chart_svg(
        chart_id="chart-timeliness", title=_("Reports by timeliness"),
        categories=[r["label"] for r in rows], series=series,
    ), charts.legend_text(series)


@require_GET
def dashboard(request):
    _require_oversight(request.user)
    form = OutcomeFilterForm(request.GET or None)
    scope = form.scope()
    figures = aggregates.outcomes(scope)
    budget_chart, budget_legend = _money_chart(
        "chart-budget-theme", _("Budget execution by theme"), figures["budget"]["by_theme"])
    timeliness_chart, timeliness_legend = _timeliness_chart(figures["timeliness"])
    jobs = (ModelReportJob.objects.select_related("programme", "requested_by")
            .order_by("-created_at", "-id")[:10])
    return render(request, "reporting/dashboard.html", {
        "form": form,
        "scope": scope,
        "figures": figures,
        "query": request.GET.urlencode(),
        "timeliness_labels": aggregates.Timeliness.labels(),
        "timeliness_order": aggregates.Timeliness.ORDER,
        "charts": {
            "theme": _chart("chart-theme", _("Cumulative participants by theme"),
                            figures["by_theme"], label_key="short_label"),
            "target_group": _chart("chart-target-group",
                                   _("Cumulative participants by target group"),
                                   figures["by_target_group"]),
            "feature_tag": _chart("chart-feature", _("Cumulative participants by feature"),
                                  figures["by_feature_tag"]),
            "budget": budget_chart, "budget_legend": budget_legend,
            "timeliness": timeliness_chart, "timeliness_legend": timeliness_legend,
        },
        "jobs": jobs,
        # Its own ids: the filter form above has the same field names.
        "report_form": ModelReportForm(auto_id="report_%s", initial={
            "programme": scope.programme_id, "fiscal_year": scope.fiscal_year}),
        "exports": [
            ("awards", _("Awards")), ("reports", _("Reports")), ("findings", _("Findings")),
        ],
    })


# --- Findings library ------------------------------------------------------------------------


def _findings_page(request, *, base_filter: dict | None = None, heading: str, subject=None):
    _require_oversight(request.user)
    data = request.GET.copy()
    for key, value in (base_filter or {}).items():
        data[key] = value
    queryset = Finding.objects.visible_to(request.user).select_related(
        "programme", "theme", "theme__funding_round", "award", "award__organisation",
    ).prefetch_related("target_groups", "feature_tags").annotate(
        evidence_count=count_of(FindingEvidence.objects, "finding"))
    filterset = FindingFilter(data, queryset=queryset)
    page = Paginator(filterset.qs.order_by("-fiscal_year", "kind", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    managed = Programme.objects.filter(programmes_managed_by(request.user))
    return render(request, "reporting/findings/list.html", {
        "filter": filterset,
        "page": page,
        "heading": heading,
        "subject": subject,
        "query": _query_without_page(request),
        "export_query": data.urlencode(),
        "may_add": managed.exists(),
    })


@require_GET
def findings_list(request):
    return _findings_page(request, heading=_("Findings"))


@require_GET
def findings_of_award(request, pk):
    _require_oversight(request.user)
    award = get_visible_or_404(Award.objects.select_related("organisation"), request.user, pk=pk)
    return _findings_page(
        request, base_filter={"award": str(award.pk)}, subject=award,
        heading=_("Findings of %(award)s") % {"award": award},
    )


@require_GET
def findings_of_theme(request, pk):
    _require_oversight(request.user)
    theme = get_object_or_404(Theme.objects.select_related("funding_round"), pk=pk)
    return _findings_page(
        request, base_filter={"theme": str(theme.pk)}, subject=theme,
        heading=_("Findings of theme %(theme)s") % {"theme": theme},
    )


def _finding(request, pk, perm: str | None = None) -> Finding:
    finding = get_visible_or_404(
        Finding.objects.select_related("programme", "theme", "theme__funding_round", "award",
                                       "award__organisation"),
        request.user, pk=pk,
    )
    if perm:
        require_perm(request.user, perm, finding)
    return finding


@require_GET
def finding_detail(request, pk):
    finding = _finding(request, pk)
    evidence = finding.evidence.select_related(
        "report", "report__award", "report__award__organisation", "indicator_actual")
    events = FindingEvent.objects.filter(finding=finding).select_related("actor").order_by(
        "-at", "-id")
    may_change = request.user.has_perm("reporting.change_finding", finding)
    return render(request, "reporting/findings/detail.html", {
        "finding": finding,
        "evidence": evidence,
        "events": events,
        "may_change": may_change,
        "passage_form": PassageEvidenceForm(finding=finding) if may_change else None,
        "indicator_form": IndicatorEvidenceForm(finding=finding) if may_change else None,
    })


def _programme_for_new(request):
    """The programme a new finding goes into: ?programme=, or the only one
    the user staffs. None when the user must still choose."""
    managed = Programme.objects.filter(programmes_managed_by(request.user)).order_by("code")
    pk = request.GET.get("programme") or request.POST.get("programme")
    if pk:
        programme = get_object_or_404(Programme, pk=pk) if str(pk).isdigit() else None
        if programme is None:
            raise Http404
        require_perm(request.user, "reporting.add_finding", programme)
        return programme, managed
    if managed.count() == 1:
        return managed.get(), managed
    return None, managed


def _initial_from_query(request) -> dict:
    initial = {"fiscal_year": current_fiscal_year()}
    award_pk = request.GET.get("award")
    if award_pk and award_pk.isdigit():
        initial["award"] = int(award_pk)
    report_pk = request.GET.get("report")
    if report_pk and report_pk.isdigit():
        report = ProgressReport.objects.filter(pk=report_pk).only("award_id", "fiscal_year").first()
        if report:
            initial.update(award=report.award_id, fiscal_year=report.fiscal_year)
    return initial


@require_http_methods(["GET", "POST"])
def finding_create(request):
    _require_oversight(request.user)
    programme, managed = _programme_for_new(request)
    if programme is None:
        if not managed.exists():
            # Oversight and staff of no programme may read but not add.
            raise PermissionDenied
        return render(request, "reporting/findings/choose_programme.html", {
            "form": ProgrammeChoiceForm(programmes=managed),
        })
    form = FindingForm(request.POST or None, programme=programme,
                       initial=_initial_from_query(request))
    if request.method == "POST" and form.is_valid():
        finding = _save(request, form, services.create_finding, programme=programme,
                        data=form.service_data(), by=request.user)
        if finding is not None:
            messages.success(request, _("Finding recorded. Add the evidence that supports it."))
            return redirect("reporting:finding_detail", pk=finding.pk)
    return render(request, "reporting/findings/form.html", {
        "form": form, "programme": programme, "finding": None,
    })


def _save(request, form, action, **kwargs):
    """Run a service; a refusal is shown next to its field and the typed
    input stays in the form (nothing is lost)."""
    try:
        return action(**kwargs)
    except StaleVersion as error:
        form.add_error(None, str(error.message))
    except DomainError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error.message))
    return None


@require_http_methods(["GET", "POST"])
def finding_edit(request, pk):
    finding = _finding(request, pk, "reporting.change_finding")
    form = FindingForm(request.POST or None, programme=finding.programme,
                       initial=initial_for(finding))
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, services.update_finding, finding=finding,
                      data=form.service_data(), lock_version=form.cleaned_data["lock_version"],
                      by=request.user)
        if saved is not None:
            messages.success(request, _("Finding saved."))
            return redirect("reporting:finding_detail", pk=finding.pk)
    return render(request, "reporting/findings/form.html", {
        "form": form, "programme": finding.programme, "finding": finding,
    })


@require_http_methods(["GET", "POST"])
def finding_delete(request, pk):
    finding = _finding(request, pk, "reporting.delete_finding")
    form = DeleteFindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_finding(finding=finding, by=request.user,
                                    reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Finding deleted."))
            return redirect("reporting:findings")
    return render(request, "reporting/findings/delete.html", {"finding": finding, "form": form})


def _errors_as_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
def finding_evidence_add(request, pk):
    finding = _finding(request, pk, "reporting.change_finding")
    form_class = (IndicatorEvidenceForm if request.POST.get("evidence_type") == "indicator"
                  else PassageEvidenceForm)
    form = form_class(request.POST, finding=finding)
    if form.is_valid():
        run_service(request, services.add_finding_evidence, finding=finding,
                    item=dict(form.cleaned_data), by=request.user, success=_("Evidence added."))
    else:
        _errors_as_messages(request, form)
    return redirect(reverse("reporting:finding_detail", kwargs={"pk": finding.pk}) + "#evidence")


@require_POST
def finding_evidence_remove(request, pk, evidence_pk):
    finding = _finding(request, pk, "reporting.change_finding")
    evidence = get_object_or_404(FindingEvidence, pk=evidence_pk, finding=finding)
    run_service(request, services.remove_finding_evidence, evidence=evidence, by=request.user,
                success=_("Evidence removed."))
    return redirect(reverse("reporting:finding_detail", kwargs={"pk": finding.pk}) + "#evidence")


# --- Model report ------------------------------------------------------------------------------


@require_POST
def model_report_request(request):
    _require_oversight(request.user)
    form = ModelReportForm(request.POST)
    if not form.is_valid():
        _errors_as_messages(request, form)
        return redirect("reporting:dashboard")
    programme = form.cleaned_data["programme"]
    require_perm(request.user, "reporting.generate_model_report", programme)
    job = run_service(request, services.request_model_report, programme=programme,
                      fiscal_year=form.cleaned_data["fiscal_year"], by=request.user)
    if job is None:
        return redirect("reporting:dashboard")
    return redirect("reporting:model_report_job", pk=job.pk)


def _job(request, pk) -> ModelReportJob:
    _require_oversight(request.user)
    return get_object_or_404(ModelReportJob.objects.select_related("programme", "requested_by"),
                             pk=pk)


@require_GET
def model_report_job(request, pk):
    job = _job(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse({
            "id": job.pk, "status": job.status, "status_label": job.get_status_display(),
            "progress_done": job.progress_done, "progress_total": job.progress_total,
            "percent": job.percent,
            "download_url": reverse("reporting:model_report_download", kwargs={"pk": job.pk})
            if job.is_ready else None,
        })
    return render(request, "reporting/findings/model_report_job.html", {"job": job})


@require_GET
def model_report_download(request, pk):
    job = _job(request, pk)
    require_perm(request.user, "reporting.download_model_report", job)
    if not job.is_ready:
        raise Http404
    filename = f"model-report-{job.programme.code}-{job.fiscal_year}.pdf"
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=filename,
                        content_type="application/pdf")


# --- Exports ---------------------------------------------------------------------------------


@require_GET
def export(request, kind, fmt):
    _require_oversight(request.user)
    return exports.export_response(request.user, request.GET, kind, fmt)


@require_GET
def open_data(request, fmt):
    _require_oversight(request.user)
    return exports.export_response(request.user, request.GET, "open-data", fmt)

