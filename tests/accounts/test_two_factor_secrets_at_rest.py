"""Issue 13 point 7: the authenticator secret is stored encrypted with the field keys, backup
codes only as salted hashes; the migration moved the devices django-otp kept in clear."""

import importlib
import io
from base64 import b32encode
from binascii import unhexlify

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.enums import Role
from accounts.models import AuthenticatorDevice, BackupCodeDevice
from tests.accounts.test_two_factor import enrol
from tests.accounts.two_factor_support import (
    a_wrong_code,
    authenticator_code,
    confirmed_authenticator,
    enter_code,
    is_stored_backup_code,
    log_in_with_password,
    shown_backup_codes,
    stored_backup_codes,
)
from tests.cases.test_races import at_once, race
from tests.factories import make_member

HOME = reverse("cases:home")
LOGOUT = reverse("accounts:logout")
MIGRATION = importlib.import_module("accounts.migrations.0009_move_clear_two_factor_devices")


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.REQUIRE_TWO_FACTOR = True


def raw_rows(sql, params=()):
    """What a copy of the database holds, read past the ORM and its decryption."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [" ".join(str(value) for value in row) for row in cursor.fetchall()]


def secret_spellings(device):
    """The secret as hex (django-otp's column), base32 (what the app is given) and raw."""
    base32 = b32encode(device.bin_key).decode()
    return {device.key.lower(), device.key.upper(), base32, base32.rstrip("=")}


def test_the_authenticator_secret_is_ciphertext_in_the_database(client, alice):
    device = enrol(client, alice)
    stored = raw_rows("SELECT * FROM accounts_authenticatordevice WHERE id = %s", [device.pk])

    assert len(device.key) == 40 and unhexlify(device.key)  # 20 random bytes, read back
    assert len(stored) == 1
    assert not any(secret in stored[0] for secret in secret_spellings(device))
    assert raw_rows("SELECT * FROM otp_totp_totpdevice") == []


def test_backup_codes_are_stored_only_as_salted_hashes(client, alice):
    enrol(client, alice)
    codes = shown_backup_codes(client)
    stored = raw_rows("SELECT * FROM accounts_backupcode")

    assert len(codes) == 10 and len(stored) == 10
    assert not any(code in row or code.upper() in row for code in codes for row in stored)
    hashes = raw_rows("SELECT code_hash FROM accounts_backupcode")
    assert all(value.startswith("argon2$argon2id$") for value in hashes)
    assert len(set(hashes)) == 10
    assert raw_rows("SELECT * FROM otp_static_statictoken") == []


def test_logging_in_with_the_authenticator_and_with_a_backup_code(client, alice):
    device = enrol(client, alice)
    code = shown_backup_codes(client)[0]
    client.post(LOGOUT)

    log_in_with_password(client, alice)
    with_app = enter_code(client, authenticator_code(device, steps_ahead=1))
    client.post(LOGOUT)
    log_in_with_password(client, alice)
    with_backup_code = enter_code(client, code)
    client.post(LOGOUT)
    log_in_with_password(client, alice)
    reused = enter_code(client, code)

    assert with_app.status_code == 302 and with_backup_code.status_code == 302
    assert reused.status_code == 200  # the code was used up
    assert not is_stored_backup_code(alice, code)
    assert len(stored_backup_codes(alice)) == 9


def test_a_wrong_code_is_refused_and_makes_the_next_try_wait(client, alice):
    device = confirmed_authenticator(alice)
    log_in_with_password(client, alice)

    response = enter_code(client, a_wrong_code(device))

    device.refresh_from_db()
    assert response.status_code == 200
    assert client.get(HOME).url.startswith(reverse("accounts:two_factor_verify"))
    assert device.throttling_failure_count == 1


def test_a_secret_no_key_decrypts_refuses_every_code_without_failing(client, alice, settings):
    device = confirmed_authenticator(alice)
    right_code = authenticator_code(device)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    log_in_with_password(client, alice)
    response = enter_code(client, right_code)

    assert response.status_code == 200
    assert not AuthenticatorDevice.objects.get(pk=device.pk).key_is_readable


def test_rotation_re_encrypts_the_authenticator_secret(alice, settings):
    device = confirmed_authenticator(alice)
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    before = raw_rows("SELECT key FROM accounts_authenticatordevice")
    new_key = Fernet.generate_key().decode()

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]

    assert raw_rows("SELECT key FROM accounts_authenticatordevice") != before
    assert AuthenticatorDevice.objects.get(pk=device.pk).key == device.key
    assert two_factor.verify_second_factor(alice, authenticator_code(device)).pk == device.pk


