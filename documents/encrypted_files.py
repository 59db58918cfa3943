"""Files encrypted with the field-encryption keys (FIELD_ENCRYPTION_KEYS), a chunk at a time.

A stored file is a sequence of Fernet tokens, each preceded by its length (4 bytes, big-endian),
each holding CHUNK_SIZE bytes of the file or fewer. Writing and reading go a chunk at a time,
so a 20 MB scan never sits whole in memory, and each token names the key that made it, so a
rotation re-encrypts token by token (MultiFernet.rotate)."""

from __future__ import annotations

import struct
import tempfile
import uuid
from collections.abc import Iterable, Iterator

from django.core.files import File
from django.core.files.storage import Storage, storages

from nextsteps.crypto import current_keys

CHUNK_SIZE = 64 * 1024
_LENGTH = struct.Struct(">I")


def document_storage() -> Storage:
    return storages["documents"]


def store_encrypted(chunks: Iterable[bytes]) -> str:
    """Encrypt ``chunks`` into the documents storage under a new random name; return it."""
    keys = current_keys()
    with tempfile.TemporaryFile() as encrypted:
        for chunk in _rechunked(chunks):
            token = keys.encrypt(chunk)
            encrypted.write(_LENGTH.pack(len(token)))
            encrypted.write(token)
        encrypted.seek(0)
        name = f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.enc"
        return document_storage().save(name, File(encrypted, name=name))


def read_decrypted(name: str) -> Iterator[bytes]:
    """The file's plaintext, a chunk at a time."""
    keys = current_keys()
    for token in _tokens(name):
        yield keys.decrypt(token)


def reencrypt(name: str) -> str:
    """Write the file again with the newest key (token by token); return the new name. The
    caller points the document at it, then deletes the old file."""
    keys = current_keys()
    keys_rotate = keys.rotate
    with tempfile.TemporaryFile() as encrypted:
        for token in _tokens(name):
            fresh = keys_rotate(token)
            encrypted.write(_LENGTH.pack(len(fresh)))
            encrypted.write(fresh)
        encrypted.seek(0)
        new_name = f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.enc"
        return document_storage().save(new_name, File(encrypted, name=new_name))


def delete_stored(name: str) -> None:
    document_storage().delete(name)


def _tokens(name: str) -> Iterator[bytes]:
    with document_storage().open(name, "rb") as stored:
        while header := stored.read(_LENGTH.size):
            (length,) = _LENGTH.unpack(header)
            yield stored.read(length)


def _rechunked(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The same bytes in pieces of CHUNK_SIZE (an upload's chunks can be of any size)."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        while len(pending) >= CHUNK_SIZE:
            yield pending[:CHUNK_SIZE]
            pending = pending[CHUNK_SIZE:]
    if pending:
        yield pending
