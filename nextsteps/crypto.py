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

__all__ = ["InvalidToken", "current_keys", "decrypt", "encrypt", "generate_key", "key_problem"]

KEYS_MUST_BE_FERNET_KEYS = (
    "FIELD_ENCRYPTION_KEYS must be Fernet keys, newest first, comma-separated (generate one with "
    "`python manage.py generate_encryption_key`)."
)


@lru_cache(maxsize=4)
def _multi_fernet(keys):
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(KEYS_MUST_BE_FERNET_KEYS) from error


def key_problem() -> str | None:
    """What is wrong with FIELD_ENCRYPTION_KEYS as Fernet keys (one line), or None. Checked
    when the app starts: a key that is not a key would otherwise fail only at the first save."""
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        return KEYS_MUST_BE_FERNET_KEYS
    try:
        _multi_fernet(keys)
    except ImproperlyConfigured:
        return KEYS_MUST_BE_FERNET_KEYS
    return None


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
