"""The attributes stored on the rows are required once every row has them (0005 filled them; a
separate migration because PostgreSQL does not alter a table with pending trigger events)."""

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
    dependencies = [("cases", "0007_fill_attributes_as_at_the_date_of_help")]

    operations = [
        migrations.AlterField("assistance", "category", _category("category")),
        migrations.AlterField("assistance", "location", _location(False, "location")),
        migrations.AlterField("beneficiary", "category_at_intake", _category("category at intake")),
        migrations.AlterField(
            "beneficiary", "location_at_intake", _location(False, "location at intake")
        ),
        migrations.AlterField("outcome", "category", _category("category")),
        migrations.AlterField("outcome", "location", _location(False, "location")),
        migrations.AlterField("referral", "location", _location(False, "location when referred")),
    ]
