from django.db import models

from nextsteps.fields import EncryptedTextField


class EncryptionCanary(models.Model):
    """One known value encrypted with the field keys, written when the database is migrated.

    Whether it still decrypts tells, before any person's record is read or written, that the
    running app has the keys the stored data was encrypted with (nextsteps.health). Rotating
    keys re-encrypts it with everything else (rotate_encryption_keys walks every encrypted
    field)."""

    KNOWN_VALUE = "next-steps-encryption-canary"

    value = EncryptedTextField()

    def __str__(self) -> str:
        return "encryption canary"
