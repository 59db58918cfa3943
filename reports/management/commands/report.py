from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from accounts.enums import AuditAction
from accounts.services import record_audit
from nextsteps.scoping import scopes_disabled
from pillars.budget import financial_table
from pillars.enums import PeriodKind
from pillars.models import Period, Programme
from reports import exports
from reports.tables import indicator_table

TABLES = ("indicators", "financial")
BINARY_FORMATS = {"xlsx", "docx"}


class Command(BaseCommand):
    help = (
        "Print a report table as the partnership's reports print it. "
        "`report indicators --period 2022 --format csv` writes the target-vs-result table to "
        "stdout with the download's columns (pillar,indicator_code,indicator,subrow,period,target,"
        "result,percent_of_target,remark,origin, and restatement when a figure of the table was "
        "restated); `report financial` the financial report "
        "(line,budget,<years>,total,difference). --format excel-csv writes the CSV as the Excel "
        "of --language reads it (; and decimal comma for ro and nl). --format xlsx|docx needs "
        "--output FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("table", help="indicators or financial")
        parser.add_argument("--period", help="a period's label, e.g. 2022 or 2021-2023")
        parser.add_argument("--pillar", type=int, help="one pillar only, by number")
        parser.add_argument(
            "--format", dest="file_format", default="csv", help="csv, excel-csv, xlsx or docx"
        )
        parser.add_argument(
            "--language", default="en", help="the language of the Excel that opens excel-csv"
        )
        parser.add_argument("--output", help="write to this file instead of stdout")

    def handle(self, table, *, period=None, pillar=None, file_format="csv", output=None, **options):
        if table not in TABLES:
            raise CommandError(f"Unknown table {table!r}: use indicators or financial.")
        if file_format not in exports.FORMATS:
            raise CommandError(f"Unknown format {file_format!r}: use {', '.join(exports.FORMATS)}.")
        if file_format in BINARY_FORMATS and not output:
            raise CommandError(f"--format {file_format} writes a file: add --output FILE.")
        # A command has no user and no request, so no organisation scope: it is run by admins
        # and scripts with access to the server (and so to the whole database), and it prints
        # partnership-wide aggregates that hold no person's code or alias.
        with scopes_disabled():
            content, record = self._render(
                table, period, pillar, file_format, options.get("language") or "en"
            )
            with transaction.atomic():
                record_audit(
                    AuditAction.EXPORT,
                    record,
                    by=None,
                    detail=f"command line: {table} {period or ''} {file_format}",
                )
        self._write(content, output)

    def _render(self, table, label, pillar, file_format, language):
        # The same files as the downloads, in the language of the report the layout reproduces.
        if table == "indicators":
            period = self._period(label)
            with translation.override(period.layout.language):
                printed = indicator_table(period, pillar=pillar)
                content = exports.indicator_table_file(
                    printed, file_format, reader_language=language
                )
            return content, period
        programme = self._period(label).programme if label else self._latest_programme()
        with translation.override(self._printed_language(programme)):
            financial = financial_table(programme)
            content = exports.financial_file(financial, file_format, reader_language=language)
        return content, None

    def _printed_language(self, programme):
        whole = (
            Period.objects.filter(programme=programme, kind=PeriodKind.PROGRAMME)
            .select_related("layout")
            .first()
        )
        return whole.layout.language if whole else "en"

    def _period(self, label):
        if not label:
            raise CommandError("Name the period: --period 2022 (or 2021-2023).")
        period = (
            Period.objects.filter(label=label)
            .select_related("programme", "layout")
            .order_by("-programme__end_date")
            .first()
        )
        if period is None:
            known = ", ".join(Period.objects.order_by("start_date").values_list("label", flat=True))
            raise CommandError(f"Unknown period {label!r}; known periods: {known or 'none'}.")
        return period

    def _latest_programme(self):
        programme = Programme.objects.order_by("-end_date").first()
        if programme is None:
            raise CommandError("There is no programme yet.")
        return programme

    def _write(self, content, output):
        if output:
            path = Path(output)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            self.stderr.write(f"Wrote {path}")
            return
        self.stdout.write(content, ending="")
