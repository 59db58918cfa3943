import uuid

from django.db import migrations, models


def give_each_period_a_public_id(apps, schema_editor):
    Period = apps.get_model("pillars", "Period")
    for period in Period.objects.filter(public_id__isnull=True):
        period.public_id = uuid.uuid4()
        period.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    """Periods get an opaque id for their URLs. Added empty and filled row by row, because one
    default would give every existing period the same id; made unique in the next migration
    (PostgreSQL refuses to alter a table with pending updates in the same transaction)."""

    dependencies = [("pillars", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="period",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_period_a_public_id, migrations.RunPython.noop),
    ]
