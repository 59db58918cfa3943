import random
import time
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from openpyxl import Workbook

from accounts.models import Organisation
from cases.models import ServiceType
from imports.reading import read_upload
from imports.services import import_workbook
from imports.sheets import ASSISTANCE, HEADERS, PEOPLE
from nextsteps.scoping import scopes_disabled
from pillars.models import Location, SubProject

PLAN_FILE = Path(__file__).resolve().parents[3] / "plans" / "next-steps-2021-2023.yaml"


class Command(BaseCommand):
    help = (
        "The import benchmark (issue 9): a made-up workbook of 10,000 people and 100,000 "
        "pieces of assistance imported into one organisation, timed: writing the file, reading "
        "it, a dry run, the import, and a second import that must add nothing. Run it on an "
        "empty PostgreSQL database (`make bench-import`); it loads the plan file first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--assistance", type=int, default=100_000)
        parser.add_argument("--organisation", default="betania")

    def handle(self, *args, people, assistance, organisation, **options):
        with scopes_disabled():
            call_command("load_plan", str(PLAN_FILE), stdout=open("/dev/null", "w"))  # noqa: SIM115
            importing_into = Organisation.objects.get(slug=organisation)
            if importing_into.beneficiaries.exists():
                raise CommandError(f"{organisation} has people already: use an empty database.")
            with TemporaryDirectory() as folder:
                path = Path(folder) / "old.xlsx"
                self._timed("write the workbook", lambda: _write(path, people, assistance))
                content = path.read_bytes()
                self.stdout.write(f"  {len(content) / 1e6:.1f} MB")
                workbook = self._timed("read it", lambda: read_upload(content, path.name))
                for label, dry_run in [
                    ("dry run", True),
                    ("import", False),
                    ("import again", False),
                ]:
                    result = self._timed(
                        label,
                        lambda dry_run=dry_run: import_workbook(
                            workbook, organisation=importing_into, by=None, dry_run=dry_run
                        ),
                    )
                    counts = ", ".join(
                        f"{sheet} {c.created} new {c.unchanged} already"
                        for sheet, c in result.counts.items()
                        if c.created or c.unchanged
                    )
                    self.stdout.write(f"  {counts}; {len(result.problems)} problems")
        self.stdout.write(f"database: {connection.vendor}")

    def _timed(self, label, work):
        started = time.perf_counter()
        result = work()
        self.stdout.write(f"{label}: {time.perf_counter() - started:.1f} s")
        return result


def _write(path: Path, people: int, assistance: int) -> None:
    """A partner's old spreadsheet, made up: people over 2021-2023 and their help after intake."""
    chooser = random.Random(9)  # noqa: S311  (made-up rows, the same on every run)
    locations = list(Location.objects.values_list("code", flat=True))
    sub_projects = list(SubProject.objects.values_list("code", flat=True))
    services = list(ServiceType.objects.values_list("code", flat=True))
    start = date(2021, 8, 1)
    book = Workbook(write_only=True)
    people_sheet = book.create_sheet(PEOPLE)
    people_sheet.append(HEADERS[PEOPLE])
    intakes = []
    for number in range(1, people + 1):
        intake = start + timedelta(days=chooser.randrange(0, 800))
        intakes.append(intake)
        people_sheet.append(
            [
                f"OLD-{number:06d}",
                f"Person {number}",
                chooser.choice(["victim_of_trafficking", "exiting_prostitution", "refugee"]),
                chooser.choice(["female", "male"]),
                chooser.randrange(1960, 2008),
                chooser.choice(["RO", "UA", "MD"]),
                chooser.choice(locations),
                intake.strftime("%d.%m.%Y"),
                chooser.choice(["outreach", "police", "hotline"]),
                "active",
            ]
        )
    assistance_sheet = book.create_sheet(ASSISTANCE)
    assistance_sheet.append(HEADERS[ASSISTANCE])
    for _ in range(assistance):
        number = chooser.randrange(1, people + 1)
        on = intakes[number - 1] + timedelta(days=chooser.randrange(0, 60))
        assistance_sheet.append(
            [
                f"OLD-{number:06d}",
                chooser.choice(services),
                on.isoformat(),
                chooser.randrange(1, 15),
                chooser.choice(sub_projects),
                "",
            ]
        )
    book.save(path)
