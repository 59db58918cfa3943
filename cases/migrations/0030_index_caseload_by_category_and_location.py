"""The caseload dashboard (issue 14): open cases counted by category and location from an index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0029_index_people_helped_with_a_service"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="beneficiary",
            index=models.Index(
                fields=["status", "organisation", "category", "location"],
                name="beneficiary_caseload",
            ),
        ),
    ]
