"""Columns for the attributes stored on the rows (filled by the next migration, required by
the one after: PostgreSQL does not alter a table with pending trigger events in the same
transaction as an update)."""

import django.db.models.deletion
from django.db import migrations, models

from cases.enums import Category


def _location(null, verbose_name, editable=False):
    return models.ForeignKey(
        null=null,
        editable=editable,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="pillars.location",
        verbose_name=verbose_name,
    )


def _category(verbose_name, **extra):
    return models.CharField(
        choices=Category.choices, editable=False, max_length=32, verbose_name=verbose_name, **extra
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_service_type_names_in_romanian_and_dutch"),
        ("pillars", "0005_managed_labels_in_romanian_and_dutch"),
    ]

    operations = [
        migrations.AddField("assistance", "category", _category("category", default="")),
        migrations.AddField("assistance", "location", _location(True, "location")),
        migrations.AddField(
            "beneficiary", "category_at_intake", _category("category at intake", default="")
        ),
        migrations.AddField(
            "beneficiary", "location_at_intake", _location(True, "location at intake")
        ),
        migrations.AddField("outcome", "category", _category("category", default="")),
        migrations.AddField("outcome", "location", _location(True, "location")),
        migrations.AddField(
            "outcome",
            "sub_project",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="pillars.subproject",
                verbose_name="sub-project",
            ),
        ),
        migrations.AddField("referral", "location", _location(True, "location when referred")),
    ]
