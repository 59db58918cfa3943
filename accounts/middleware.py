from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import two_factor

# What a session that passed the password but not yet the second factor may open.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:logout",
    "set_language",
    "health",
}


class TwoFactorMiddleware:
    """With REQUIRE_TWO_FACTOR on, a logged-in session without a verified second factor reaches
    only the code prompt, the enrolment page, logout and the language switch.

    Checking every request, rather than only the login form's way in, means no way of logging
    a session in (a password reset that logs in, the admin, a future single sign-on) can skip
    the second factor. A session left between the password and the code ends after
    TWO_FACTOR_PENDING_TIMEOUT.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_TWO_FACTOR
            and request.user.is_authenticated
            and not request.user.is_verified()
        ):
            return self._hold_at_second_factor(request) or self.get_response(request)
        return self.get_response(request)

    def _hold_at_second_factor(self, request):
        if self._pending_too_long(request):
            logout(request)
            messages.info(request, _("Your login took too long. Please log in again."))
            return redirect(settings.LOGIN_URL)
        if request.user.must_change_password and not two_factor.has_authenticator(request.user):
            # A new member changes the password an admin gave her before she enrols: the
            # phone is then bound by whoever knows her own password, not the admin's.
            return None
        if _url_name(request) in OPEN_BEFORE_SECOND_FACTOR:
            return None
        next_url = request.get_full_path() if request.method == "GET" else reverse("home")
        return redirect_to_login(next_url, reverse("accounts:two_factor_verify"))

    @staticmethod
    def _pending_too_long(request):
        authenticated_at = request.session.get("authenticated_at")
        if authenticated_at is None:
            return False
        waited = timezone.now().timestamp() - authenticated_at
        return waited > settings.TWO_FACTOR_PENDING_TIMEOUT.total_seconds()


# What a user who must change her password may open before she has.
OPEN_BEFORE_PASSWORD_CHANGE = {
    "accounts:password_change",
    "accounts:two_factor_verify",
    "accounts:logout",
    "set_language",
}


class PasswordChangeRequiredMiddleware:
    """A user whose password was set by an admin reaches only the password change (and the
    code prompt, when she has a second factor already) until she has set her own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and request.user.must_change_password
            and _url_name(request) not in OPEN_BEFORE_PASSWORD_CHANGE
        ):
            messages.info(request, _("Please choose a password of your own first."))
            return redirect("accounts:password_change")
        return self.get_response(request)


def _url_name(request):
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None
