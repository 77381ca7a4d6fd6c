"""Pages for corporate number (法人番号) claims: owners claim and follow their
claim; programme staff list and resolve claims.

Scope first: a claim outside the user's scope is a 404 (other organisations'
claims, reviewers); inside it, resolving without the right is a 403
(oversight, the claimant's members).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import policies
from core.views import get_visible_or_404, require_perm

from . import claim_services
from .forms import ClaimResolutionForm, CorporateNumberClaimForm
from .models import CorporateNumberClaim, Organisation
from .views import call_with_form

PAGE_SIZE = 25


def _claims():
    return CorporateNumberClaim.objects.select_related(
        "claimant", "holder", "claimed_by", "resolved_by"
    )


def _claim(request, pk) -> CorporateNumberClaim:
    claim = get_visible_or_404(_claims(), request.user, pk=pk)
    require_perm(request.user, "accounts.view_corporate_number_claim", claim)
    return claim


@require_http_methods(["GET", "POST"])
def claim_create(request, pk):
    """Owners claim a number another organisation has registered."""
    organisation = get_visible_or_404(Organisation.objects, request.user, pk=pk)
    require_perm(request.user, "accounts.claim_corporate_number", organisation)
    form = CorporateNumberClaimForm(
        request.POST or None, request.FILES or None,
        initial={"corporate_number": request.GET.get("number", "")},
    )
    if request.method == "POST" and form.is_valid():
        claim = call_with_form(
            form, claim_services.open_corporate_number_claim, organisation=organisation,
            by=request.user, corporate_number=form.cleaned_data["corporate_number"],
            evidence_text=form.cleaned_data["evidence_text"],
            evidence_file=form.cleaned_data["evidence_file"],
        )
        if claim is not None:
            messages.success(request, _("Your claim has been sent to programme staff. You will "
                                        "be told the outcome by e-mail."))
            return redirect("accounts:claim_detail", pk=claim.pk)
    return render(request, "accounts/claim_form.html",
                  {"form": form, "organisation": organisation})


@require_GET
def claim_detail(request, pk):
    """The claim's status and history; staff also see both organisations."""
    claim = _claim(request, pk)
    return render(request, "accounts/claim_detail.html", {
        "claim": claim,
        "events": claim.events.select_related("actor"),
        "is_staff_view": policies.can_list_corporate_number_claims(request.user),
    })


@require_GET
def claim_evidence(request, pk):
    """SECURITY: the evidence file has no URL of its own; only this view
    serves it, as a download, to those who may see the claim."""
    claim = _claim(request, pk)
    if not claim.evidence_file:
        raise Http404
    return FileResponse(claim.evidence_file.open("rb"), as_attachment=True,
                        filename=claim.evidence_name or "evidence",
                        content_type=claim.evidence_content_type or None)


@require_GET
def claim_list(request):
    """Staff and oversight: claims, open first by default."""
    if not policies.can_list_corporate_number_claims(request.user):
        raise Http404
    status = request.GET.get("status", CorporateNumberClaim.Status.OPEN)
    claims = _claims().visible_to(request.user)
    if status in CorporateNumberClaim.Status.values:
        claims = claims.filter(status=status)
    else:
        status = ""
    page = Paginator(claims.order_by("created_at", "id"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "accounts/claim_list.html", {
        "page": page, "status": status, "statuses": CorporateNumberClaim.Status.choices,
    })


@require_http_methods(["GET", "POST"])
def claim_resolve(request, pk):
    """Programme staff accept (the number moves) or reject (nothing changes)."""
    claim = _claim(request, pk)
    require_perm(request.user, "accounts.resolve_corporate_number_claim", claim)
    form = ClaimResolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        service = (claim_services.accept_corporate_number_claim if accept
                   else claim_services.reject_corporate_number_claim)
        resolved = call_with_form(form, service, claim=claim, by=request.user,
                         note=form.cleaned_data["note"])
        if resolved is not None:
            messages.success(request, _("The claim was accepted: the number has been moved.")
                             if accept else _("The claim was rejected: nothing was changed."))
            return redirect("accounts:claim_detail", pk=claim.pk)
    others = (
        CorporateNumberClaim.objects.open().filter(corporate_number=claim.corporate_number)
        .exclude(pk=claim.pk).select_related("claimant")
    )
    current = Organisation.objects.filter(corporate_number=claim.corporate_number).first()
    return render(request, "accounts/claim_resolve.html", {
        "claim": claim, "form": form, "current_holder": current, "other_claims": others,
        "events": claim.events.select_related("actor"),
    }, status=400 if form.errors else 200)
