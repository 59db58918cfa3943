"""Store on each row of help (assistance, outcome, referral) the person's category and location,
and on each person her category and location at intake, so that the reports read them as they
were on the date and an edit of the person today never moves a past figure.

Existing rows take the person's attributes as they are when this migration runs: the only
history there is. An outcome is credited to the sub-project of the person's latest help before it.
"""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def _of_person(Beneficiary, field):
    return Subquery(Beneficiary.objects.filter(pk=OuterRef("beneficiary")).values(field)[:1])


def fill(apps, schema_editor):
    Beneficiary = apps.get_model("cases", "Beneficiary")
    Assistance = apps.get_model("cases", "Assistance")
    Outcome = apps.get_model("cases", "Outcome")
    Referral = apps.get_model("cases", "Referral")
    Beneficiary.objects.update(category_at_intake=F("category"), location_at_intake=F("location"))
    for model in (Assistance, Outcome):
        model.objects.update(
            category=_of_person(Beneficiary, "category"),
            location=_of_person(Beneficiary, "location"),
        )
    Referral.objects.update(location=_of_person(Beneficiary, "location"))
    latest_help = (
        Assistance.objects.filter(beneficiary=OuterRef("beneficiary"), date__lte=OuterRef("date"))
        .order_by("-date", "-id")
        .values("sub_project")[:1]
    )
    Outcome.objects.update(sub_project=Subquery(latest_help))


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_attributes_as_at_the_date_of_help")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
