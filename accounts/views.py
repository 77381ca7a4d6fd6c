"""Pages for registration, organisations, members and invitations.

Scope first (core.views): an organisation outside the user's scope is a 404;
inside it, managing without being an owner is a 403.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import policies
from core.errors import DomainError
from core.views import get_visible_or_404, require_perm, run_service

from . import services
from .filters import OrganisationFilter
from .forms import InvitationForm, MemberRoleForm, OrganisationForm, RegistrationForm
from .models import Membership, Organisation

PAGE_SIZE = 25
MANAGE = "accounts.manage_organisation"


def call_with_form(form, action, **kwargs):
    """Run a service; a refusal about one field becomes that field's error so
    the form re-renders with the input kept. None when refused."""
    try:
        return action(**kwargs)
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error.message))
        return None


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _refuse(user):
    """Reviewers have no organisation pages at all (404); others 403."""
    if policies.is_reviewer(user):
        raise Http404
    raise PermissionDenied


def _managed(request, pk) -> Organisation:
    organisation = get_visible_or_404(Organisation.objects, request.user, pk=pk)
    require_perm(request.user, MANAGE, organisation)
    return organisation


# --- Registration ---------------------------------------------------------------


@login_not_required
def register(request):
    """Anyone may open an applicant account; next they create an organisation
    (or return to the invitation link they came from)."""
    if request.user.is_authenticated:
        return redirect("accounts:organisation_mine")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = call_with_form(
            form,
            services.register_user,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account has been created."))
            return redirect(_safe_next(request) or reverse("accounts:organisation_create"))
    return render(
        request, "accounts/register.html", {"form": form, "next": _safe_next(request) or ""}
    )


# --- Organisations --------------------------------------------------------------


def organisation_mine(request):
    """The organisations the user belongs to, with their role in each."""
    user = request.user
    if policies.can_list_all_organisations(user):
        return redirect("accounts:organisation_list")
    if policies.is_reviewer(user):
        raise Http404
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )
    return render(
        request,
        "accounts/organisation_mine.html",
        {"memberships": memberships, "may_create": policies.can_create_organisation(user)},
    )


def organisation_list(request):
    """Staff and oversight: every organisation, searchable and filtered."""
    if not policies.can_list_all_organisations(request.user):
        raise Http404
    queryset = (
        Organisation.objects.visible_to(request.user).with_member_count().order_by("name", "id")
    )
    filterset = OrganisationFilter(request.GET or None, queryset=queryset)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/organisation_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


def _tell_about_claim(request, organisation) -> None:
    if organisation.corporate_number_claims.open().exists():
        messages.info(request, _(
            "Your claim to the corporate number is open: programme staff will check it and "
            "you will be told the outcome by e-mail."))


def organisation_create(request):
    if not policies.can_create_organisation(request.user):
        _refuse(request.user)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = call_with_form(
            form, services.create_organisation, by=request.user, **form.cleaned_data
        )
        if organisation is not None:
            messages.success(request, _("Your organisation has been registered."))
            _tell_about_claim(request, organisation)
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


def organisation_detail(request, pk):
    organisation = get_visible_or_404(Organisation.objects, request.user, pk=pk)
    memberships = organisation.memberships.select_related("user").order_by("-role", "user__full_name")
    may_manage = request.user.has_perm(MANAGE, organisation)
    show_history = may_manage or policies.can_list_all_organisations(request.user)
    events = organisation.events.select_related("actor").order_by("-at", "-id")[:50]
    # Claims the organisation made; claims against it are staff business.
    claims = organisation.corporate_number_claims.order_by("-created_at", "-id")[:20]
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "events": events if show_history else None,
            "claims": claims,
        },
    )


def organisation_edit(request, pk):
    organisation = _managed(request, pk)
    saved_name = organisation.name
    # NOTE: validation copies the input onto the instance; the service reads
    # the row again under a lock, so the recorded old values are the stored ones.
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        updated = call_with_form(
            form,
            services.update_organisation,
            organisation=organisation,
            by=request.user,
            **form.cleaned_data,
        )
        if updated is not None:
            messages.success(request, _("The organisation's details have been saved."))
            _tell_about_claim(request, updated)
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "organisation": organisation, "saved_name": saved_name},
    )


# --- Members and invitations ----------------------------------------------------


def _members_page(request, organisation, invite_form=None, status=200):
    memberships = organisation.memberships.select_related("user").order_by("-role", "user__full_name")
    invitations = organisation.invitations.select_related("invited_by").filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    )
    return render(
        request,
        "accounts/organisation_members.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "invitations": invitations,
            "invite_form": invite_form or InvitationForm(),
            "roles": Membership.Role.choices,
        },
        status=status,
    )


def organisation_members(request, pk):
    """Owners manage members: invite, change roles, remove."""
    return _members_page(request, _managed(request, pk))


@require_POST
def invitation_create(request, pk):
    organisation = _managed(request, pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        invitation = call_with_form(
            form,
            services.invite_member,
            organisation=organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            by=request.user,
        )
        if invitation is not None:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("accounts:organisation_members", pk=organisation.pk)
    return _members_page(request, organisation, invite_form=form, status=400)


@require_POST
def invitation_revoke(request, pk, invitation_pk):
    organisation = _managed(request, pk)
    invitation = get_object_or_404(organisation.invitations, pk=invitation_pk)
    run_service(
        request,
        services.revoke_invitation,
        invitation=invitation,
        by=request.user,
        success=_("The invitation has been withdrawn."),
    )
    return redirect("accounts:organisation_members", pk=organisation.pk)


@require_POST
def member_role(request, pk, membership_pk):
    organisation = _managed(request, pk)
    membership = get_object_or_404(organisation.memberships, pk=membership_pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role: owner or member."))
    else:
        run_service(
            request,
            services.change_member_role,
            membership=membership,
            role=form.cleaned_data["role"],
            by=request.user,
            success=_("The role has been changed."),
        )
    return redirect("accounts:organisation_members", pk=organisation.pk)


@require_POST
def member_remove(request, pk, membership_pk):
    organisation = _managed(request, pk)
    membership = get_object_or_404(organisation.memberships, pk=membership_pk)
    run_service(
        request,
        services.remove_member,
        membership=membership,
        by=request.user,
        success=_("The member has been removed."),
    )
    return redirect("accounts:organisation_members", pk=organisation.pk)


_INVITATION_STATUS = {
    "invitation_invalid": 404,
    "invitation_used": 410,
    "invitation_revoked": 410,
    "invitation_expired": 410,
    "invitation_other_email": 403,
    "not_applicant": 403,
    "already_member": 409,
}


@login_not_required
def invitation(request, token):
    """The link in the invitation e-mail. Anonymous visitors are asked to log
    in or register first and come back here; then a button accepts."""
    found = services.invitation_for_token(token)
    context = {"invitation": found, "token": token, "error": None}
    user = request.user
    try:
        services.check_invitation(invitation=found, user=user)
    except DomainError as error:
        # A visitor not yet signed in may see a usable invitation: the
        # checks about the account come after the checks about the link.
        if user.is_authenticated or error.code != "not_applicant":
            context["error"] = error.message
            context["error_code"] = error.code
            return render(
                request, "accounts/invitation.html", context,
                status=_INVITATION_STATUS.get(error.code, 400),
            )
    if request.method == "POST" and user.is_authenticated:
        membership = run_service(request, services.accept_invitation, token=token, by=user)
        if membership is not None:
            messages.success(
                request,
                _("You have joined %(name)s.") % {"name": membership.organisation.name},
            )
            return redirect("accounts:organisation_detail", pk=membership.organisation_id)
    return render(request, "accounts/invitation.html", context)

