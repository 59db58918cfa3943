import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0023_fill_organisation_at_intake")]

    operations = [
        migrations.AlterField(
            model_name="beneficiary",
            name="organisation_at_intake",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="organisation at intake",
            ),
        ),
    ]
