"""Two-factor authentication at every page for the accounts that need it.

Runs after AuthenticationMiddleware and django_otp's OTPMiddleware (which
sets `request.user.is_verified()`). A signed-in user whose role needs two
factors (programme staff, oversight, reviewers), or an applicant who chose
them, and whose session has not yet given a code, is sent to set up an
authenticator app or to enter a code. The pages for signing in and out,
password reset, e-mail verification and the two-factor steps themselves stay
open; the API answers 403 in JSON instead of a redirect (tokens are only
issued with a code: api.auth).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core import policies

from . import security

# Set on the session by the test client's force_login (tests/conftest.py)
# and honoured only where settings.OTP_TRUST_FORCE_LOGIN is on, which the
# test settings alone do; tests of two-factor authentication turn it off.
FORCE_LOGIN_SESSION_KEY = "_otp_test_force_login"
# The role (and superuser flag) a session was found not to need a code for, so
# an applicant without an authenticator app costs no device lookup per page.
# Setting up an app verifies this session; another role, superuser status or a
# new login looks again (an app set up in another browser counts from the next
# login here, as django-otp treats sessions).
NO_CODE_NEEDED_SESSION_KEY = "_otp_not_needed_for_role"


def _open_prefixes() -> tuple[str, ...]:
    return (
        reverse("accounts:login"),
        reverse("accounts:logout"),
        reverse("accounts:password_reset"),
        reverse("accounts:verify_email_status"),
        reverse("accounts:two_factor_enrol"),
        reverse("accounts:two_factor_verify"),
        reverse("set_language"),
        reverse("favicon"),
        settings.STATIC_URL,
    )


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open = None

    def __call__(self, request):
        return self._check(request) or self.get_response(request)

    def _check(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if user.is_verified():
            return None
        if getattr(settings, "OTP_TRUST_FORCE_LOGIN", False) and request.session.get(
            FORCE_LOGIN_SESSION_KEY
        ):
            return None
        path = request.path_info
        if self._open is None:
            self._open = _open_prefixes()
        if path.startswith(self._open):
            return None
        who = f"{user.role}:{user.is_superuser}"
        if request.session.get(NO_CODE_NEEDED_SESSION_KEY) == who:
            return None
        device = security.confirmed_totp_device(user)
        if device is None and not policies.must_use_two_factor(user):
            # An applicant who has not chosen two factors.
            request.session[NO_CODE_NEEDED_SESSION_KEY] = who
            return None
        if path.startswith("/api/"):
            return JsonResponse(
                {"code": "otp_required",
                 "detail": _("Enter your one-time code on the website first, or use a token.")},
                status=403,
            )
        target = "accounts:two_factor_verify" if device else "accounts:two_factor_enrol"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(target) + (f"?{query}" if query else ""))
