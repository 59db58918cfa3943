"""System checks of our own, run by `manage.py check --deploy` (see tests/test_deployment.py)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string


@register(Tags.security, deploy=True)
def csrf_middleware_installed(app_configs, **kwargs):
    """Stands in for Django's security.W003, which we silence because it looks for Django's
    CsrfViewMiddleware by name and ours is a subclass (nextsteps.csrf)."""
    if any(_is_csrf_middleware(path) for path in settings.MIDDLEWARE):
        return []
    return [
        Error(
            "No CSRF middleware in MIDDLEWARE.",
            hint="Add nextsteps.csrf.NoReferrerCsrfViewMiddleware.",
            id="nextsteps.E001",
        )
    ]


@register(Tags.security, deploy=True)
def two_factor_required(app_configs, **kwargs):
    if settings.REQUIRE_TWO_FACTOR:
        return []
    return [
        Error(
            "Two-factor login is off.",
            hint="Set REQUIRE_TWO_FACTOR=true (it may be off only for a local demo).",
            id="nextsteps.E002",
        )
    ]


@register()
def encryption_keys_work(app_configs, **kwargs):
    """The field keys are Fernet keys and decrypt the canary stored with the data: a wrong key
    would otherwise have the app register people under it, unreadable once the right key
    returns. Runs with every management command (runserver, migrate, check) and when a web
    worker starts (nextsteps.wsgi)."""
    problem = encryption_key_problem()
    if problem is None:
        return []
    return [Error(problem, id="nextsteps.E003")]


def encryption_key_problem() -> str | None:
    """One line saying why the app must not start with these keys, or None."""
    from nextsteps import crypto, health

    problem = crypto.key_problem()
    if problem is not None:
        return problem
    try:
        if not health.encryption_canary_stored():
            return None  # before the first migrate: it writes the canary with these keys
        if health.encryption_keys_decrypt_the_canary():
            return None
    except DatabaseError:
        return None  # no database yet: the health page reports it
    return (
        "FIELD_ENCRYPTION_KEYS do not decrypt the data already stored (the encryption canary): "
        "put back the key the data was encrypted with."
    )


def _is_csrf_middleware(path):
    middleware = import_string(path)
    return isinstance(middleware, type) and issubclass(middleware, CsrfViewMiddleware)
