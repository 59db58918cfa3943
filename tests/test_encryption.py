import io
import os
import subprocess
import sys
import threading

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection, connections
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.models import Beneficiary
from nextsteps import crypto
from nextsteps.models import EncryptionCanary
from tests.factories import BeneficiaryFactory


def stored_value(person, column="legal_name"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM cases_beneficiary WHERE id = %s", [person.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_identity_fields_are_ciphertext_in_the_database(db):
    person = BeneficiaryFactory(legal_name="Maria Testescu", phone="+40 711 222 333")

    assert "Maria" not in stored_value(person)
    assert "711" not in stored_value(person, "phone")
    assert Beneficiary.objects.get(pk=person.pk).legal_name == "Maria Testescu"


def test_the_same_value_encrypts_differently_each_time(db):
    first, second = (
        BeneficiaryFactory(legal_name="Same Name"),
        BeneficiaryFactory(legal_name="Same Name"),
    )

    assert stored_value(first) != stored_value(second)


def test_encrypted_fields_cannot_be_searched(db):
    with pytest.raises(FieldError):
        Beneficiary.objects.filter(legal_name="Maria Testescu").exists()


def test_rotation_re_encrypts_every_row_with_the_newest_key(db, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    person = BeneficiaryFactory(legal_name="Ioana Rotation", address="met at the station")
    new_key = Fernet.generate_key().decode()

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert Beneficiary.objects.get(pk=person.pk).legal_name == "Ioana Rotation"
    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    reloaded = Beneficiary.objects.get(pk=person.pk)
    assert (reloaded.legal_name, reloaded.address) == ("Ioana Rotation", "met at the station")
    assert Fernet(new_key.encode()).decrypt(stored_value(person).encode()) == b"Ioana Rotation"


def test_a_value_from_an_unknown_key_reads_as_unreadable(db, settings):
    person = BeneficiaryFactory(legal_name="Secret")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    assert Beneficiary.objects.get(pk=person.pk).legal_name == "unreadable (wrong key)"
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(stored_value(person))


# -- wrong or missing keys (issue 13 point 3) ---------------------------------------------------
def new_key():
    return Fernet.generate_key().decode()


def check_messages(settings, keys):
    settings.FIELD_ENCRYPTION_KEYS = keys
    with pytest.raises(SystemCheckError) as refused:
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    return str(refused.value)


@pytest.mark.parametrize("keys", [["not-a-key"], [], ["", "also-not-a-key"]])
def test_manage_py_check_refuses_keys_that_are_not_keys(db, settings, keys):
    assert "FIELD_ENCRYPTION_KEYS must be Fernet keys" in check_messages(settings, keys)


def test_manage_py_check_refuses_a_key_that_does_not_decrypt_the_stored_data(db, settings):
    assert EncryptionCanary.objects.exists(), "migrate writes the canary"

    message = check_messages(settings, [Fernet.generate_key().decode()])

    assert "do not decrypt the data already stored" in message


def test_a_new_key_first_and_the_old_one_after_it_passes_the_check(db, settings):
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]

    call_command("check", stdout=io.StringIO())


def run_python(code, database, key):
    environment = {
        **os.environ,
        "DEBUG": "true",
        "REQUIRE_TWO_FACTOR": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        "FIELD_ENCRYPTION_KEYS": key,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings_dir(),
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_dir():
    from django.conf import settings as django_settings

    return str(django_settings.BASE_DIR)


START_A_WEB_WORKER = (
    "import nextsteps.wsgi; from django.test import Client; "
    "client = Client(HTTP_HOST='localhost'); "
    "print(client.get('/accounts/login/').status_code, client.get('/health/').status_code)"
)
MIGRATE = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'nextsteps.settings'); "
    "django.setup(); from django.core.management import call_command; "
    "call_command('migrate', verbosity=0)"
)


def test_a_web_worker_does_not_start_with_keys_that_are_not_keys(tmp_path):
    refused = run_python(START_A_WEB_WORKER, tmp_path / "db.sqlite3", "not-a-key")

    assert refused.returncode != 0
    assert refused.stderr.strip().splitlines() == [refused.stderr.strip()]
    assert "must be Fernet keys" in refused.stderr


def test_a_web_worker_with_a_wrong_key_serves_only_the_health_check(tmp_path):
    database = tmp_path / "db.sqlite3"
    right, wrong = new_key(), new_key()
    assert run_python(MIGRATE, database, right).returncode == 0

    served = run_python(START_A_WEB_WORKER, database, right)
    refused = run_python(START_A_WEB_WORKER, database, wrong)

    assert served.stdout.split() == ["200", "200"], served.stderr[-500:]
    assert refused.stdout.split() == ["503", "503"]  # the health check names the keys
    assert "do not decrypt the data already stored" in refused.stderr.splitlines()[0]


def test_a_list_with_a_row_written_under_another_key_shows_it_as_unreadable(
    client_of, alice, betania, settings
):
    right = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    stray = BeneficiaryFactory(organisation=betania, legal_name="Written under a wrong key")
    settings.FIELD_ENCRYPTION_KEYS = right
    BeneficiaryFactory(organisation=betania, legal_name="Readable")
    client = client_of(alice)

    listed = client.get(reverse("cases:beneficiary_list"))
    opened = client.get(reverse("cases:beneficiary_detail", kwargs={"code": stray.code}))

    assert listed.status_code == opened.status_code == 200
    assert "unreadable (wrong key)" in opened.content.decode()


def test_saving_a_row_with_an_unreadable_value_keeps_its_ciphertext(db, settings):
    right = settings.FIELD_ENCRYPTION_KEYS
    person = BeneficiaryFactory(legal_name="Kept under the old key")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    loaded = Beneficiary.objects.get(pk=person.pk)
    loaded.alias = "Changed meanwhile"
    loaded.save()

    settings.FIELD_ENCRYPTION_KEYS = right
    assert Beneficiary.objects.get(pk=person.pk).legal_name == "Kept under the old key"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_rotation_locks_the_rows_it_rewrites(settings, monkeypatch):
    """An edit committed while the rotation holds a batch is not overwritten by the batch's
    stale copy: the edit waits for the rotation's lock and lands after it."""
    from nextsteps.management.commands import rotate_encryption_keys

    with scopes_disabled():
        person = BeneficiaryFactory(legal_name="Before the edit")
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    original_rewrite = rotate_encryption_keys.rewrite_batch
    edit_finished = threading.Event()

    def edit_in_another_connection():
        try:
            with scopes_disabled():
                Beneficiary.objects.filter(pk=person.pk).update(legal_name="After the edit")
        finally:
            connections.close_all()
            edit_finished.set()

    def rewrite_while_someone_edits(manager, batch, field_names):
        if manager.model is not Beneficiary:
            return original_rewrite(manager, batch, field_names)
        editor = threading.Thread(target=edit_in_another_connection)
        editor.start()
        edit_finished.wait(timeout=1)  # unlocked rows: the edit commits before the batch
        return original_rewrite(manager, batch, field_names)

    monkeypatch.setattr(rotate_encryption_keys, "rewrite_batch", rewrite_while_someone_edits)
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    edit_finished.wait(timeout=10)

    with scopes_disabled():
        assert Beneficiary.objects.get(pk=person.pk).legal_name == "After the edit"
