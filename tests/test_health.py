"""/health/: 200 when the database answers, every migration is applied and the keys decrypt
the canary; 503 naming what fails; open to a monitor without login or second factor."""

import json

import pytest
from cryptography.fernet import Fernet

from accounts.enums import Role
from nextsteps.models import EncryptionCanary
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def health(client):
    response = client.get("/health/")
    return response.status_code, json.loads(response.content)


def test_healthy_without_login(client):
    assert health(client) == (200, {"status": "ok"})


def test_migrating_wrote_the_canary_with_the_current_keys():
    assert list(EncryptionCanary.objects.values_list("value", flat=True)) == [
        EncryptionCanary.KNOWN_VALUE
    ]


def test_a_canary_written_with_another_key_answers_503(client, settings):
    current_keys = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    EncryptionCanary.objects.update(value=EncryptionCanary.KNOWN_VALUE)
    settings.FIELD_ENCRYPTION_KEYS = current_keys

    assert health(client) == (503, {"status": "unavailable", "failed": ["encryption_keys"]})


def test_a_missing_canary_answers_503(client):
    EncryptionCanary.objects.all().delete()

    assert health(client) == (503, {"status": "unavailable", "failed": ["encryption_keys"]})


def test_after_rotating_keys_the_canary_still_decrypts(client, settings):
    from django.core.management import call_command

    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]

    assert health(client) == (200, {"status": "ok"})


def test_open_to_a_session_waiting_for_its_second_factor(client, settings, betania):
    settings.REQUIRE_TWO_FACTOR = True
    client.force_login(make_member(Role.CASEWORKER, betania))

    assert health(client) == (200, {"status": "ok"})


def test_a_monitor_on_plain_http_is_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


def test_only_reading_methods(client):
    assert client.post("/health/").status_code == 405
