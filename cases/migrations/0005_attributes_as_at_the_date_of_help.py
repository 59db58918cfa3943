"""Store on each row of help (assistance, outcome, referral) the person's category and location,
and on each person her category and location at intake, so that the reports read them as they
were on the date and an edit of the person today never moves a past figure.

Existing rows take the person's attributes as they are when this migration runs: the only
history there is. An outcome is credited to the sub-project of the person's latest help before it.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from cases.enums import Category



def _of_person(Beneficiary, field):
    return Subquery(Beneficiary.objects.filter(pk=OuterRef("beneficiary")).values(field)[:1])


def fill(apps, schema_editor):
    Beneficiary = apps.get_model("cases", "Beneficiary")
    Assistance = apps.get_model("cases", "Assistance")
    Outcome = apps.get_model("cases", "Outcome")
    Referral = apps.get_model("cases", "Referral")
    Beneficiary.objects.update(
        category_at_intake=models.F("category"), location_at_intake=models.F("location")
    )
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


def _location(null, verbose_name, editable=False):
    return models.ForeignKey(
        null=null,
        editable=editable,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="pillars.location",
        verbose_name=verbose_name,
    )


def _category(verbose_name, **extra):
    return models.CharField(
        choices=Category.choices, editable=False, max_length=32, verbose_name=verbose_name, **extra
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_erasure_notices"),
        ("pillars", "0004_safety_net_ends_after_it_starts_and_constraint_messages"),
    ]

    operations = [
        migrations.AddField("assistance", "category", _category("category", default="")),
        migrations.AddField("assistance", "location", _location(True, "location")),
        migrations.AddField(
            "beneficiary", "category_at_intake", _category("category at intake", default="")
        ),
        migrations.AddField(
            "beneficiary", "location_at_intake", _location(True, "location at intake")
        ),
        migrations.AddField("outcome", "category", _category("category", default="")),
        migrations.AddField("outcome", "location", _location(True, "location")),
        migrations.AddField(
            "outcome",
            "sub_project",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="pillars.subproject",
                verbose_name="sub-project",
            ),
        ),
        migrations.AddField("referral", "location", _location(True, "location when referred")),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("assistance", "category", _category("category")),
        migrations.AlterField("assistance", "location", _location(False, "location")),
        migrations.AlterField(
            "beneficiary", "category_at_intake", _category("category at intake")
        ),
        migrations.AlterField(
            "beneficiary", "location_at_intake", _location(False, "location at intake")
        ),
        migrations.AlterField("outcome", "category", _category("category")),
        migrations.AlterField("outcome", "location", _location(False, "location")),
        migrations.AlterField(
            "referral", "location", _location(False, "location when referred")
        ),
    ]
