"""The attributes stored on the participation rows are required once every row has them (0005
filled them; a separate migration because PostgreSQL does not alter a table with pending trigger
events)."""

import django.db.models.deletion
from django.db import migrations, models

from cases.enums import Category


def _link(to, null, **extra):
    return models.ForeignKey(
        null=null, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=to, **extra
    )


def _category(**extra):
    return models.CharField(
        choices=Category.choices,
        editable=False,
        max_length=32,
        verbose_name="category",
        **extra,
    )


class Migration(migrations.Migration):
    dependencies = [("pillars", "0007_fill_attributes_of_participation")]

    operations = [
        migrations.AlterField("activityparticipation", "category", _category()),
        migrations.AlterField(
            "activityparticipation",
            "organisation",
            _link("accounts.organisation", False, editable=False),
        ),
        migrations.AlterField(
            "activityparticipation", "location", _link("pillars.location", False)
        ),
        migrations.AlterField(
            "activityparticipation", "sub_project", _link("pillars.subproject", False)
        ),
    ]
