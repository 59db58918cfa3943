"""Tenant isolation, walked over every URL pattern of the project (after pretix's
test_permissions): for every role of one organisation, every URL that takes an identifier,
pointed at a record of another organisation, answers 404 with the same page as a record that
does not exist, for every HTTP method a browser or a script could send (GET, POST, PUT, PATCH,
DELETE).

Each app lists its URL patterns in tests/<app>/tenancy.py. A URL pattern listed nowhere makes
test_every_url_pattern_is_covered fail, so a new view cannot skip this walk."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.enums import Role
from tests.factories import make_member
from tests.world import REGISTRIES

# Namespaces outside this walk, with the reason.
EXCLUDED_NAMESPACES = {
    # Django's admin: staff (site admins) only, for reference data; organisation-owned models
    # are not registered in it.
    "admin",
}
URLS_WITHOUT_OBJECT = {"home", "health", "set_language"}.union(
    *(r.URLS_WITHOUT_OBJECT for r in REGISTRIES)
)
OBJECT_URLS = {name: spec for registry in REGISTRIES for name, spec in registry.OBJECT_URLS.items()}
# Views read PUT, PATCH and DELETE bodies nowhere, but a view that branched on the method before
# looking the record up would answer them differently from GET: walk them all.
METHODS = ["get", "post", "put", "patch", "delete"]


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry, inner)
        elif isinstance(entry, URLPattern):
            yield (
                f"{namespace}{entry.name}"
                if entry.name
                else f"{namespace}<unnamed {entry.pattern}>"
            )


def project_url_names():
    return sorted({name for name in url_names() if name.split(":")[0] not in EXCLUDED_NAMESPACES})


def test_every_url_pattern_is_covered():
    listed = URLS_WITHOUT_OBJECT | set(OBJECT_URLS)
    uncovered = [name for name in project_url_names() if name not in listed]
    assert uncovered == [], "list these URL patterns in tests/<app>/tenancy.py"


def test_the_lists_name_only_existing_patterns():
    assert (URLS_WITHOUT_OBJECT | set(OBJECT_URLS)) - set(project_url_names()) == set()


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", sorted(OBJECT_URLS))
@pytest.mark.parametrize("method", METHODS)
def test_another_organisations_record_is_not_found(client, world, role, url_name, method):
    spec = OBJECT_URLS[url_name]
    client.force_login(make_member(role, world.ours))
    request = getattr(client, method)

    theirs = request(reverse(url_name, kwargs=spec.theirs(world)))
    if role in spec.visible_to:
        assert theirs.status_code != 404
        return
    missing = request(reverse(url_name, kwargs=spec.missing(world)))

    assert theirs.status_code == 404
    assert missing.status_code == 404
    assert theirs.content == missing.content
