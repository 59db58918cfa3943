"""Optimistic locking: a record carries the version it was read at, and a save made from a
stale version is refused with what differs, instead of silently reverting someone's change."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _


class Versioned(models.Model):
    """A record edited through a form: its version goes up by one on every save."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class StaleRecord(ValidationError):
    """Someone saved the record after this form was opened: nothing was saved."""

    def __init__(self, message, *, current_version: int):
        super().__init__(message)
        self.current_version = current_version


def lock_current_version(record: Versioned) -> Versioned:
    """Lock the record's row and return it as saved now. Refuses (StaleRecord) when ``record``
    was read at an older version than the saved one; else moves ``record`` to the next version.
    Call it inside the save's transaction: a second editor waits for the first to commit."""
    current = type(record)._base_manager.select_for_update().get(pk=record.pk)
    if current.version != record.version:
        differing = _fields_differing(current, record)
        raise StaleRecord(
            _(
                "Someone else saved this record while you were editing it. Nothing was saved: "
                "your entries are still in the form. Where they differ from the record as "
                "saved now: %(fields)s. Check these and save again."
            )
            % {"fields": ", ".join(differing) or _("no field")},
            current_version=current.version,
        )
    record.version = current.version + 1
    return current


def _fields_differing(saved, edited) -> list[str]:
    return [
        str(capfirst(field.verbose_name))
        for field in saved._meta.concrete_fields
        if field.editable and getattr(saved, field.attname) != getattr(edited, field.attname)
    ]


class VersionedForm(forms.Form):
    """An edit form that posts the version the record was read at, so that a stale save is
    refused (lock_current_version) and can be made again knowingly."""

    version = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.fields["version"].initial = instance.version

    def clean(self):
        # Kept apart from the cleaned data, which views hand to domain functions as keywords.
        cleaned = super().clean()
        self.read_version = cleaned.pop("version", None)
        return cleaned

    def apply_read_version(self, record):
        """Put on ``record`` the version the user read (the form's), not the one loaded now."""
        # A new record starts at version 1 whatever was posted.
        if getattr(self, "read_version", None) and not record._state.adding:
            record.version = self.read_version
        return record

    def take_current_version(self, version: int) -> None:
        """After a refused stale save: the form keeps the user's entries and now carries the
        saved version, so saving again (after checking) goes through."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)
