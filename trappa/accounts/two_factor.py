"""TOTP devices and one-time backup codes (django-otp), for the login views
and for the administrator's "reset two-factor"."""

from base64 import b32encode

import segno
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup codes"


def has_confirmed_device(user):
    return any(devices_for_user(user, confirmed=True))


def pending_totp_device(user):
    """The unconfirmed device being enrolled; the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def secret_for_display(device):
    """The base32 secret in groups of four, for typing into an authenticator app."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device):
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")


@transaction.atomic
def confirm_enrollment(device):
    """Confirm the TOTP device and make fresh backup codes; returns the codes (shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=device.user).delete()
    backup = StaticDevice.objects.create(user=device.user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


def verify_code(user, code):
    """Return (device, throttled): the device that accepted the code, or None and
    whether the devices for this kind of code are waiting out their throttle.

    Six digits are a TOTP code; anything else is tried as a backup code, so a
    mistyped TOTP code does not count against the backup codes' throttle. Each
    device throttles its own failures (django-otp doubles the wait each time).
    """
    code = "".join(code.split()).lower()
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    devices = list(kind.objects.filter(user=user, confirmed=True))
    allowed = [device for device in devices if device.verify_is_allowed()[0]]
    if devices and not allowed:
        return None, True
    for device in allowed:
        if device.verify_token(code):
            return device, False
    return None, False


@transaction.atomic
def reset_devices(user):
    """Remove every second factor; the user enrolls anew at the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
