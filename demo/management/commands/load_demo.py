import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from demo import caseload as cases_demo
from demo import organisations as accounts_demo
from demo import plan as demo_plan
from demo import programme as pillars_demo
from demo.label_translations import translate_labels
from nextsteps.scoping import scopes_disabled
from pillars.models import Programme


class Command(BaseCommand):
    help = (
        "Load the fictional Next Steps demo: the partnership's organisations, one login per role "
        "(password from DEMO_PASSWORD, or a random one that is printed), the programme plan, a "
        "caseload, activities and expenses from which the 2022 and 2021-2023 reports compute. "
        "Idempotent: records are created once, logins and the plan are brought up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on real data)."
        )
        parser.add_argument(
            "--password-file",
            help=(
                "Keep the demo password in this file: the first run writes the password it "
                "makes up, later runs read it back, so the logins stay put (DEMO_PASSWORD wins)."
            ),
        )

    def handle(self, *args, force=False, password_file=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off; add --force if you mean it."
            )
        password = os.environ.get("DEMO_PASSWORD") or self._kept_password(password_file)
        with transaction.atomic(), scopes_disabled():
            pillars_demo.load_plan_files(demo_plan.PLAN_FILE, demo_plan.FOLLOW_ON_PLAN_FILE)
            organisations = accounts_demo.load_organisations()
            logins = accounts_demo.load_logins(organisations, password)
            self._load_programme(organisations)
            translate_labels()
        self._print_logins(logins, password)

    def _kept_password(self, password_file):
        """The password written to ``password_file`` by an earlier run, or a new one (written
        there, readable by the owner only)."""
        if not password_file:
            return secrets.token_urlsafe(12)
        path = Path(password_file)
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        password = secrets.token_urlsafe(12)
        path.touch(mode=0o600)
        path.write_text(password + "\n")
        self.stdout.write(f"The demo password is kept in {path}; delete the file for a new one.")
        return password

    def _load_programme(self, organisations):
        programme = Programme.objects.get(name="Next Steps")
        programme_coordinator = User.objects.get(email=accounts_demo.demo_email("programme"))
        pillars_demo.enter_manual_results(programme, by=programme_coordinator)
        if cases_demo.caseload_exists():
            self.stdout.write(
                "Demo caseload, activities and expenses already loaded; kept as they are."
            )
            return
        caseload = cases_demo.load_caseload(organisations)
        pillars_demo.load_activities(programme, organisations, caseload)
        pillars_demo.load_expenses(programme, organisations)
        self.stdout.write("Demo caseload, activities and expenses loaded.")

    def _print_logins(self, logins, password):
        self.stdout.write("Demo logins (all with the same password):")
        self.stdout.write(f"  {'e-mail':<36} {'role':<26} organisation")
        for login in logins:
            organisation = login.organisation.name if login.organisation else "(partnership)"
            self.stdout.write(f"  {login.email:<36} {login.role.label:<26} {organisation}")
        self.stdout.write(f"Password: {password}")
