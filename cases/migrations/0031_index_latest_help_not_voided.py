# A person's latest help read from the index alone: the index leaves voided help out, as every
# query reading it does (cases.models.Assistance).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0030_index_caseload_by_category_and_location"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="assistance",
            name="assistance_person_latest",
        ),
        migrations.AddIndex(
            model_name="assistance",
            index=models.Index(
                condition=models.Q(("voided_at__isnull", True)),
                fields=["beneficiary", "-date"],
                name="assistance_person_latest",
            ),
        ),
    ]
