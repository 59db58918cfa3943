import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pillars", "0002_period_public_id")]

    operations = [
        migrations.AlterField(
            model_name="period",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
