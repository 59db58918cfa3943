import uuid

from django.db import migrations


def fill(apps, schema_editor):
    """Each outcome gets its opaque identifier (for the correction pages); each case already
    closed gets a closing date: the day its record last changed, which is when it was closed
    (retention counted from that day until now)."""
    Outcome = apps.get_model("cases", "Outcome")
    for outcome in Outcome.objects.filter(public_id__isnull=True).only("pk").iterator():
        Outcome.objects.filter(pk=outcome.pk).update(public_id=uuid.uuid4())
    Beneficiary = apps.get_model("cases", "Beneficiary")
    closed = Beneficiary.objects.filter(
        status__in=["closed", "reintegrated"], closed_on__isnull=True
    ).only("pk", "status", "updated_at")
    for person in closed.iterator():
        Beneficiary.objects.filter(pk=person.pk).update(
            closed_on=person.updated_at.date(),
            closure_reason="reintegrated" if person.status == "reintegrated" else "other",
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_corrections_voids_and_closure")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