def test_the_migration_moves_clear_devices_into_the_encrypted_ones(alice, charlie):
    clear_app = TOTPDevice.objects.create(user=alice, name="Authenticator app", last_t=7)
    clear_codes = StaticDevice.objects.create(user=alice, name="Backup codes")
    StaticToken.objects.create(device=clear_codes, token="abcd2345")
    StaticToken.objects.create(device=clear_codes, token="efgh6723")
    unconfirmed = TOTPDevice.objects.create(user=charlie, name="half set up", confirmed=0)
    set_up_on = TOTPDevice.objects.filter(pk=clear_app.pk).values_list("created_at", flat=True)[0]

    MIGRATION.move_clear_devices(apps, schema_editor=None)

    moved = AuthenticatorDevice.objects.get(user=alice)
    assert (moved.key, moved.confirmed, moved.last_t) == (clear_app.key, True, 7)
    assert moved.created_at == set_up_on
    assert AuthenticatorDevice.objects.get(user=charlie).key == unconfirmed.key
    assert not AuthenticatorDevice.objects.get(user=charlie).confirmed
    assert BackupCodeDevice.objects.get(user=alice).confirmed
    assert is_stored_backup_code(alice, "abcd2345") and is_stored_backup_code(alice, "efgh6723")
    assert not TOTPDevice.objects.exists() and not StaticToken.objects.exists()
    stored = " ".join(raw_rows("SELECT * FROM accounts_authenticatordevice"))
    assert clear_app.key not in stored and unconfirmed.key not in stored
    assert "abcd2345" not in " ".join(raw_rows("SELECT * FROM accounts_backupcode"))


def test_the_migrated_authenticator_and_backup_code_log_in(client, alice):
    clear_app = TOTPDevice.objects.create(user=alice, name="Authenticator app")
    clear_codes = StaticDevice.objects.create(user=alice, name="Backup codes")
    StaticToken.objects.create(device=clear_codes, token="abcd2345")
    MIGRATION.move_clear_devices(apps, schema_editor=None)
    moved = AuthenticatorDevice.objects.get(user=alice)

    log_in_with_password(client, alice)
    assert moved.key == clear_app.key
    assert enter_code(client, authenticator_code(moved)).status_code == 302
    client.post(LOGOUT)
    log_in_with_password(client, alice)
    assert enter_code(client, "ABCD 2345").status_code == 302


@race
def test_one_backup_code_typed_twice_at_once_logs_in_once(alice):
    confirmed_authenticator(alice)
    code = two_factor.new_backup_codes(alice, by=alice)[0]

    def use_code():
        return two_factor.verify_second_factor(alice, code)

    results = at_once(use_code, use_code)

    accepted = [result for result in results if isinstance(result, BackupCodeDevice)]
    assert len(accepted) == 1, results
    assert len(stored_backup_codes(alice)) == 9


def test_the_admin_site_lists_devices_without_secrets_and_offers_no_clear_device(
    alice, verified_client_of
):
    device = confirmed_authenticator(alice)
    site_admin = make_member(Role.SITE_ADMIN, is_staff=True, is_superuser=True)
    admin_client = verified_client_of(site_admin)

    listing = admin_client.get(reverse("admin:accounts_authenticatordevice_changelist"))
    detail = admin_client.get(
        reverse("admin:accounts_authenticatordevice_change", args=[device.pk])
    )

    assert listing.status_code == 200 and str(alice) in listing.content.decode()
    assert detail.status_code == 200
    assert not any(secret in detail.content.decode() for secret in secret_spellings(device))
    for clear_model in ("otp_totp_totpdevice", "otp_static_staticdevice"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:{clear_model}_changelist")
