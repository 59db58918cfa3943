import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo as accounts_demo
from nextsteps.scoping import scopes_disabled


class Command(BaseCommand):
    help = (
        "Load the fictional Next Steps demo: the partnership's organisations and one login per "
        "role (password from DEMO_PASSWORD, or a random one that is printed). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on real data)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off; add --force if you mean it."
            )
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        with transaction.atomic(), scopes_disabled():
            organisations = accounts_demo.load_organisations()
            logins = accounts_demo.load_logins(organisations, password)
        self._print_logins(logins, password)

    def _print_logins(self, logins, password):
        self.stdout.write("Demo logins (all with the same password):")
        self.stdout.write(f"  {'e-mail':<36} {'role':<26} organisation")
        for login in logins:
            organisation = login.organisation.name if login.organisation else "(partnership)"
            self.stdout.write(f"  {login.email:<36} {login.role.label:<26} {organisation}")
        self.stdout.write(f"Password: {password}")
