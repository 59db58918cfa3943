"""Counting failed logins: per account and address (django-axes, AXES_USERNAME_CALLABLE), and
per account over a day from every address (a slow guesser spread over many machines).

Every counter is keyed on the account that the typed address reaches, not on its spelling:
PostgreSQL finds accounts with ``UPPER()``, which folds the dotless i (U+0131), the long
s (U+017F) and the Kelvin sign (U+212A) onto ASCII letters, so a counter per spelling gave an
attacker five fresh guesses per spelling. The login form also refuses addresses outside ASCII
(accounts.forms).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.enums import AuditAction
from accounts.models import AuditEvent, User
from accounts.notices import tell_data_protection_officers
from accounts.services import record_audit

DAILY_WINDOW = timedelta(days=1)
DAILY_LIMIT_DETAIL = "daily limit of failed logins reached"


@dataclass(frozen=True)
class LoginTarget:
    """What a typed address reaches: an account, or nothing (then a keyed hash of the address,
    so that an unknown address is counted, and locked, exactly like a known one)."""

    account: User | None
    reference: str

    @property
    def key(self) -> str:
        return salted_hmac("accounts.login_attempt", self.reference, algorithm="sha256").hexdigest()


def normalised_address(typed: str) -> str:
    """NFKC and case folding: a full-width at sign and the Kelvin sign become ``@`` and ``k``."""
    return unicodedata.normalize("NFKC", str(typed)).strip().casefold()


def login_target(typed: str) -> LoginTarget:
    address = normalised_address(typed)
    # The same lookup as the login itself (User.objects.get_by_natural_key): whatever spelling
    # reaches the account is counted on the account.
    account = User.objects.filter(email__iexact=address).order_by("pk").first() if address else None
    if account is not None:
        return LoginTarget(account, str(account.public_id))
    # Hashed: the audit log must not hold what people type into the address field (at times a
    # password).
    hashed = salted_hmac("accounts.unknown_address", address, algorithm="sha256").hexdigest()
    return LoginTarget(None, f"address:{hashed[:40]}")


def login_attempt_key(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The name django-axes counts failures under: a keyed hash of the account reached."""
    field = settings.AXES_USERNAME_FORM_FIELD
    typed = credentials.get(field) if credentials else request.POST.get(field)
    if not typed:
        return None
    return login_target(typed).key


def failures_today(target: LoginTarget) -> int:
    return (
        AuditEvent.objects.filter(
            action=AuditAction.LOGIN_FAILED,
            object_reference=target.reference,
            occurred_at__gte=timezone.now() - DAILY_WINDOW,
        )
        .exclude(detail=DAILY_LIMIT_DETAIL)
        .count()
    )


def daily_limit_reached(typed: str) -> bool:
    """True when the account (or unknown address) has had LOGIN_DAILY_FAILURE_LIMIT failed
    logins within the last day, from any number of addresses."""
    return failures_today(login_target(typed)) >= settings.LOGIN_DAILY_FAILURE_LIMIT


@transaction.atomic
def record_failed_login(typed: str | None) -> None:
    """The audit row of a failed password login, naming the account (or the hashed unknown
    address); the failure that reaches the daily limit also alerts the data protection
    officers."""
    target = login_target(typed or "")
    account = target.account
    record_audit(
        AuditAction.LOGIN_FAILED,
        account,
        by=None,
        reference=target.reference,
        detail="password" if account else "password; no such account",
    )
    if account is not None and failures_today(target) == settings.LOGIN_DAILY_FAILURE_LIMIT:
        _alert_data_protection_officers(account)


def _alert_data_protection_officers(account: User) -> None:
    record_audit(AuditAction.LOGIN_FAILED, account, by=None, detail=DAILY_LIMIT_DETAIL)
    # No address, name or organisation in the message: only the account's public id, which
    # the officer looks up in the audit log.
    body = _(
        "An account had %(count)s failed logins within 24 hours, from any number of addresses. "
        "Its logins are paused until the count falls. Look up the account %(reference)s in the "
        "audit log, and ask its organisation admin whether the user knows about it."
    ) % {"count": settings.LOGIN_DAILY_FAILURE_LIMIT, "reference": account.public_id}
    tell_data_protection_officers(_("Next Steps: many failed logins"), body)
