"""Store on each participation in an activity what the figures filter on: the person's category
(as it is when this migration runs, the only history there is) and the activity's organisation,
location and sub-project."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from cases.enums import Category


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


def _link(to, null, **extra):
    return models.ForeignKey(
        null=null, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=to, **extra
    )


def _category(**extra):
    return models.CharField(
        choices=Category.choices,
        editable=False,
        max_length=32,
        verbose_name="category",
        **extra,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_audit_log_append_only"),
        ("cases", "0005_attributes_as_at_the_date_of_help"),
        ("pillars", "0004_safety_net_ends_after_it_starts_and_constraint_messages"),
    ]

    operations = [
        migrations.AddField("activityparticipation", "category", _category(default="")),
        migrations.AddField(
            "activityparticipation",
            "organisation",
            _link("accounts.organisation", True, editable=False),
        ),
        migrations.AddField("activityparticipation", "location", _link("pillars.location", True)),
        migrations.AddField(
            "activityparticipation", "sub_project", _link("pillars.subproject", True)
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("activityparticipation", "category", _category()),
        migrations.AlterField(
            "activityparticipation",
            "organisation",
            _link("accounts.organisation", False, editable=False),
        ),
        migrations.AlterField(
            "activityparticipation", "location", _link("pillars.location", False)
        ),
        migrations.AlterField(
            "activityparticipation", "sub_project", _link("pillars.subproject", False)
        ),
    ]
