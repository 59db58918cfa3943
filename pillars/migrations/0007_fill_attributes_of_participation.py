"""Store on each participation in an activity what the figures filter on: the person's category
(as it is when this migration runs, the only history there is) and the activity's organisation,
location and sub-project."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Participation = apps.get_model("pillars", "ActivityParticipation")
    Beneficiary = apps.get_model("cases", "Beneficiary")
    Activity = apps.get_model("pillars", "Activity")

    def activity(field):
        return Subquery(Activity.objects.filter(pk=OuterRef("activity")).values(field)[:1])

    Participation.objects.update(
        category=Subquery(
            Beneficiary.objects.filter(pk=OuterRef("beneficiary")).values("category")[:1]
        ),
        organisation=activity("organisation"),
        location=activity("location"),
        sub_project=activity("sub_project"),
    )


class Migration(migrations.Migration):
    dependencies = [("pillars", "0006_attributes_of_participation_stored_on_the_row")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
