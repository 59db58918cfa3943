"""Columns for the attributes stored on the rows (filled by the next migration, required by
the one after: PostgreSQL does not alter a table with pending trigger events in the same
transaction as an update)."""

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
    dependencies = [
        ("accounts", "0002_audit_log_append_only"),
        ("cases", "0008_attributes_as_at_the_date_of_help_required"),
        ("pillars", "0005_managed_labels_in_romanian_and_dutch"),
    ]

    operations = [
        migrations.AddField("activityparticipation", "category", _category(default="")),
        migrations.AddField(
            "activityparticipation",
            "organisation",
            _link("accounts.organisation", True, editable=False),
        ),
        migrations.AddField("activityparticipation", "location", _link("pillars.location", True)),
        migrations.AddField(
            "activityparticipation", "sub_project", _link("pillars.subproject", True)
        ),
    ]
