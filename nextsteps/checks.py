"""System checks of our own, run by `manage.py check --deploy` (see tests/test_deployment.py)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
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


def _is_csrf_middleware(path):
    middleware = import_string(path)
    return isinstance(middleware, type) and issubclass(middleware, CsrfViewMiddleware)
