"""Helpers for tests of two-factor login: an authenticator app, played by the test."""

import time

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

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
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


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
