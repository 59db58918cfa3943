"""The client address that the audit log records and login throttling counts."""

import pytest
from django.test import RequestFactory

from nextsteps.middleware import client_ip


def address_of(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **headers))


def test_without_a_proxy_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []

    assert address_of("203.0.113.9", forwarded="10.1.1.1") == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.7", "198.51.100.7"),
        # Whatever the client sent comes first; our proxy appends what it saw.
        ("10.1.1.1, 198.51.100.7", "198.51.100.7"),
        ("10.1.1.1, 198.51.100.7, 127.0.0.1", "198.51.100.7"),
        ("not an address", "127.0.0.1"),
        ("", "127.0.0.1"),
    ],
)
def test_behind_a_trusted_proxy_the_address_it_saw_is_used(settings, forwarded, client):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    assert address_of("127.0.0.1", forwarded=forwarded) == client


def test_a_request_from_elsewhere_cannot_pretend_to_come_through_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    assert address_of("203.0.113.9", forwarded="198.51.100.7") == "203.0.113.9"
