"""Application pages: thin adapters over applications.services.

Scope first (404 outside it, core.views.get_visible_or_404), then the
policy (403, core.views.require_perm); refusals of the services are shown
with messages and change nothing.
"""

import json
from uuid import uuid4

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Organisation
from core import policies
from core.errors import DomainError, StaleVersion
from core.views import require_perm, run_service
from grants.models import FundingRound

from . import filter_choices, services
from .content import editable_content, totals_by_year
from .diff import version_diff
from .exports import to_csv, to_xlsx
from .filters import ApplicationFilter
from .forms import (
    ApplicationEditor,
    AttachmentForm,
    DeclarationForm,
    NewApplicationForm,
    ReturnForm,
    ScreeningForm,
    WithdrawForm,
)
from .models import Application, ApplicationVersion, Attachment, VersionAttachment
from .queries import (
    application_for_page,
    applications_for_screening,
    applications_of_member,
    days_left,
    rounds_accepting_now,
    status_counts,
)
from .receipts import receipt_pdf
from .rules import application_problems

PAGE_SIZE = 25


def _application(request, pk, perm="applications.view_application"):
    application = application_for_page(Application.objects, request.user, pk)
    require_perm(request.user, perm, application)
    return application


# --- Applicant ------------------------------------------------------------------


@require_GET
def dashboard(request):
    applications = list(applications_of_member(request.user))
    for application in applications:
        application.days_left = days_left(application.funding_round.closes_at)
        application.is_open = application.funding_round.is_accepting()
    return render(request, "applications/dashboard.html", {
        "applications": applications,
        "rounds": [
            {"round": r, "days_left": days_left(r.closes_at)} for r in rounds_accepting_now()
        ],
    })


