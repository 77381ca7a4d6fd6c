"""Sign-in security: e-mail verification, two-factor authentication (TOTP
apps and single-use recovery codes, through django-otp) and what the lockout
(django-axes) needs from the project.

Every change here writes an AccountEvent row. Views and the API token
endpoint call these functions; none of them looks at a request except the
two small helpers django-axes calls (client address and user name).
"""

import re
import secrets
from base64 import b32encode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import DomainError
from core.outbox import queue_mail
from core.policies import must_use_two_factor
from core.transitions import record

from .models import AccountEvent, User

Action = AccountEvent.Action

TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
VERIFICATION_SALT = "accounts.email-verification"
_NOT_CODE = re.compile(r"[\s\-]")


def _record(user, *, by, action, changes=None):
    """One AccountEvent row (who, when, what), through core's event writer."""
    return record(AccountEvent, user=user, by=by, action=action, changes=changes)


# --- django-axes hooks -------------------------------------------------------------


def client_ip_address(request) -> str:
    """The client's address for the lockout. Behind the project's reverse
    proxy (DJANGO_BEHIND_PROXY) that is the last X-Forwarded-For hop, the one
    the proxy itself added; a client cannot forge it."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_username(request, credentials) -> str:
    """E-mail addresses are case-blind here as at login, so "A@x.jp" and
    "a@x.jp" share one failure count."""
    username = (credentials or {}).get("username") or ""
    if not username and request is not None:
        username = request.POST.get("username", "") if hasattr(request, "POST") else ""
    return str(username).strip().lower()


# --- E-mail verification -----------------------------------------------------------


def verification_token(user: User) -> str:
    """A signed, dated token naming the account and the address it proves."""
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=VERIFICATION_SALT)


@transaction.atomic
def send_verification_email(*, user: User, by) -> None:
    """Queue the verification link (in the caller's transaction, through the
    outbox). The link carries a secret, so the outbox erases the body once
    sent."""
    if user.email_verified_at:
        raise DomainError(_("Your e-mail address is already verified."), code="already_verified")
    url = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:verify_email", kwargs={"token": verification_token(user)}
    )
    hours = settings.EMAIL_VERIFICATION_MAX_AGE // 3600
    context = {"user": user, "url": url, "hours": hours}
    subject = render_to_string("accounts/email/verification_subject.txt", context)
    body = render_to_string("accounts/email/verification_body.txt", context)
    queue_mail(key=f"accounts.email-verification:{user.pk}:{secrets.token_hex(8)}",
               subject=subject, body=body, to=[user.email], is_sensitive=True)
    _record(user, by=by, action=Action.EMAIL_VERIFICATION_SENT, changes={"email": user.email})


@transaction.atomic
def verify_email(*, token: str) -> User:
    """Mark the address of the link verified. Expired, altered or outdated
    links (the address changed since) are refused and change nothing."""
    try:
        data = signing.loads(token, salt=VERIFICATION_SALT,
                             max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(
            _("This verification link has expired. Log in and send yourself a new one."),
            code="verification_expired",
        ) from None
    except signing.BadSignature:
        raise DomainError(
            _("This verification link is not valid. Check that you copied it completely."),
            code="verification_invalid",
        ) from None
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or user.email.lower() != str(data.get("e", "")).lower():
        raise DomainError(
            _("This verification link is not valid. Check that you copied it completely."),
            code="verification_invalid",
        )
    if user.email_verified_at is None:
        mark_email_verified(user=user, by=user, how="link")
    return user


def mark_email_verified(*, user: User, by, how: str) -> None:
    """Record that the address is proven (`how`: link, invitation)."""
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    _record(user, by=by, action=Action.EMAIL_VERIFIED, changes={"email": user.email, "how": how})


def record_password_reset(*, user: User) -> None:
    _record(user, by=user, action=Action.PASSWORD_RESET)


# --- Two-factor authentication -----------------------------------------------------


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def two_factor_needed(user) -> bool:
    """Asked at every login: required by the role, or chosen (enrolled)."""
    return must_use_two_factor(user) or (
        getattr(user, "is_authenticated", False) and confirmed_totp_device(user) is not None
    )


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress; reloading the
    page keeps the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed, in groups of 4."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice, *, label: str) -> str:
    """The otpauth:// link as an inline SVG QR code (no external service),
    an image named `label` for screen readers."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage,
                        box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def _clean(code: str) -> str:
    return _NOT_CODE.sub("", code or "").lower()


