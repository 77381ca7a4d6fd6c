"""POST /api/v1/auth/token/: a token for e-mail and password, and for
accounts with two-factor authentication also a one-time code (`otp`).

Throttled per client address (ScopedRateThrottle, scope "auth_token"), and
every wrong password counts toward the same lockout as the login page
(django-axes: its backend sees the request through `authenticate`).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from accounts import security
from core.errors import DomainError

from .errors import DomainErrorOutput


class TokenInput(AuthTokenSerializer):
    otp = serializers.CharField(
        label=gettext_lazy("One-time code"), required=False, allow_blank=True, write_only=True,
        help_text="The 6-digit code of the authenticator app, or an unused recovery code. "
        "Required for programme staff, oversight viewers, reviewers and applicants who set up "
        "two-factor authentication.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if security.two_factor_needed(user):
            code = (attrs.get("otp") or "").strip()
            if not code:
                raise serializers.ValidationError(
                    {"otp": [_("This account uses two-factor authentication: send the one-time "
                               "code of your authenticator app (or a recovery code) as otp.")]},
                    code="otp_required",
                )
            if security.confirmed_totp_device(user) is None:
                raise serializers.ValidationError(
                    {"otp": [_("Set up two-factor authentication on the website first "
                               "(log in there once).")]},
                    code="otp_not_enrolled",
                )
            try:
                security.check_code(user=user, code=code)
            except DomainError as error:
                raise serializers.ValidationError(
                    {"otp": [str(error.message)]}, code=error.code) from None
        return attrs


class TokenView(ObtainAuthToken):
    serializer_class = TokenInput
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(
        request=TokenInput,
        responses={
            200: inline_serializer("TokenOutput", {"token": serializers.CharField()}),
            429: DomainErrorOutput,
        },
        description="A token for e-mail (`username`) and password; `otp` as well for accounts "
        "with two-factor authentication. 400 names the wrong field; 429 when throttled or "
        "locked out after 5 wrong passwords (15 minutes).",
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except serializers.ValidationError:
            # django-axes marks the request when the address is (now) locked out.
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"code": "locked_out", "detail": _(
                        "Too many failed logins for this e-mail address. Try again in "
                        "%(minutes)s minutes, or reset your password.")
                     % {"minutes": security.lockout_minutes()}},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise
