from collections.abc import Sequence
from datetime import date, datetime

from django import forms
from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from nextsteps import crypto
from nextsteps.dates import normalised_date

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
            return self.from_plaintext(crypto.decrypt(value))
        except crypto.InvalidToken:
            return UnreadableValue(value)

    def from_db_values(self, values: Sequence[str | None]) -> list:
        """What ``from_db_value`` gives for each of ``values`` (the column as stored: ciphertext,
        or None), decrypted together (crypto.decrypt_many): exports read thousands at once."""
        texts = iter(crypto.decrypt_many([value for value in values if value is not None]))
        decrypted = []
        for value in values:
            if value is None:
                decrypted.append(None)
                continue
            text = next(texts)
            decrypted.append(UnreadableValue(value) if text is None else self.from_plaintext(text))
        return decrypted

    def from_plaintext(self, text: str):
        """The value of the decrypted ``text``."""
        return text

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


class TypedDateField(forms.DateField):
    """A date typed any common way (1999-03-12, 12/03/1999, 12.03.1999): people type dates of
    birth from documents written in many countries' ways (nextsteps.dates)."""

    widget = forms.DateInput(format="%Y-%m-%d")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        typed = normalised_date(value)
        if not typed:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return date.fromisoformat(typed)


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted: the column holds the ciphertext of its ISO text (YYYY-MM-DD),
    the model and the forms see a ``datetime.date``. Empty is NULL.

    Like every encrypted value it cannot be searched or compared in the database; duplicate
    detection reads it through the blind index (cases.identity_index), never the column.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_plaintext(self, text: str):
        return self.to_python(text)

    def to_python(self, value):
        if isinstance(value, UnreadableValue):
            return value
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(
                _("%(value)s is not a date written YYYY-MM-DD."),
                code="invalid",
                params={"value": value},
            ) from None

    def get_prep_value(self, value):
        if isinstance(value, UnreadableValue):
            return value.ciphertext
        value = self.to_python(value)
        if value is None:
            return None
        return crypto.encrypt(value.isoformat())

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else str(value)

    def formfield(self, **kwargs):
        # Past TextField's: its text area and max_length mean nothing to a date.
        return models.Field.formfield(self, **{"form_class": TypedDateField, **kwargs})


def encrypted_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
