from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.services import record_audit
from accounts.throttling import record_failed_login


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    # The absolute session timeout counts from here (nextsteps.middleware).
    request.session["authenticated_at"] = timezone.now().timestamp()
    # With two-factor login on, the second factor writes its own LOGIN row (accounts.two_factor).
    record_audit(AuditAction.LOGIN, by=user, detail="password")


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_audit(AuditAction.LOGOUT, by=user)


@receiver(user_login_failed)
def audit_failed_login(sender, credentials, request=None, **kwargs):
    # The typed user name is not stored (people sometimes type their password into it): the
    # row names the account it reaches, or a keyed hash of it.
    record_failed_login(credentials.get("username"))
