import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.generator import NetworkGenerator, NetworkSize, RealDataPresent
from demo import plan as demo_plan
from demo import programme as demo_programme
from nextsteps.scoping import scopes_disabled
from pillars.models import Programme


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with a synthetic partnership at the size asked for (people, "
        "organisations sized unevenly, assistance, consent, referrals, outcomes, activities, "
        "audit log) on the demo's programme plan, for the benchmark and the load test. Refuses a "
        "database that already holds people's records. Logins: caseworker@network-01."
        "network.example etc., password from DEMO_PASSWORD or printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True)
        parser.add_argument("--organisations", type=int, default=40)
        parser.add_argument("--activities", type=int, help="default: 50,000 per 200,000 people")
        parser.add_argument("--audit-rows", type=int, help="default: 2M per 200,000 people")
        parser.add_argument("--assistance-per-person", type=float, default=10.0)
        parser.add_argument("--seed", type=int, default=14)
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on real data)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to generate data with DEBUG off; add --force if you mean it."
            )
        if options["people"] < 1 or options["organisations"] < 2:
            raise CommandError("Give at least one person and two organisations.")
        size = NetworkSize.scaled(options["people"], options["organisations"])
        size = NetworkSize(
            people=size.people,
            organisations=size.organisations,
            assistance_per_person=options["assistance_per_person"],
            activities=options["activities"] or size.activities,
            audit_rows=options["audit_rows"]
            if options["audit_rows"] is not None
            else size.audit_rows,
        )
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        generator = NetworkGenerator(size, password=password, seed=options["seed"])
        with scopes_disabled():
            try:
                # The demo's plan file: programme, pillars, locations, services, indicators,
                # layouts, periods and targets, as a partnership going live loads its own.
                demo_programme.load_plan_files(demo_plan.PLAN_FILE)
                programme = Programme.objects.get(name="Next Steps")
                written = generator.generate(
                    programme,
                    load_plan=lambda programme, entered_by: demo_programme.enter_manual_results(
                        programme, by=entered_by
                    ),
                    progress=self.stdout.write,
                )
            except RealDataPresent as error:
                raise CommandError(str(error)) from error
        for label, count in sorted(written.counts.items()):
            self.stdout.write(f"  {label:<32} {count:>10,}")
        self.stdout.write(f"Password of every synthetic login: {password}")
