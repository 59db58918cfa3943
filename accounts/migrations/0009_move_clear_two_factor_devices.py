"""Move the two-factor devices django-otp kept in clear into the encrypted ones (issue 13 point
7): each authenticator secret is written encrypted with the field keys, each unused backup code
as a salted hash, and the clear rows are deleted.

The sessions of the day name the old devices, so everyone types a code again after the upgrade.
Going back cannot bring the backup codes back (only their hashes are kept): the reverse step
leaves the clear tables empty, and users whose devices were dropped set up two-factor login
again at their next login."""

from django.db import migrations

from accounts.models import hash_backup_code

# The device fields both models share; ``key`` is the secret.
AUTHENTICATOR_FIELDS = (
    "user_id", "name", "confirmed", "key", "step", "t0", "digits", "tolerance", "drift",
    "last_t", "throttling_failure_timestamp", "throttling_failure_count", "last_used_at",
)  # fmt: skip
BACKUP_DEVICE_FIELDS = (
    "user_id", "name", "confirmed", "throttling_failure_timestamp", "throttling_failure_count",
    "last_used_at",
)  # fmt: skip


def move_clear_devices(apps, schema_editor) -> None:
    move_authenticators(apps)
    move_backup_codes(apps)


def move_authenticators(apps) -> None:
    clear_model = apps.get_model("otp_totp", "TOTPDevice")
    encrypted_model = apps.get_model("accounts", "AuthenticatorDevice")
    for clear in clear_model.objects.order_by("pk"):
        moved = encrypted_model.objects.create(
            **{field: getattr(clear, field) for field in AUTHENTICATOR_FIELDS}
        )
        # created_at is set on creation (auto_now_add): keep the date the user set it up.
        encrypted_model.objects.filter(pk=moved.pk).update(created_at=clear.created_at)
        clear.delete()


def move_backup_codes(apps) -> None:
    clear_model = apps.get_model("otp_static", "StaticDevice")
    encrypted_model = apps.get_model("accounts", "BackupCodeDevice")
    code_model = apps.get_model("accounts", "BackupCode")
    for clear in clear_model.objects.order_by("pk"):
        moved = encrypted_model.objects.create(
            **{field: getattr(clear, field) for field in BACKUP_DEVICE_FIELDS}
        )
        encrypted_model.objects.filter(pk=moved.pk).update(created_at=clear.created_at)
        code_model.objects.bulk_create(
            code_model(device=moved, code_hash=hash_backup_code(token))
            for token in clear.token_set.values_list("token", flat=True)
        )
        clear.delete()  # its tokens go with it (on_delete=CASCADE)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_two_factor_devices_encrypted"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(move_clear_devices, migrations.RunPython.noop)]
