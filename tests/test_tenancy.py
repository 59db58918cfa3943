"""Tenant isolation, walked over every URL pattern of the project (after pretix's
test_permissions): for every role of one organisation, every URL that takes an identifier,
pointed at a record of another organisation, answers 404 with the same page as a record that
does not exist. A URL pattern that is not listed here makes test_every_url_pattern_is_covered
fail, so a new view cannot skip this test."""

import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.enums import Role
from tests.factories import OrganisationFactory, make_member

# Namespaces outside this walk, with the reason.
EXCLUDED_NAMESPACES = {
    # Django's admin: staff (site admins) only, for reference data; organisation-owned models
    # are not registered in it. tests/accounts/test_admin_site.py checks who may enter.
    "admin",
}

# URL names that take no identifier of a record.
URLS_WITHOUT_OBJECT = {
    "home",
    "set_language",
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:administration_home",
    "accounts:data_protection_home",
    "cases:home",
    "reports:home",
}


@dataclass(frozen=True)
class ObjectUrl:
    """How to point a URL at another organisation's record, and at one that does not exist."""

    theirs: callable
    missing: callable = field(default=lambda world: {})
    # Partnership-wide roles that may legitimately open another organisation's record here.
    visible_to: frozenset = frozenset()


def missing_uuid(name):
    return lambda world: {name: uuid.uuid4()}


# URL name -> how to build its arguments.
OBJECT_URLS: dict[str, ObjectUrl] = {}


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
    uncovered = [
        name
        for name in project_url_names()
        if name not in URLS_WITHOUT_OBJECT and name not in OBJECT_URLS
    ]
    assert uncovered == [], "add these URL patterns to tests/test_tenancy.py"


def test_the_lists_name_only_existing_patterns():
    existing = set(project_url_names())
    assert (URLS_WITHOUT_OBJECT | set(OBJECT_URLS)) - existing == set()


@pytest.fixture
def world(db):
    """Our organisation and theirs, with one of every kind of record on their side."""
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    return SimpleNamespace(ours=ours, theirs=theirs)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", sorted(OBJECT_URLS))
@pytest.mark.parametrize("method", ["get", "post"])
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
