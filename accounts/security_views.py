"""Pages for sign-in security: password reset, e-mail verification,
two-factor set-up and codes, and the account's security page."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from core import policies
from core.errors import DomainError

from . import security
from .forms import OneTimeCodeForm, OutboxPasswordResetForm

RECOVERY_CODES_SESSION_KEY = "accounts_recovery_codes_once"


def _safe_next(request, default: str | None = None) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


@login_not_required
def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer while an address is locked out (429)."""
    return render(request, "accounts/lockout.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": security.lockout_minutes(),
    }, status=429)


# --- Password reset -------------------------------------------------------------
# Django's views; the form queues the mail in the outbox. The answer after
# asking is the same whether or not the address has an account.


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset_body.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL.rstrip("/"),
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        security.record_password_reset(user=form.user)
        # A new password ends a lockout of this address (django-axes).
        from axes.utils import reset as axes_reset

        axes_reset(username=form.user.email.lower())
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- E-mail verification ---------------------------------------------------------


@login_not_required
def verify_email(request, token):
    """The link in the verification e-mail; works signed in or not."""
    try:
        user = security.verify_email(token=token)
    except DomainError as error:
        status = 410 if error.code == "verification_expired" else 400
        return render(request, "accounts/verify_email.html",
                      {"error": error.message, "error_code": error.code}, status=status)
    if request.user.is_authenticated and request.user.pk == user.pk:
        request.user.email_verified_at = user.email_verified_at  # no banner on this page
    return render(request, "accounts/verify_email.html", {"verified_user": user})


def verify_email_status(request):
    """Whether the address is verified; POST sends a new link."""
    user = request.user
    if request.method == "POST":
        try:
            security.send_verification_email(user=user, by=user)
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("A new verification link has been sent to %(email)s.")
                             % {"email": user.email})
        return redirect(_safe_next(request, reverse("accounts:verify_email_status")))
    return render(request, "accounts/verify_email_status.html", {})


# --- Two-factor authentication ---------------------------------------------------


def two_factor_enrol(request):
    """Set up an authenticator app: QR code and the secret as text, then the
    first code. Afterwards the recovery codes are shown once."""
    user = request.user
    next_url = _safe_next(request)
    if security.confirmed_totp_device(user) is not None:
        if user.is_verified():
            return redirect("accounts:security")
        return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': next_url})}")
    device = security.pending_totp_device(user)
    form = OneTimeCodeForm(request.POST or None, enrolment=True)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = security.confirm_enrolment(user=user, code=form.cleaned_data["otp"])
        except DomainError as error:
            form.add_error("otp", str(error.message))
            status = 400
        else:
            otp_login(request, security.confirmed_totp_device(user))
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-factor authentication is set up."))
            return redirect(f"{reverse('accounts:recovery_codes')}?{urlencode({'next': next_url})}")
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/two_factor_enrol.html", {
        "form": form, "next": next_url, "qr_svg": security.qr_code_svg(
            device, label=_("QR code to add this account to an authenticator app")),
        "secret": security.base32_secret(device), "required": policies.must_use_two_factor(user),
    }, status=status)


def two_factor_verify(request):
    """Enter a code from the app, or a recovery code (each works once)."""
    user = request.user
    next_url = _safe_next(request)
    if user.is_verified():
        return redirect(next_url)
    if security.confirmed_totp_device(user) is None:
        return redirect(f"{reverse('accounts:two_factor_enrol')}?{urlencode({'next': next_url})}")
    form = OneTimeCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = security.check_code(user=user, code=form.cleaned_data["otp"])
        except DomainError as error:
            form.add_error("otp", str(error.message))
            status = 400
        else:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(request, _(
                    "You used a recovery code; %(left)s are left. Make new ones on the "
                    "sign-in security page if you are running out.")
                    % {"left": security.recovery_codes_left(user)})
            return redirect(next_url)
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/two_factor_verify.html",
                  {"form": form, "next": next_url}, status=status)


def recovery_codes(request):
    """Shows new recovery codes once; POST makes new ones (the old ones stop
    working)."""
    user = request.user
    if request.method == "POST":
        try:
            codes = security.regenerate_recovery_codes(user=user, by=user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("accounts:security")
        request.session[RECOVERY_CODES_SESSION_KEY] = codes
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    return render(request, "accounts/recovery_codes.html", {
        "codes": codes, "left": security.recovery_codes_left(user),
        "next": _safe_next(request, reverse("accounts:security")),
    })


@require_POST
def two_factor_remove(request):
    user = request.user
    try:
        security.remove_two_factor(user=user, by=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Two-factor authentication has been removed."))
    return redirect("accounts:security")


def security_page(request):
    """The account's sign-in security: e-mail verification, two-factor
    authentication, recovery codes and their history."""
    user = request.user
    return render(request, "accounts/security.html", {
        "device": security.confirmed_totp_device(user),
        "required": policies.must_use_two_factor(user),
        "codes_left": security.recovery_codes_left(user),
        "events": user.account_events.order_by("-at", "-id")[:20],
    })
