import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from cases.models import Beneficiary
from nextsteps import crypto
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


def test_a_value_from_an_unknown_key_does_not_decrypt(db, settings):
    person = BeneficiaryFactory(legal_name="Secret")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(crypto.InvalidToken):
        Beneficiary.objects.get(pk=person.pk)
