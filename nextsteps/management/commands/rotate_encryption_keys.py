from itertools import islice

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from documents.services import reencrypt_documents
from nextsteps.fields import encrypted_fields
from nextsteps.scoping import scopes_disabled

BATCH_SIZE = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value and document with the newest key in "
        "FIELD_ENCRYPTION_KEYS. "
        "Run it after putting a new key first; afterwards the old keys can be removed."
    )

    def handle(self, *args, **options):
        with scopes_disabled():
            for model in apps.get_models():
                fields = encrypted_fields(model)
                if fields:
                    count = self._rotate(model, [field.name for field in fields])
                    self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
            files = reencrypt_documents()
            self.stdout.write(f"documents: {files} files re-encrypted")

    @staticmethod
    def _rotate(model, field_names):
        # Loading decrypts with whichever key matches; saving encrypts with the newest. The rows
        # are locked as they are read: an edit made meanwhile waits for the rotation and then
        # lands, instead of being overwritten by the rotation's older copy.
        manager = model._base_manager
        count = 0
        with transaction.atomic():
            rows = (
                manager.select_for_update()
                .only("pk", *field_names)
                .order_by("pk")
                .iterator(chunk_size=BATCH_SIZE)
            )
            while batch := list(islice(rows, BATCH_SIZE)):
                rewrite_batch(manager, batch, field_names)
                count += len(batch)
        return count


def rewrite_batch(manager, batch, field_names) -> None:
    """Write ``batch`` back, each value encrypted with the newest key. A value no key decrypts
    is written back as it was (nextsteps.fields.UnreadableValue)."""
    manager.bulk_update(batch, field_names)
