"""The date of birth becomes a date (kept encrypted, as its ISO text).

Stored values were free text. Each one that reads as a date, whatever way it was typed, is kept
as that date. One that does not (e.g. "spring 1999") is not thrown away: it is written into the
person's notes journal, dated today, saying what it was, where her organisation sees it and can
correct the date; the field is left empty. Erased records keep an empty field.
"""

from django.db import migrations
from django.utils import timezone

import nextsteps.fields
from nextsteps.dates import normalised_date
from nextsteps.fields import UnreadableValue

JOURNAL_ENTRY = (
    "The date of birth was written as {typed!r}, which is no date; the field was left empty "
    "when dates of birth became dates. Correct it on the record's edit page."
)


def dates_of_birth_as_dates(Beneficiary, CaseNote) -> dict:
    """Rewrite every stored date of birth as YYYY-MM-DD, or move it into the notes journal when
    it is no date. Returns how many were kept, moved and left alone (unreadable with today's
    keys: rewritten once the key returns and the field is edited)."""
    counts = {"dates": 0, "moved to the journal": 0, "unreadable": 0}
    people = Beneficiary._base_manager.exclude(date_of_birth__isnull=True).only(
        "pk", "organisation_id", "date_of_birth"
    )
    for person in people.iterator():
        typed = person.date_of_birth
        if isinstance(typed, UnreadableValue):
            counts["unreadable"] += 1
            continue
        if not typed.strip():
            value = None
        elif born := normalised_date(typed):
            value = born
            counts["dates"] += 1
        else:
            value = None
            CaseNote._base_manager.create(
                beneficiary_id=person.pk,
                organisation_id=person.organisation_id,
                written_on=timezone.localdate(),
                created_at=timezone.now(),
                text=JOURNAL_ENTRY.format(typed=typed.strip()),
            )
            counts["moved to the journal"] += 1
        Beneficiary._base_manager.filter(pk=person.pk).update(date_of_birth=value)
    return counts


def convert(apps, schema_editor):
    dates_of_birth_as_dates(
        apps.get_model("cases", "Beneficiary"), apps.get_model("cases", "CaseNote")
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0025_transfers_of_cases")]

    operations = [
        # First allow NULL (an empty date), still as text, so the values can be read as typed.
        migrations.AlterField(
            model_name="beneficiary",
            name="date_of_birth",
            field=nextsteps.fields.EncryptedTextField(
                blank=True, null=True, verbose_name="date of birth"
            ),
        ),
        migrations.RunPython(convert, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="beneficiary",
            name="date_of_birth",
            field=nextsteps.fields.EncryptedDateField(
                blank=True, null=True, verbose_name="date of birth"
            ),
        ),
    ]
