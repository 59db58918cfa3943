from django.core.exceptions import FieldError
from django.db import models
from django.utils.translation import gettext_lazy as _

from nextsteps import crypto

UNREADABLE = _("unreadable (wrong key)")


class UnreadableValue(str):
    """A value that none of the keys decrypts (written under a key the app no longer has).
    It reads as "unreadable (wrong key)" on every page instead of failing the page, and keeps
    its ciphertext: saving the record writes the ciphertext back unchanged, so the value is
    readable again once the key it was written with returns."""

    ciphertext: str

    def __new__(cls, ciphertext: str):
        value = super().__new__(cls, str(UNREADABLE))
        value.ciphertext = ciphertext
        return value


class EncryptedTextField(models.TextField):
    """Free text stored encrypted; the database only ever holds ciphertext.

    Ciphertext differs on every save, so the database cannot search, sort or compare these
    values: the only lookup allowed is ``isnull``. Records are found by their code or alias.
    """

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        try:
            return crypto.decrypt(value)
        except crypto.InvalidToken:
            return UnreadableValue(value)

    def get_prep_value(self, value):
        if isinstance(value, UnreadableValue):
            return value.ciphertext
        value = super().get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"Encrypted field {self.name!r} cannot be searched with {lookup_name!r}."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        raise FieldError(
            f"Encrypted field {self.name!r} cannot be transformed with {lookup_name!r}."
        )


def encrypted_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
