"""Encryption of personal data at rest with the keys in ``FIELD_ENCRYPTION_KEYS``.

The keys are Fernet keys, newest first: new values are encrypted with the newest, old values
decrypt with whichever key made them, so a key can be rotated in without downtime (see the
``rotate_encryption_keys`` command). The keys are not derived from SECRET_KEY, so rotating one
never touches the other.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "current_keys", "decrypt", "encrypt", "generate_key"]


@lru_cache(maxsize=4)
def _multi_fernet(keys):
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be Fernet keys (generate one with "
            "`python manage.py generate_encryption_key`)."
        ) from error


def _current():
    return _multi_fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def current_keys() -> MultiFernet:
    """The keys, newest first, for encrypting bytes (documents) rather than text."""
    return _current()


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return _current().decrypt(token.encode()).decode()


def generate_key() -> str:
    return Fernet.generate_key().decode()
