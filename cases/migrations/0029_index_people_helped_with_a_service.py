"""The people list filtered by service and dates (issue 14): a person's help tested on an index
alone, and the people helped with a service in a period read from an index alone (no visit to
the 2 million rows at national scale). Voided entries never count, so neither index holds them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0028_neutral_wording"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="assistance",
            name="assistance_person_service",
        ),
        migrations.AddIndex(
            model_name="assistance",
            index=models.Index(
                condition=models.Q(("voided_at__isnull", True)),
                fields=["beneficiary", "service_type", "date"],
                include=("sub_project",),
                name="assistance_person_service",
            ),
        ),
        migrations.AddIndex(
            model_name="assistance",
            index=models.Index(
                condition=models.Q(("voided_at__isnull", True)),
                fields=["service_type", "date"],
                include=("beneficiary", "sub_project"),
                name="assistance_service_people",
            ),
        ),
    ]
