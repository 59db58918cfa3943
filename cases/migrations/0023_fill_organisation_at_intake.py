"""Until now a person's case never left the organisation that took her in."""

from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    Beneficiary = apps.get_model("cases", "Beneficiary")
    Beneficiary.objects.update(organisation_at_intake=F("organisation"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0022_organisation_at_intake")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
