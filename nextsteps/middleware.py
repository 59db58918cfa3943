import ipaddress
import logging
import sys
import uuid
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from accounts.selectors import visible_organisation_ids
from nextsteps.request_context import RequestContext, reset_request_context, set_request_context
from nextsteps.scoping import organisation_scope

logger = logging.getLogger(__name__)


class PrivacyHeadersMiddleware:
    """Headers on every response the app makes: ``Cache-Control: no-store``, so that no
    browser, proxy or back button keeps a copy of a page or export (nearly every page shows
    personal data, and marking some would let one be missed), and a ``Permissions-Policy`` that
    switches off browser features no page uses."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}={allowlist}" for feature, allowlist in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class RequestContextMiddleware:
    """Gives each request an id and remembers its address, for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = set_request_context(
            RequestContext(ip_address=client_ip(request), request_id=request.request_id)
        )
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request.request_id
        return response


def client_ip(request):
    """The client's address, for the audit log and login throttling.

    REMOTE_ADDR, unless it is one of TRUSTED_PROXIES (the reverse proxy in front of the app):
    then the right-most X-Forwarded-For entry that is not a trusted proxy, i.e. the address our
    own proxy saw. Entries further left are whatever the client chose to send, and never used.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if remote not in settings.TRUSTED_PROXIES:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for address in reversed([entry.strip() for entry in forwarded]):
        if address not in settings.TRUSTED_PROXIES:
            return address if _is_ip_address(address) else remote
    return remote


def _is_ip_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


ACTIVITY_NOTED_EVERY_SECONDS = 60


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT without a request, and SESSION_ABSOLUTE_TIMEOUT
    after login whatever the activity. A caseworker who walks away from a shared office
    computer leaves no open case file behind."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._enforce_timeouts(request)
        return self.get_response(request)

    def _enforce_timeouts(self, request):
        now = timezone.now().timestamp()
        session = request.session
        last_activity = session.get("last_activity", now)
        authenticated_at = session.get("authenticated_at", now)
        if now - last_activity > settings.SESSION_IDLE_TIMEOUT.total_seconds():
            self._end(request, _("You were logged out after a period without activity."))
        elif now - authenticated_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
            self._end(request, _("Your session has expired. Please log in again."))
        else:
            # Noted at most once a minute, not on every page: each note is a write of the
            # session and a commit (a sync of the database's log) in the time of the page. The
            # session may so end up to a minute early, never late.
            if now - session.get("last_activity", 0) >= ACTIVITY_NOTED_EVERY_SECONDS:
                session["last_activity"] = now
            session.setdefault("authenticated_at", now)

    @staticmethod
    def _end(request, message):
        logout(request)
        messages.info(request, message)


class OrganisationContextMiddleware:
    """Runs each request in the user's organisation: queries of organisation-owned models see
    only the organisations the user's role reaches (nextsteps.scoping), and times show in the
    organisation's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        organisation = getattr(request.user, "organisation", None)
        # For this request only: what the thread runs next (a job, a test) is back in the zone
        # it had (UTC in a server).
        zone = zoneinfo.ZoneInfo(organisation.time_zone) if organisation is not None else None
        with timezone.override(zone), organisation_scope(visible_organisation_ids(request.user)):
            return self.get_response(request)


class NullCharacterInRequest(SuspiciousOperation):
    """A NUL character in a request's address or data: Django answers 400 and logs it (without
    the data) to the django.security logger."""


class RejectNullCharactersMiddleware:
    """Refuses a request with a NUL character in its path, query or form data (400).

    No one types NUL, and PostgreSQL cannot hold it in text: a NUL that reached a query (a
    record's code in the address, a code in a list of people) would fail the query and answer
    500. Refusing it here, before any view or query sees it, covers every page at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_null(request.path) or any(
            _has_null(key) or any(_has_null(value) for value in values)
            for data in (request.GET, request.POST)
            for key, values in data.lists()
        ):
            raise NullCharacterInRequest("NUL character in the request")
        return self.get_response(request)


def _has_null(text):
    return isinstance(text, str) and "\x00" in text


class DatabaseUnavailableMiddleware:
    """A dropped database connection (PostgreSQL restarting, a failover) is not the user's
    fault and must not lose her typing. A page that only reads (GET, HEAD) is tried once more
    on a new connection; anything else answers 503 "nothing was saved; go back and submit
    again", and the browser still holds the form. Each domain function is one transaction, so
    the failed one saved nothing."""

    RETRIED = "_retried_after_dropped_connection"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if not connection.in_atomic_block:
            # The broken connection is closed; the next query opens a new one.
            connection.close()
        if self._may_retry(request):
            setattr(request, self.RETRIED, True)
            return self.get_response(request)
        logger.warning("Database unavailable: answered 503", exc_info=exception)
        # Rendered without the request's context processors: they would query the database.
        body = loader.get_template("503.html").render({"LANGUAGE_CODE": request.LANGUAGE_CODE})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "5"
        return response

    def _may_retry(self, request):
        # Inside an outer transaction a new connection cannot continue it: no retry there.
        return (
            request.method in ("GET", "HEAD")
            and not getattr(request, self.RETRIED, False)
            and not connection.in_atomic_block
        )


# Why this process refuses to serve pages (keys that do not decrypt the stored data), set once
# at start by nextsteps.wsgi; None while all is well.
_REFUSING_SERVICE = {"problem": None}


def refuse_service_for(problem: str) -> None:
    _REFUSING_SERVICE["problem"] = problem
    # One line for operators, whatever the logging configuration.
    print(f"Serving only /health/: {problem}", file=sys.stderr)


class WrongKeysMiddleware:
    """While the field keys do not decrypt the stored data, every page but the health check
    answers 503: nothing is read as "unreadable" and nobody is registered under a wrong key."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _REFUSING_SERVICE["problem"] is None or request.path_info == "/health/":
            return self.get_response(request)
        body = loader.get_template("503.html").render({"LANGUAGE_CODE": settings.LANGUAGE_CODE})
        return HttpResponse(body, status=503)
