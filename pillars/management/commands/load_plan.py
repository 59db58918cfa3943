from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from nextsteps.scoping import scopes_disabled
from pillars.plan_file import PlanFileError, read_plan
from pillars.plan_loading import load_plan


class Command(BaseCommand):
    help = (
        "Load a programme plan file (see plans/README.md): organisations, programme, periods, "
        "pillars, sub-projects, locations, service types, indicators, the printed layouts with "
        "their targets and remarks, and the budget. Idempotent: a second run changes nothing. "
        "A file with a problem is refused whole, with the line of each problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The plan file, e.g. plans/next-steps-2021-2023.yaml")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what would change."
        )

    def handle(self, *args, path, dry_run=False, **options):
        try:
            plan = read_plan(path)
            with scopes_disabled(), transaction.atomic():
                changes = load_plan(plan, source=path)
                if dry_run:
                    transaction.set_rollback(True)
        except PlanFileError as error:
            raise CommandError(
                "The plan file is refused; nothing was written.\n" + "\n".join(error.problems)
            ) from None
        verb = "Would change" if dry_run else "Loaded"
        self.stdout.write(f"{verb} {path}: {changes.summary()}.")
