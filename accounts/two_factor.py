"""Two-factor login: an authenticator app (TOTP) and single-use backup codes, on django-otp.

The domain functions here are the only code that creates, confirms or removes a user's devices;
each writes its audit row. The devices are ours (accounts.models.AuthenticatorDevice and
BackupCodeDevice): the authenticator secret is stored encrypted, backup codes only as salted
hashes. Codes are checked through django-otp: an authenticator code is accepted once (the
device remembers the last time step it accepted), a backup code is deleted when used, and every
wrong code makes the next try on that device wait twice as long.
"""

from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import django_otp
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from accounts.enums import AuditAction
from accounts.models import (
    AuthenticatorDevice,
    BackupCode,
    BackupCodeDevice,
    User,
    hash_backup_code,
)
from accounts.notices import tell_organisation_admins
from accounts.services import raise_session_generation, record_audit

AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"
AUTHENTICATOR_CODE = re.compile(r"\d{6}")
# Backup codes: 8 characters of lower-case base32 (40 random bits), as django-otp makes them.
BACKUP_CODE_LENGTH = 8
BACKUP_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"

WRONG_CODE = _("That code is not valid, or it was already used.")
WRONG_PASSWORD = _("That is not your password.")
TOO_MANY_TRIES = _("Too many wrong codes. Wait a minute, then try again.")


@dataclass(frozen=True)
class TwoFactorStatus:
    authenticator_since: datetime | None
    authenticator_last_used: datetime | None
    backup_codes_left: int

    @property
    def is_set_up(self) -> bool:
        return self.authenticator_since is not None


def two_factor_status(user: User) -> TwoFactorStatus:
    authenticator = _confirmed(AuthenticatorDevice, user).order_by("-created_at").first()
    return TwoFactorStatus(
        authenticator_since=authenticator.created_at if authenticator else None,
        authenticator_last_used=authenticator.last_used_at if authenticator else None,
        backup_codes_left=BackupCode.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
    )


def has_authenticator(user: User) -> bool:
    return _confirmed(AuthenticatorDevice, user).exists()


def pending_authenticator(user: User) -> AuthenticatorDevice:
    """The authenticator being set up (not yet confirmed by a code), created on first call so
    that reloading the page keeps the same QR code."""
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = AuthenticatorDevice.objects.create(
            user=user, name=AUTHENTICATOR_NAME, confirmed=False
        )
    return device


def authenticator_qr_svg(device: AuthenticatorDevice) -> str:
    """The enrolment QR code as inline SVG, drawn here: the secret never leaves the server in a
    URL, and the page needs no script or outside image."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4,
        border=4,
        dark="#000",
        light="#fff",
        omitsize=True,  # a viewBox only, so that CSS scales it to the screen
        title=str(_("QR code for your authenticator app")),
    )


def authenticator_secret(device: AuthenticatorDevice) -> str:
    """The secret in the base32 form authenticator apps accept when typed, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_authenticator(device: AuthenticatorDevice, code: str, *, by: User) -> list[str]:
    """Finish setting up ``device`` with the first code the app shows. Replaces any earlier
    authenticator and backup codes of the user; returns the new backup codes, shown once.
    Replacing an authenticator is told to the user's organisation admins."""
    if device.user_id != by.pk or device.confirmed:
        raise ValidationError(WRONG_CODE)
    # Checked outside the transaction below: a wrong code's throttling must be saved.
    if django_otp.verify_token(by, device.persistent_id, _normalised(code)) is None:
        raise ValidationError(WRONG_CODE)
    replacing = has_authenticator(by)
    with transaction.atomic():
        AuthenticatorDevice.objects.filter(user=by).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_backup_codes(by)
        detail = "replaced two-factor login" if replacing else "set up two-factor login"
        record_audit(AuditAction.UPDATE, by, by=by, detail=detail)
    if replacing:
        tell_organisation_admins(by, _("set up a new phone for two-factor login"))
    return codes


def verify_second_factor(user: User, code: str) -> AuthenticatorDevice | BackupCodeDevice:
    """The device that accepts ``code``: an authenticator code or an unused backup code.
    Raises ValidationError for a wrong, replayed or throttled code."""
    device = _device_accepting(user, code)
    if device is None:
        record_audit(AuditAction.LOGIN_FAILED, by=user, detail="wrong second-factor code")
        raise ValidationError(WRONG_CODE)
    record_audit(AuditAction.LOGIN, by=user, detail=f"second factor: {device.name}")
    return device


def check_identity(user: User, *, password: str, code: str) -> None:
    """Before the second factor is changed in an open session: the user's password and, when
    she has one, a current code. Someone at a session left open knows neither (ASVS 7.5.1).
    Raises ValidationError; each failure is audited."""
    if not user.check_password(password):
        record_audit(
            AuditAction.LOGIN_FAILED, by=user, detail="wrong password to change two-factor login"
        )
        raise ValidationError(WRONG_PASSWORD)
    if has_authenticator(user) and _device_accepting(user, code) is None:
        record_audit(
            AuditAction.LOGIN_FAILED, by=user, detail="wrong code to change two-factor login"
        )
        raise ValidationError(WRONG_CODE)


def new_backup_codes(user: User, *, by: User) -> list[str]:
    with transaction.atomic():
        codes = _replace_backup_codes(user)
        record_audit(AuditAction.UPDATE, user, by=by, detail="new backup codes")
    tell_organisation_admins(user, _("made new backup codes for two-factor login"))
    return codes


@transaction.atomic
def reset_two_factor(user: User, *, by: User) -> None:
    """Remove the user's authenticator and backup codes (a lost phone) and end her sessions:
    she sets up a new authenticator at her next login."""
    AuthenticatorDevice.objects.filter(user=user).delete()
    BackupCodeDevice.objects.filter(user=user).delete()
    raise_session_generation(user)
    record_audit(
        AuditAction.UPDATE, user, by=by, detail="reset two-factor login; ended all sessions"
    )


def _replace_backup_codes(user: User) -> list[str]:
    device, _created = BackupCodeDevice.objects.get_or_create(
        user=user, name=BACKUP_CODES_NAME, defaults={"confirmed": True}
    )
    device.codes.all().delete()
    codes = [
        get_random_string(BACKUP_CODE_LENGTH, BACKUP_CODE_ALPHABET)
        for _ in range(settings.TWO_FACTOR_BACKUP_CODES)
    ]
    BackupCode.objects.bulk_create(
        BackupCode(device=device, code_hash=hash_backup_code(code)) for code in codes
    )
    return codes


def _device_accepting(user: User, code: str) -> AuthenticatorDevice | BackupCodeDevice | None:
    """The confirmed device of ``user`` that accepts ``code`` (an authenticator code, or an
    unused backup code, which is then used up), or None. Raises ValidationError while wrong
    codes make the user wait."""
    code = _normalised(code)
    model = AuthenticatorDevice if AUTHENTICATOR_CODE.fullmatch(code) else BackupCodeDevice
    devices = list(_confirmed(model, user))
    if devices and not any(device.verify_is_allowed()[0] for device in devices):
        raise ValidationError(TOO_MANY_TRIES)
    for device in devices:
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def _confirmed(model: type[AuthenticatorDevice | BackupCodeDevice], user: User) -> QuerySet:
    return model.objects.filter(user=user, confirmed=True)


def _normalised(code: str) -> str:
    # People type backup codes with spaces or in capitals, and authenticator codes as "123 456".
    return re.sub(r"[\s-]", "", str(code)).lower()
