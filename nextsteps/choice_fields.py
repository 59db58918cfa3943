"""Choice fields of records whose submitted ids are checked against what an id column can hold
before any query: on SQLite an id beyond 64 bits fails in the driver (a 500) instead of
matching nothing. Such an id is simply not one of the choices."""

from django import forms
from django.core.exceptions import ValidationError

_LARGEST_ID = 2**63 - 1


def _impossible(value) -> bool:
    text = str(value).strip()
    return text.lstrip("-").isdigit() and abs(int(text)) > _LARGEST_ID


class RecordChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _impossible(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RecordMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if any(_impossible(item) for item in value or ()):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": ""},
            )
        return super()._check_values(value)
