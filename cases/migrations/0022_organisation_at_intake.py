"""The organisation that took each person in, apart from the one that has her case now: a
transfer moves her case to another organisation, and the new-people figures must keep her where
she came in."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("cases", "0021_identity_digests"),
    ]

    operations = [
        migrations.AddField(
            model_name="beneficiary",
            name="organisation_at_intake",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="organisation at intake",
            ),
        ),
    ]
