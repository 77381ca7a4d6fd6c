"""Two-factor helpers for tests: a confirmed authenticator app for a user
and the code it would show, computed as an app does (django_otp.oath.totp)."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def enrol(user) -> TOTPDevice:
    """A confirmed TOTP device, as if the user had set up an app."""
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_for(device: TOTPDevice, *, drift: int = 0) -> str:
    """The 6-digit code the app shows now (`drift` steps of 30 s later)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                 drift=drift)
    return f"{value:0{device.digits}d}"
