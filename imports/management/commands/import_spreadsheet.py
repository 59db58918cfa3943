import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from imports.reading import read_upload
from imports.services import import_workbook
from imports.sheets import template_workbook
from nextsteps.scoping import scopes_disabled


class Command(BaseCommand):
    help = (
        "Import an organisation's old spreadsheet (XLSX with the template's sheets, or a CSV "
        "file of one sheet): `import_spreadsheet PATH --organisation SLUG [--dry-run]`. All or "
        "nothing: a file with a bad row imports nothing and every bad row is listed. "
        "`import_spreadsheet --template PATH` writes the empty template."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="the XLSX or CSV file to import")
        parser.add_argument("--organisation", help="slug of the organisation the rows belong to")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--template", metavar="PATH", help="write the empty template here")

    def handle(self, *args, path=None, organisation=None, dry_run=False, template=None, **_):
        if template:
            Path(template).write_bytes(template_workbook())
            self.stdout.write(f"Template written to {template}")
            return
        if not path or not organisation:
            raise CommandError("Give the file and --organisation SLUG (or --template PATH).")
        # A command has no user and so no organisation scope; every query names the organisation.
        with scopes_disabled():
            importing_into = Organisation.objects.filter(slug=organisation).first()
            if importing_into is None:
                raise CommandError(f"No organisation {organisation!r}.")
            try:
                content = Path(path).read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
            workbook = read_upload(content, path)
            result = import_workbook(
                workbook,
                organisation=importing_into,
                by=None,
                dry_run=dry_run,
                progress=self._show_progress,
            )
        sys.stderr.write("\n")
        self._report(result)

    def _show_progress(self, sheet, done, total):
        width = 30
        filled = width * done // total if total else width
        sys.stderr.write(f"\r{sheet:<11} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def _report(self, result):
        for sheet, counts in result.counts.items():
            self.stdout.write(
                f"{sheet}: {counts.created} new, {counts.changed} changed, "
                f"{counts.unchanged} already imported"
            )
        for problem in result.problems:
            self.stdout.write(
                f"  sheet {problem.sheet or '-'}, row {problem.row or '-'}, "
                f"column {problem.column or '-'}: {problem.reason}"
            )
        if result.problems:
            raise CommandError(f"{len(result.problems)} problems: nothing was imported.")
        self.stdout.write("Dry run: nothing was written." if result.dry_run else "Imported.")
