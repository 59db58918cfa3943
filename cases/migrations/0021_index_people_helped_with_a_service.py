"""The people list filtered by service and dates (issue 14): the people helped with a service in
a period, read from the index alone (no visit to the 2 million rows at national scale)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_versions_of_the_plan"),
    ]

    operations = [
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