def _throttled(device) -> DomainError | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    wait = data.get("locked_until") if data else None
    seconds = max(1, int((wait - timezone.now()).total_seconds()) + 1) if wait else 1
    return DomainError(
        _("Too many wrong codes. Wait %(seconds)s seconds and try again.") % {"seconds": seconds},
        code="otp_throttled", field="otp",
    )


def _wrong_code() -> DomainError:
    return DomainError(
        _("The code is not right. Enter the 6-digit code your authenticator app shows now, "
          "or one of your recovery codes."),
        code="otp_invalid", field="otp",
    )


def confirm_enrolment(*, user: User, code: str) -> list[str]:
    """The first right code from the app confirms the device; the account
    then gets fresh recovery codes, returned to show once. (A refusal is
    raised after commit, as in check_code, so wrong codes stay counted.)"""
    code = _clean(code)
    if not code:
        raise DomainError(_("Enter the 6-digit code your authenticator app shows."),
                          code="otp_required", field="otp")
    with transaction.atomic():
        codes, refusal = _confirm_enrolment(user, code)
    if refusal is not None:
        raise refusal
    return codes


def _confirm_enrolment(user: User, code: str):
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        return None, DomainError(
            _("Start the set-up again: no authenticator app is waiting to be confirmed."),
            code="otp_no_enrolment", field="otp",
        )
    throttled = _throttled(device)
    if throttled:
        return None, throttled
    if not (code.isdigit() and device.verify_token(code)):
        return None, DomainError(
            _("The code is not right. Check the app shows this account and enter the code it "
              "shows now."),
            code="otp_invalid", field="otp",
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _record(user, by=user, action=Action.TWO_FACTOR_ENROLLED, changes={"device": device.name})
    return _new_recovery_codes(user, by=user), None


def _new_recovery_codes(user: User, *, by) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    _record(user, by=by, action=Action.RECOVERY_CODES_CREATED, changes={"count": len(codes)})
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, user: User, by) -> list[str]:
    """New codes; the old ones stop working."""
    if confirmed_totp_device(user) is None:
        raise DomainError(_("Set up two-factor authentication first."), code="otp_not_enrolled")
    return _new_recovery_codes(user, by=by)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def check_code(*, user: User, code: str):
    """The device that accepts `code` (a TOTP code or an unused recovery
    code, which is then spent); DomainError (field "otp") otherwise.

    NOTE: the refusal is raised after the transaction commits, so the
    device's count of wrong codes (django-otp's throttle) is kept."""
    code = _clean(code)
    if not code:
        raise DomainError(
            _("Enter the 6-digit code your authenticator app shows, or a recovery code."),
            code="otp_required", field="otp",
        )
    with transaction.atomic():
        device, refusal = _check_code(user, code)
    if refusal is not None:
        raise refusal
    return device


def _check_code(user: User, code: str):
    model = TOTPDevice if code.isdigit() else StaticDevice
    device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        if model is TOTPDevice:
            return None, DomainError(_("Set up two-factor authentication first."),
                                     code="otp_not_enrolled", field="otp")
        return None, _wrong_code()
    throttled = _throttled(device)
    if throttled:
        return None, throttled
    if not device.verify_token(code):
        return None, _wrong_code()
    if model is StaticDevice:
        left = device.token_set.count()
        _record(user, by=user, action=Action.RECOVERY_CODE_USED, changes={"left": left})
    return device, None


@transaction.atomic
def remove_two_factor(*, user: User, by) -> None:
    """Forget the app and the recovery codes. Roles that need two-factor
    authentication set it up again at their next page."""
    removed = TOTPDevice.objects.filter(user=user, confirmed=True).count()
    if not removed:
        raise DomainError(_("Two-factor authentication is not set up."), code="otp_not_enrolled")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _record(user, by=by, action=Action.TWO_FACTOR_REMOVED, changes={"devices": removed})
