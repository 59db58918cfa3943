"""Encryption of personal data at rest with the keys in ``FIELD_ENCRYPTION_KEYS``.

The keys are Fernet keys, newest first: new values are encrypted with the newest, old values
decrypt with whichever key made them, so a key can be rotated in without downtime (see the
``rotate_encryption_keys`` command). The keys are not derived from SECRET_KEY, so rotating one
never touches the other.
"""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "InvalidToken",
    "current_keys",
    "decrypt",
    "decrypt_many",
    "encrypt",
    "generate_key",
    "key_problem",
]

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


def decrypt_many(tokens: Sequence[str]) -> list[str | None]:
    """``tokens`` decrypted, in their order; None for a token that no key decrypts (where
    ``decrypt`` raises InvalidToken). The same result as ``decrypt`` on each, at about a third
    of the cost, for exports that read thousands of values: the keys are read once, each
    token's signature is checked with one prepared HMAC per key, and every token a key signed is
    decrypted by one AES-CBC pass over all of them (below). A token this path cannot vouch for
    goes through ``decrypt`` itself, so nothing unverified is ever returned."""
    keys = _fernet_keys(tuple(settings.FIELD_ENCRYPTION_KEYS))
    texts: list[str | None] = [None] * len(tokens)
    signed_by: list[list[tuple[int, bytes]]] = [[] for _ in keys]
    for position, token in enumerate(tokens):
        data = _verified_token(token, keys)
        if data is None:
            texts[position] = _decrypt_or_none(token)
        else:
            key_index, body = data
            signed_by[key_index].append((position, body))
    for (_, encryption_key), signed in zip(keys, signed_by, strict=True):
        if signed:
            _decrypt_together(encryption_key, signed, tokens, texts)
    return texts


# A Fernet token: version (1 byte, 0x80), time (8), IV (16), AES-128-CBC ciphertext of the
# PKCS7-padded text (16n), HMAC-SHA256 of all that (32), the whole in URL-safe base64.
_VERSION = 0x80
_IV_STARTS = 9
_BLOCK = 16
_SIGNATURE = 32


@lru_cache(maxsize=4)
def _fernet_keys(keys: tuple[str, ...]) -> list[tuple[hmac.HMAC, bytes]]:
    """Per key, newest first: an HMAC already keyed with its signing half (copied per token,
    never keyed again) and its encryption half."""
    _multi_fernet(keys)  # refuses what is not a Fernet key, as every other path does
    halves = [base64.urlsafe_b64decode(key) for key in keys]
    return [(hmac.new(key[:16], digestmod=hashlib.sha256), key[16:]) for key in halves]


def _verified_token(token: str, keys) -> tuple[int, bytes] | None:
    """(which key signed it, IV + ciphertext) of a well-formed token whose signature one of
    the keys checks, or None."""
    try:
        data = base64.urlsafe_b64decode(token)
    except (binascii.Error, ValueError):
        return None
    body = data[_IV_STARTS:-_SIGNATURE]
    if data[:1] != bytes([_VERSION]) or len(body) < 2 * _BLOCK or len(body) % _BLOCK:
        return None
    signed, signature = data[:-_SIGNATURE], data[-_SIGNATURE:]
    for index, (signer, _) in enumerate(keys):
        check = signer.copy()
        check.update(signed)
        if hmac.compare_digest(check.digest(), signature):
            return index, body
    return None


def _decrypt_together(encryption_key: bytes, signed, tokens, texts) -> None:
    """Decrypt every (position, IV + ciphertext) in one CBC pass over them laid end to end: in
    CBC a block's text is its decryption XOR the block before it, so each token's own IV
    precedes its first block and every block of every token comes out right; what comes out
    for the IVs themselves is dropped."""
    decryptor = Cipher(algorithms.AES(encryption_key), modes.CBC(bytes(_BLOCK))).decryptor()
    plain = decryptor.update(b"".join(body for _, body in signed)) + decryptor.finalize()
    start = 0
    for position, body in signed:
        padded = plain[start + _BLOCK : start + len(body)]
        start += len(body)
        text = _unpadded(padded)
        texts[position] = _decrypt_or_none(tokens[position]) if text is None else text


def _unpadded(padded: bytes) -> str | None:
    size = padded[-1]
    if not 1 <= size <= _BLOCK or padded[-size:] != bytes([size]) * size:
        return None
    try:
        return padded[:-size].decode()
    except UnicodeDecodeError:
        return None


def _decrypt_or_none(token: str) -> str | None:
    try:
        return decrypt(token)
    except (InvalidToken, UnicodeDecodeError):
        return None


def generate_key() -> str:
    return Fernet.generate_key().decode()
