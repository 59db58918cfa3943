from django.core.management.base import BaseCommand
from django.db import transaction

from cases.identity_index import rebuild_blind_index
from cases.models import Beneficiary
from nextsteps.scoping import scopes_disabled

BATCH_SIZE = 500


class Command(BaseCommand):
    help = (
        "Compute every person's identity digests again with the current BLIND_INDEX_KEY. Run it "
        "after changing that key (until it has run, duplicates and identity searches find only "
        "records saved since). Rotating FIELD_ENCRYPTION_KEYS does not need it."
    )

    def handle(self, *args, **options):
        count = 0
        with scopes_disabled():
            ids = list(
                Beneficiary._base_manager.filter(erased_at__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for start in range(0, len(ids), BATCH_SIZE):
                batch = ids[start : start + BATCH_SIZE]
                # Locked while their digests are rewritten: an edit made meanwhile waits, then
                # writes the digests of what it saved.
                with transaction.atomic():
                    people = (
                        Beneficiary._base_manager.select_for_update(of=("self",))
                        .filter(pk__in=batch, erased_at__isnull=True)
                        .select_related("organisation")
                        .order_by("pk")
                    )
                    count += rebuild_blind_index(people)
        self.stdout.write(f"{count} records indexed")
