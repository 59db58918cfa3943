from django.core.management.base import BaseCommand

from cases.models import Referral
from nextsteps.scoping import scopes_disabled
from notifications.services import notify_overdue_referrals


class Command(BaseCommand):
    help = (
        "Tell both sides' caseworkers, once, of each referral past the date it needed an answer "
        "by. Run it daily (cron or a scheduled job)."
    )

    def handle(self, *args, **options):
        # A job of the whole partnership, outside any member's request.
        with scopes_disabled():
            made = notify_overdue_referrals(
                Referral.objects.filter(beneficiary__erased_at__isnull=True)
            )
        self.stdout.write(f"{made} notifications of overdue referrals.")