def _organisation_create_url():
    for name in ("accounts:organisation_create", "accounts:organisation_new"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def new(request):
    round_id = request.GET.get("round") or request.POST.get("round")
    if not str(round_id or "").isdigit():
        raise Http404
    funding_round = get_object_or_404(
        FundingRound.objects.visible_to(request.user).select_related("programme"), pk=round_id
    )
    organisations = Organisation.objects.filter(pk__in=policies.member_organisation_ids(request.user))
    existing = Application.objects.filter(
        funding_round=funding_round, organisation__in=organisations
    ).exclude(status=Application.Status.WITHDRAWN).select_related("organisation")
    form = NewApplicationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        application = run_service(
            request, services.create_application, funding_round=funding_round,
            organisation=form.cleaned_data["organisation"], by=request.user,
            success=_("Draft created. It is saved as you type."),
        )
        if application:
            return redirect("applications:edit", pk=application.pk)
    return render(request, "applications/new.html", {
        "funding_round": funding_round,
        "form": form,
        "has_organisations": organisations.exists(),
        "organisation_create_url": _organisation_create_url(),
        "existing": existing,
        "is_accepting": funding_round.is_accepting(),
    })


def _json_data(request) -> QueryDict:
    """A JSON object of form field names as a QueryDict (lists allowed)."""
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        payload = None
    data = QueryDict(mutable=True)
    if not isinstance(payload, dict):
        return data
    for key, value in payload.items():
        if isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        elif value is not None and value is not False:
            data[key] = str(value)
    return data


def _edit_context(application, editor, request):
    saved = editable_content(application)
    return {
        "totals": list(totals_by_year(saved["budget_lines"]).items()),
        # The same translated pattern as core.money.format_yen, for the script.
        "yen_pattern": _("¥%(amount)s"),
        "application": application,
        "funding_round": application.funding_round,
        "editor": editor,
        "problems": application_problems(application),
        "attachment_form": AttachmentForm(),
        "idempotency_key": uuid4().hex,
        "upload_max_mb": f"{_upload_max_bytes() / 1_048_576:.0f}",
        "is_accepting": application.funding_round.is_accepting(),
        # A refused save re-renders typed input beside the saved draft's
        # figures; say so, so nobody mistakes one for the other.
        "unsaved_input": editor.form.is_bound,
        # Every field in error, above the form, each linked to its field.
        "error_summary": list(editor.errors().items()) if editor.form.is_bound else [],
    }


def _upload_max_bytes():
    from django.conf import settings

    return settings.UPLOAD_MAX_BYTES


def edit(request, pk):
    application = _application(request, pk, "applications.edit_application")
    if request.method != "POST":
        if not application.is_editable:
            messages.info(request, _("This application is %(status)s and can no longer be edited.")
                          % {"status": application.get_status_display()})
            return redirect("applications:detail", pk=application.pk)
        editor = ApplicationEditor(application, initial_content=editable_content(application))
        return render(request, "applications/edit.html", _edit_context(application, editor, request))
    editor = ApplicationEditor(application, data=request.POST)
    if not editor.is_valid():
        saved, editor, refusal = _save_valid_part(request, application, editor, request.POST)
        if saved is not None:
            application = saved
            messages.error(request, _("Saved, except the fields marked below: correct them and "
                                      "save again. Your input is kept."))
        else:
            messages.error(request, refusal or _("Not saved: correct the fields marked below. "
                                                 "Your input is kept."))
        return render(request, "applications/edit.html",
                      _edit_context(application, editor, request), status=400)
    try:
        application = services.save_draft(
            application=application, by=request.user, lock_version=editor.lock_version,
            content=editor.content(),
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        status = 409
        return render(request, "applications/edit.html",
                      {**_edit_context(application, editor, request),
                       "is_stale": isinstance(error, StaleVersion)}, status=status)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draft saved at %(time)s.")
                         % {"time": timezone.localtime().strftime("%H:%M:%S")})
        return redirect("applications:edit", pk=application.pk)
    return _to_confirmation(request, application)


def _to_confirmation(request, application):
    """Save and submit: the draft is saved; the confirmation page (with the
    declaration) submits it, unless the rules already refuse it."""
    if application_problems(application):
        messages.error(request, _("Not submitted: the draft is saved, but the problems listed "
                                  "below must be fixed first."))
        return redirect("applications:edit", pk=application.pk)
    return redirect("applications:submit", pk=application.pk)


def _save_valid_part(request, application, editor, data):
    """One bad cell never blocks the rest: save the valid fields and rows of
    an invalid editor. Returns (saved application or None, the editor to
    show, the refusal message); the editor shown is the typed input,
    carrying the new version when something was saved."""
    if not editor.can_save_valid_part():
        return None, editor, None
    try:
        saved = services.save_draft(application=application, by=request.user,
                                    lock_version=editor.lock_version,
                                    content=editor.valid_content())
    except DomainError as error:
        return None, editor, str(error.message)
    data = data.copy()
    data["lock_version"] = str(saved.lock_version)
    editor = ApplicationEditor(saved, data=data)
    editor.is_valid()
    return saved, editor, None


def _submit(request, application, idempotency_key):
    try:
        version = services.submit_application(
            application=application, by=request.user, idempotency_key=idempotency_key
        )
    except services.RulesFailed:
        messages.error(request, _("Not submitted: the draft is saved, but the problems listed "
                                  "below must be fixed first."))
        return redirect("applications:edit", pk=application.pk)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("applications:detail", pk=application.pk)
    messages.success(request, _("Submitted. Receipt number %(receipt)s.")
                     % {"receipt": version.receipt_number})
    return redirect("applications:detail", pk=application.pk)


@require_http_methods(["GET", "POST"])
def submit(request, pk):
    """GET: what submitting does, with the declaration (誓約) to tick. POST:
    submit, once the declaration is ticked; idempotent (the page's key)."""
    application = _application(request, pk, "applications.submit_application")
    if request.method == "GET" and application.status == Application.Status.SUBMITTED:
        return redirect("applications:detail", pk=application.pk)
    form = DeclarationForm(request.POST if request.method == "POST" else None, initial={"idempotency_key": uuid4().hex})
    if request.method == "POST" and form.is_valid():
        return _submit(request, application, form.cleaned_data["idempotency_key"] or None)
    return render(request, "applications/submit_confirm.html", {
        "application": application, "form": form,
        "totals": list(totals_by_year(editable_content(application)["budget_lines"]).items()),
        "problems": application_problems(application) if application.is_editable else [],
        "is_accepting": application.funding_round.is_accepting()
        or application.status == Application.Status.RETURNED,
    }, status=400 if request.method == "POST" else 200)


@require_POST
def autosave(request, pk):
    """Save the draft from the page's script; JSON in, JSON out.

    200 {saved, lock_version, saved_at, problems}; 400 {errors} for input of
    the wrong shape (nothing saved); 412 for a stale lock_version; 409 for
    other refusals. Accepts form-encoded data or a JSON object."""
    application = _application(request, pk, "applications.edit_application")
    is_json = request.content_type == "application/json"
    editor = ApplicationEditor(application, data=_json_data(request) if is_json else request.POST)
    if not editor.is_valid():
        saved, editor, _refusal = _save_valid_part(request, application, editor, editor.form.data)
        if saved is not None:
            return JsonResponse({
                "saved": "partly", "code": "invalid", "errors": editor.errors(),
                "lock_version": saved.lock_version, "requested_yen": saved.requested_yen,
                "detail": _("Saved, except the fields marked: correct them."),
            }, status=400)
        return JsonResponse({"saved": False, "code": "invalid", "errors": editor.errors(),
                             "detail": _("Not saved: correct the fields marked.")}, status=400)
    try:
        application = services.save_draft(
            application=application, by=request.user, lock_version=editor.lock_version,
            content=editor.content(),
        )
    except StaleVersion as error:
        return JsonResponse({"saved": False, "code": error.code, "detail": str(error.message)},
                            status=412)
    except DomainError as error:
        return JsonResponse({"saved": False, "code": error.code, "detail": str(error.message)},
                            status=409)
    return JsonResponse({
        "saved": True,
        "lock_version": application.lock_version,
        "requested_yen": application.requested_yen,
        "saved_at": timezone.localtime(application.updated_at).isoformat(),
        "problems": [p.as_dict() for p in application_problems(application)],
    })


def detail(request, pk):
    application = _application(request, pk)
    user = request.user
    versions = list(application.versions.order_by("number"))
    may_screen = user.has_perm("applications.screen_application", application)
    may_withdraw = user.has_perm("applications.withdraw_application", application) and (
        Application.Status.WITHDRAWN in Application.TRANSITIONS.get(application.status, ())
    )
    is_member = user.has_perm("applications.edit_application", application)
    show_actors = policies.sees_all_programmes(user)
    labels = dict(Application.Status.choices)
    events = list(application.events.select_related("actor").order_by("at", "id"))
    for event in events:
        event.to_label = labels.get(event.to_status, event.to_status)
    context = {
        "application": application,
        "versions": versions,
        "latest": versions[-1] if versions else None,
        "attachments": application.attachments.all(),
        "events": events,
        "show_actors": show_actors,
        # The applicant sees the note when it is addressed to them.
        "show_note": bool(application.screening_note) and (
            show_actors or application.status in (Application.Status.RETURNED,
                                                  Application.Status.INELIGIBLE)
        ),
        "may_edit": is_member and application.is_editable,
        "may_withdraw": may_withdraw,
        "may_screen": may_screen and application.status == Application.Status.SUBMITTED,
        "problems": application_problems(application) if is_member and application.is_editable
        else [],
        "screening_form": ScreeningForm(),
        "return_form": ReturnForm(),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "applications/detail.html", context)


@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    """GET: what withdrawing means, with the reason; POST: withdraw."""
    application = _application(request, pk, "applications.withdraw_application")
    if request.method == "GET":
        return render(request, "applications/withdraw_confirm.html", {
            "application": application,
            "form": WithdrawForm(initial={"reason": request.GET.get("reason", "")}),
            "may_withdraw": Application.Status.WITHDRAWN in Application.TRANSITIONS.get(
                application.status, ()),
        })
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_service(request, services.withdraw_application, application=application, by=request.user,
                reason=reason, success=_("The application was withdrawn."))
    return redirect("applications:detail", pk=application.pk)


def _version(request, pk, number):
    application = _application(request, pk)
    version = get_object_or_404(ApplicationVersion, application=application, number=number)
    return application, version


@require_GET
def version_detail(request, pk, number):
    application, version = _version(request, pk, number)
    numbers = list(application.versions.order_by("number").values_list("number", flat=True))
    return render(request, "applications/version_detail.html", {
        "application": application, "version": version, "content": version.content,
        "numbers": numbers, "files": list(version.attachments.all()),
    })


@require_GET
def version_attachment_download(request, pk, number, position):
    """A file as submitted with the version (unchanged by later drafts)."""
    _application_obj, version = _version(request, pk, number)
    attachment = get_object_or_404(VersionAttachment, version=version, position=position)
    require_perm(request.user, "applications.download_attachment", attachment)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def version_diff_view(request, pk):
    application = _application(request, pk)
    numbers = list(application.versions.order_by("number").values_list("number", flat=True))
    if len(numbers) < 2:
        raise Http404
    try:
        old_n = int(request.GET.get("from", numbers[-2]))
        new_n = int(request.GET.get("to", numbers[-1]))
    except ValueError as error:
        raise Http404 from error
    versions = {v.number: v for v in application.versions.filter(number__in=[old_n, new_n])}
    if old_n not in versions or new_n not in versions:
        raise Http404
    return render(request, "applications/version_diff.html", {
        "application": application, "old": versions[old_n], "new": versions[new_n],
        "diff": version_diff(versions[old_n].content, versions[new_n].content),
        "numbers": numbers,
    })


@require_GET
def receipt(request, pk, number):
    _application_obj, version = _version(request, pk, number)
    response = HttpResponse(receipt_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{version.receipt_number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Attachments ----------------------------------------------------------------


@require_POST
def attachment_upload(request, pk):
    application = _application(request, pk, "applications.edit_application")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, _("File: %(error)s") % {"error": error})
    else:
        run_service(request, services.add_attachment, application=application, by=request.user,
                    upload=form.cleaned_data["file"], success=_("File attached."))
    return redirect(reverse("applications:edit", args=[application.pk]) + "#attachments")


def _attachment(request, pk, attachment_id):
    application = _application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, application=application)
    return application, attachment


@require_GET
def attachment_download(request, pk, attachment_id):
    """SECURITY: files have no URL of their own; only this view serves them,
    as downloads, after the policy check."""
    _app, attachment = _attachment(request, pk, attachment_id)
    require_perm(request.user, "applications.download_attachment", attachment)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def attachment_delete(request, pk, attachment_id):
    application, attachment = _attachment(request, pk, attachment_id)
    require_perm(request.user, "applications.edit_application", application)
    run_service(request, services.remove_attachment, attachment=attachment, by=request.user,
                success=_("File removed."))
    return redirect(reverse("applications:edit", args=[application.pk]) + "#attachments")


# --- Staff screening ------------------------------------------------------------


def _screening_list(request):
    if not policies.can_list_applications_for_screening(request.user):
        raise PermissionDenied
    base = applications_for_screening(request.user)
    filterset = ApplicationFilter(request.GET or None, queryset=base)
    return base, filterset


# The columns the staff list shows (issue 12: the page read every column of
# six tables; the query-count tests catch a column the template needs that
# is missing here).
STAFF_LIST_COLUMNS = (
    "receipt_number", "title", "status", "requested_yen", "submitted_at", "organisation",
    "funding_round", "theme", "tier", "organisation__name", "organisation__legal_form",
    "organisation__prefecture", "funding_round__title_ja", "funding_round__title_en",
    "funding_round__programme", "theme__number", "theme__title_ja", "theme__title_en",
    "tier__name_ja", "tier__name_en",
)


@require_GET
def staff_list(request):
    base, filterset = _screening_list(request)
    queryset = filterset.qs.only(*STAFF_LIST_COLUMNS)
    if not request.GET.get("sort"):
        queryset = queryset.order_by("-submitted_at", "-id")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "applications/staff_list.html", {
        "filter": filterset,
        "page": page,
        "counts": status_counts(base),
        "query": query.urlencode(),
        # The filter form's HTML is cached per language, query and options
        # version (applications.filter_choices; issue 12).
        "filter_version": filter_choices.current_version(),
    })


@require_GET
def staff_export(request, fmt):
    _base, filterset = _screening_list(request)
    queryset = filterset.qs
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(to_csv(queryset), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            to_xlsx(queryset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="applications-{stamp}.{fmt}"'
    return response


@require_POST
def screen(request, pk):
    application = _application(request, pk, "applications.screen_application")
    form = ScreeningForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Screening decision: choose eligible or ineligible."))
    else:
        run_service(
            request, services.screen_application, application=application, by=request.user,
            eligible=form.cleaned_data["decision"] == "eligible",
            reason=form.cleaned_data["reason"], success=_("Screening decision recorded."),
        )
    return redirect("applications:detail", pk=application.pk)


@require_POST
def return_for_correction(request, pk):
    application = _application(request, pk, "applications.return_application")
    form = ReturnForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    run_service(request, services.return_application, application=application, by=request.user,
                note=note, success=_("Returned to the applicant for correction."))
    return redirect("applications:detail", pk=application.pk)
