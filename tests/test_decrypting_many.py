"""Decrypting many values at once (crypto.decrypt_many, EncryptedTextField.from_db_values): the
same answer as decrypting each, and nothing a key did not sign."""

import base64
from datetime import date

import pytest
from cryptography.fernet import Fernet

from cases.models import Beneficiary
from nextsteps import crypto
from nextsteps.fields import UnreadableValue

TEXTS = ["Maria Testescu", "", "Ștefănescu Ioana, Strada Mare 1", "x" * 1000, "16 bytes exactly"]


def tampered(token: str, position: int) -> str:
    data = bytearray(base64.urlsafe_b64decode(token))
    data[position] ^= 1
    return base64.urlsafe_b64encode(bytes(data)).decode()


def test_every_value_comes_back_in_its_place():
    tokens = [crypto.encrypt(text) for text in TEXTS * 3]

    assert crypto.decrypt_many(tokens) == [crypto.decrypt(token) for token in tokens]
    assert crypto.decrypt_many(tokens) == TEXTS * 3
    assert crypto.decrypt_many([]) == []


def test_values_of_an_older_key_still_read_and_unknown_keys_do_not(settings):
    old_key, new_key, stranger = (Fernet.generate_key().decode() for _ in range(3))
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    old = crypto.encrypt("written before the rotation")
    settings.FIELD_ENCRYPTION_KEYS = [stranger]
    foreign = crypto.encrypt("someone else's")
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    new = crypto.encrypt("written after")

    assert crypto.decrypt_many([new, foreign, old]) == [
        "written after",
        None,
        "written before the rotation",
    ]


@pytest.mark.parametrize(
    "where",
    [0, 5, 12, 30, -40, -1],
    ids=["version", "time", "iv", "ciphertext", "last block", "signature"],
)
def test_a_token_changed_anywhere_is_refused(where):
    token = crypto.encrypt("Maria Testescu, 1987-03-12")

    assert crypto.decrypt_many([tampered(token, where), token]) == [
        None,
        "Maria Testescu, 1987-03-12",
    ]


@pytest.mark.parametrize("token", ["", "not a token", "gAAAAA==", "é" * 100])
def test_what_is_not_a_token_is_refused(token):
    assert crypto.decrypt_many([token]) == [None]


def test_a_column_reads_as_its_field_reads_it_one_value_at_a_time():
    date_of_birth = Beneficiary._meta.get_field("date_of_birth")
    legal_name = Beneficiary._meta.get_field("legal_name")
    stored_dates = [date_of_birth.get_prep_value(date(1987, 3, 12)), None, "garbage"]
    stored_names = [legal_name.get_prep_value("Maria"), None, "garbage"]

    dates = date_of_birth.from_db_values(stored_dates)
    names = legal_name.from_db_values(stored_names)

    assert dates[:2] == [date(1987, 3, 12), None]
    assert names[:2] == ["Maria", None]
    for unreadable in (dates[2], names[2]):
        assert isinstance(unreadable, UnreadableValue)
        assert unreadable.ciphertext == "garbage"
    one_by_one = [date_of_birth.from_db_value(value, None, None) for value in stored_dates]
    assert dates == one_by_one
