import uuid

from django.db import migrations, models


def give_each_user_a_public_id(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(public_id__isnull=True).only("pk"):
        User.objects.filter(pk=user.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    """Users get an opaque id for URLs and the audit log. Added nullable, filled one by one
    (a column default would give every existing user the same value), then made unique."""

    dependencies = [
        ("accounts", "0002_audit_log_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_user_a_public_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
