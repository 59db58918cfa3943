"""Helpers for tests of two-factor login: an authenticator app, played by the test."""

import re
import time

from django.urls import reverse
from django_otp.oath import TOTP

from accounts.models import AuthenticatorDevice, BackupCode
from tests.factories import TEST_PASSWORD


def authenticator_code(device, *, steps_ahead=0):
    """The code the user's app shows now (or ``steps_ahead`` 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def a_wrong_code(device):
    # Any code the device would accept within its tolerance is not wrong.
    valid = {authenticator_code(device, steps_ahead=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222") if code not in valid)


def confirmed_authenticator(user):
    return AuthenticatorDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def log_in_with_password(client, user, password=TEST_PASSWORD, ip="10.0.0.1"):
    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": password},
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 302, "the password step failed"
    return response


def enter_code(client, code, next_url=""):
    data = {"code": code}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:two_factor_verify"), data)


def shown_backup_codes(client):
    """The backup codes the page shows once, right after they were made (only their hashes
    are stored)."""
    page = client.get(reverse("accounts:two_factor_backup_codes")).content.decode()
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)


def stored_backup_codes(user):
    return list(BackupCode.objects.filter(device__user=user))


def is_stored_backup_code(user, code):
    return any(stored.matches(code) for stored in stored_backup_codes(user))
