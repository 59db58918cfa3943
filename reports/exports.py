"""Exports of the report tables in the printed layout: XLSX (openpyxl), DOCX (python-docx, a table
to paste into the annual report) and CSV. They read the same IndicatorTable and FinancialTable
as the pages, so an export cannot disagree with the screen. They hold aggregates only: labels,
figures and remarks, never a person's code or alias.

Any text cell a spreadsheet could read as a formula is escaped with a leading apostrophe (the
OWASP advice against CSV injection), in XLSX and CSV alike.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Emu, Pt
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from nextsteps.office_files import (
    DOCX_CONTENT_TYPE,
    HEADING_FILL,
    XLSX_CONTENT_TYPE,
    document_bytes,
    docx_table,
    new_document,
    set_column_widths,
    set_font_size,
    shade,
    sheet_header,
    workbook_bytes,
    write_cell,
)
from nextsteps.spreadsheets import escape_formula, xml_safe
from pillars.budget import LINE, TOTAL, FinancialRow, FinancialTable
from pillars.computations import ReportFilters
from pillars.results import Figure, Origin
from reports.tables import IndicatorTable, TableRow, TableSection

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class ExportFormat:
    code: str
    extension: str
    label: object
    content_type: str


EXPORT_FORMATS = [
    ExportFormat("xlsx", "xlsx", "XLSX", XLSX_CONTENT_TYPE),
    ExportFormat("docx", "docx", "DOCX", DOCX_CONTENT_TYPE),
    ExportFormat("csv", "csv", "CSV", CSV_CONTENT_TYPE),
    ExportFormat("excel-csv", "csv", gettext_lazy("CSV for Excel"), CSV_CONTENT_TYPE),
]
FORMATS = tuple(export_format.code for export_format in EXPORT_FORMATS)
FORMAT_BY_CODE = {export_format.code: export_format for export_format in EXPORT_FORMATS}


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal_sign: str


# Comma-separated with a decimal point: what scripts and English Excel read.
PLAIN_CSV = CsvDialect(",", ".")
# Romanian and Dutch Excel open a CSV with their list separator (;) and decimal comma.
SEMICOLON_CSV = CsvDialect(";", ",")
SEMICOLON_LANGUAGES = {"ro", "nl"}


def excel_dialect(language: str) -> CsvDialect:
    return SEMICOLON_CSV if language in SEMICOLON_LANGUAGES else PLAIN_CSV


# The CSV of the download and of `manage.py report`: the printed columns and what a script
# needs to join and check the figures.
CSV_COLUMNS = [
    "pillar",
    "indicator_code",
    "indicator",
    "subrow",
    "period",
    "target",
    "result",
    "percent_of_target",
    "remark",
    "origin",
]

WHOLE_NUMBER = "#,##0"
MONEY = "#,##0;[Red]-#,##0"
# A spreadsheet's line of text is about this many points high (11-point type).
LINE_HEIGHT = 15
CENT = Decimal("0.01")


def csv_amount(value: int | float | Decimal | str | None, dialect: CsvDialect = PLAIN_CSV) -> str:
    """A number for CSV: whole numbers without decimals, others with two (20873.41, never
    20873.4100000000), in the dialect's decimal sign; no thousands separator."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value  # a suppressed count, "<5"
    amount = Decimal(value)
    text = (
        str(int(amount))
        if amount == amount.to_integral_value()
        else str(amount.quantize(CENT, ROUND_HALF_UP))
    )
    return text.replace(".", dialect.decimal_sign)


def _csv_writer(output, dialect, **options):
    # The byte-order mark tells Excel the file is UTF-8 (Romanian and Dutch letters survive).
    output.write("\ufeff")
    return csv.writer(output, delimiter=dialect.delimiter, lineterminator="\r\n", **options)


ORIGIN_LABELS = {
    Origin.MANUAL: gettext_lazy("entered by hand"),
    Origin.OVERRIDE: gettext_lazy("overridden"),
    Origin.FROZEN: gettext_lazy("frozen when the period was locked"),
}


def origin_note(row: TableRow, *, restatement_apart: bool = False) -> str:
    """Why a figure is not simply computed from the records, for a comment or a footnote.
    ``restatement_apart``: the file has a restatement column, which says it instead."""
    figure = row.figure
    if figure is None or figure.origin in (None, Origin.COMPUTED):
        return ""
    note = str(ORIGIN_LABELS[figure.origin])
    if figure.entry is not None and figure.entry.reason:
        note += f": {figure.entry.reason}"
    if figure.origin == Origin.OVERRIDE and figure.computed is not None:
        note += " " + _("(the records compute %(value)s)") % {"value": figure.computed}
    if figure.is_restated:
        note = "" if restatement_apart else restatement_note(figure)
    if figure.needs_restatement:
        note += " " + _("(needs restatement: the records now compute %(value)s)") % {
            "value": figure.computed
        }
    return note.strip()


def has_restatements(table: IndicatorTable) -> bool:
    """Whether a figure of the table was restated: only then do its files have a restatement
    column, so that a table never restated is exported exactly as printed."""
    return any(row.figure is not None and row.figure.is_restated for row in table.rows)


def restatement_of(row: TableRow) -> str:
    """The row's restatement column: "published 37, restated 38 on <date> by the <role>:
    <reason>", or empty for a figure as first published."""
    figure = row.figure
    return restatement_note(figure) if figure is not None and figure.is_restated else ""


def restatement_note(figure: Figure) -> str:
    """ "published 37, restated 38 on 2026-11-30 by the programme coordinator: <reason>"."""
    restatement = figure.restatement
    membership = getattr(restatement.restated_by, "membership_or_none", None)
    return _(
        "published %(published)s, restated %(restated)s on %(date)s by the %(role)s: %(reason)s"
    ) % {
        "published": figure.first_published,
        "restated": figure.value,
        "date": restatement.restated_at.date().isoformat(),
        "role": membership.get_role_display().lower() if membership else _("coordinator"),
        "reason": restatement.reason,
    }


def filter_summary(filters: ReportFilters) -> str:
    parts = []
    if filters.organisation is not None:
        parts.append(_("Organisation: %(name)s") % {"name": filters.organisation})
    if filters.location is not None:
        parts.append(_("Location: %(name)s") % {"name": filters.location})
    if filters.sub_project is not None:
        parts.append(_("Sub-project: %(name)s") % {"name": filters.sub_project})
    return " · ".join(parts)


def pillar_heading(section: TableSection) -> str:
    return _("Pillar %(number)s. %(heading)s") % {
        "number": section.pillar,
        "heading": section.heading,
    }


# -- indicator table -----------------------------------------------------------------------------


def indicator_table_csv(table: IndicatorTable, *, dialect: CsvDialect = PLAIN_CSV) -> str:
    """The CSV columns (CSV_COLUMNS), and "restatement" after them when a figure of the table
    was restated."""
    output = io.StringIO()
    writer = _csv_writer(output, dialect)
    restated = has_restatements(table)
    writer.writerow(CSV_COLUMNS + (["restatement"] if restated else []))
    for row in table.rows:
        restatement = [escape_formula(restatement_of(row))] if restated else []
        writer.writerow(
            [
                row.pillar,
                row.indicator.code if row.indicator else "",
                escape_formula(row.label),
                escape_formula(row.subrow),
                escape_formula(table.period.label),
                csv_amount(row.target, dialect),
                csv_amount(row.result, dialect),
                csv_amount(row.percent, dialect),
                escape_formula(row.remark),
                row.origin or "",
                *restatement,
            ]
        )
    return output.getvalue()


# A4 portrait less 2 cm margins: 17 cm of text width, shared out as the screen's columns are.
TEXT_WIDTH = Cm(17)
INDICATOR_DOCX_WIDTHS = [Cm(4.2), Cm(1.7), Cm(1.7), Cm(1.6), Cm(1.7), Cm(6.1)]
# With a restatement column (only when a figure was restated), taken from the remarks and the
# label.
RESTATED_DOCX_WIDTHS = [Cm(3.6), Cm(1.5), Cm(1.5), Cm(1.4), Cm(1.6), Cm(3.9), Cm(3.5)]
# Tables in 9-point type, as the partnership's reports set them.
TABLE_TYPE_SIZE = Pt(9)

INDICATOR_HEADERS = (
    gettext_lazy("Indicator"),
    gettext_lazy("Target"),
    gettext_lazy("Result"),
    # xgettext:no-python-format
    gettext_lazy("% of target"),
    gettext_lazy("Remarks"),
)


def indicator_table_file(
    table: IndicatorTable, file_format: str, *, reader_language: str = "en"
) -> bytes | str:
    """The table in ``file_format``; a CSV for Excel in the dialect of the reader's Excel."""
    renderers = {
        "xlsx": indicator_table_xlsx,
        "docx": indicator_table_docx,
        "csv": indicator_table_csv,
        "excel-csv": partial(indicator_table_csv, dialect=excel_dialect(reader_language)),
    }
    return renderers[file_format](table)


def financial_file(
    financial: FinancialTable, file_format: str, *, reader_language: str = "en"
) -> bytes | str:
    renderers = {
        "xlsx": financial_xlsx,
        "docx": financial_docx,
        "csv": financial_csv,
        "excel-csv": partial(financial_csv, dialect=excel_dialect(reader_language)),
    }
    return renderers[file_format](financial)


def indicator_table_xlsx(table: IndicatorTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _safe_sheet_title(table.period.label)
    restated = has_restatements(table)
    headers = [*INDICATOR_HEADERS, *([_("Restatement")] if restated else [])]
    width = len(headers)
    first_row = _title_rows(sheet, table.title, filter_summary(table.filters), width)
    header_row = first_row
    sheet_header(sheet, header_row, headers)
    current = header_row
    for section in table.sections:
        current += 1
        write_cell(sheet, current, 1, pillar_heading(section))
        sheet.merge_cells(start_row=current, start_column=1, end_row=current, end_column=width)
        heading = sheet.cell(current, 1)
        heading.font = Font(bold=True)
        heading.fill = PatternFill("solid", fgColor=HEADING_FILL)
        heading.alignment = Alignment(wrap_text=True, vertical="top")
        for row in section.rows:
            current += 1
            _indicator_row(sheet, current, row, restated=restated)
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    _fit_columns(sheet, header_row, widest={1: 60, 5: 80, 6: 60})
    _fit_row_heights(sheet, header_row + 1)
    _page_setup(sheet, header_row)
    return workbook_bytes(workbook)


def _indicator_row(sheet, number, row, *, restated=False):
    label = write_cell(sheet, number, 1, row.printed_label)
    label.alignment = Alignment(wrap_text=True, vertical="top", indent=2 if row.subrow else 0)
    if row.is_header:
        label.font = Font(italic=True)
    for column, value, number_format in (
        (2, row.target, WHOLE_NUMBER),
        (3, row.result, WHOLE_NUMBER),
        (4, None if row.percent is None else row.percent / 100, "0%"),
    ):
        cell = sheet.cell(number, column, value)
        cell.number_format = number_format
        cell.alignment = Alignment(vertical="top")
    note = origin_note(row, restatement_apart=restated)
    if note:
        sheet.cell(number, 3).comment = Comment(xml_safe(note), "Next Steps")
    remark = write_cell(sheet, number, 5, row.remark)
    remark.alignment = Alignment(wrap_text=True, vertical="top")
    if restated:
        restatement = write_cell(sheet, number, 6, restatement_of(row))
        restatement.alignment = Alignment(wrap_text=True, vertical="top")


def indicator_table_docx(table: IndicatorTable) -> bytes:
    document = new_document()
    document.add_heading(table.title, level=1)
    summary = filter_summary(table.filters)
    if summary:
        document.add_paragraph(summary)
    # xgettext:no-python-format
    partnership_percent = _("% of the partnership’s target")  # noqa: RUF001
    percent_header = _("% of target") if table.filters.is_empty else partnership_percent
    headers = [_("Indicator"), _("Target"), _("Result"), percent_header, _("Status"), _("Remarks")]
    restated = has_restatements(table)
    if restated:
        headers.append(_("Restatement"))
    grid = docx_table(document, headers)
    notes = []
    for section in table.sections:
        cells = grid.add_row().cells
        merged = cells[0].merge(cells[-1])
        merged.text = xml_safe(pillar_heading(section))
        merged.paragraphs[0].runs[0].bold = True
        shade(merged, HEADING_FILL)
        for row in section.rows:
            cells = grid.add_row().cells
            note = origin_note(row, restatement_apart=restated)
            result = _number(row.result)
            if note:
                notes.append(note)
                result += "*" * len(notes)
            percent = "" if row.percent is None else f"{_number(row.percent)}\u00a0%"
            status = f"{row.status.symbol} {row.status.label}" if row.status else ""
            right = WD_ALIGN_PARAGRAPH.RIGHT
            texts = [row.printed_label, _number(row.target), result, percent, status, row.remark]
            aligns = [None, right, right, right, None, None]
            if restated:
                texts.append(restatement_of(row))
                aligns.append(None)
            for cell, text, align in zip(cells, texts, aligns, strict=True):
                cell.text = xml_safe(text)
                if align is not None:
                    cell.paragraphs[0].alignment = align
            if row.subrow:
                cells[0].paragraphs[0].paragraph_format.left_indent = Cm(0.6)
            if row.is_header:
                cells[0].paragraphs[0].runs[0].italic = True
    set_column_widths(grid, RESTATED_DOCX_WIDTHS if restated else INDICATOR_DOCX_WIDTHS)
    set_font_size(grid, TABLE_TYPE_SIZE)
    for index, note in enumerate(notes, start=1):
        document.add_paragraph(xml_safe(f"{'*' * index} {note}")).runs[0].font.size = Pt(8)
    return document_bytes(document)


# -- financial report ----------------------------------------------------------------------------


def financial_headers(financial: FinancialTable) -> list[str]:
    return [_("Budget line"), _("Budget"), *financial.column_labels, _("Total"), _("Difference")]


def financial_values(financial: FinancialTable, row: FinancialRow) -> list[Decimal | None]:
    """The row's cells after its label: budget, each year, total, difference."""
    return [row.budget, *row.actuals, row.total, row.difference]


def financial_csv(financial: FinancialTable, *, dialect: CsvDialect = PLAIN_CSV) -> str:
    output = io.StringIO()
    writer = _csv_writer(output, dialect)
    writer.writerow(["line", "budget", *financial.column_labels, "total", "difference"])
    for row in financial.rows:
        writer.writerow(
            [escape_formula(row.label)]
            + [csv_amount(value, dialect) for value in financial_values(financial, row)]
        )
    return output.getvalue()


def financial_title(financial: FinancialTable) -> str:
    title = _("Financial report: %(programme)s (%(currency)s)") % {
        "programme": financial.programme.name,
        "currency": financial.currency,
    }
    if financial.organisation is not None:
        title += " · " + _("spending of %(organisation)s") % {
            "organisation": financial.organisation
        }
    return title


def financial_xlsx(financial: FinancialTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Financial report")[:31]
    headers = financial_headers(financial)
    header_row = _title_rows(sheet, financial_title(financial), "", len(headers))
    sheet_header(sheet, header_row, headers)
    thin = Side(style="thin")
    for offset, row in enumerate(financial.rows, start=1):
        number = header_row + offset
        write_cell(sheet, number, 1, row.label).alignment = Alignment(wrap_text=True)
        for column, value in enumerate(financial_values(financial, row), start=2):
            cell = sheet.cell(number, column, value)
            cell.number_format = MONEY
        if row.kind != LINE:
            for column in range(1, len(headers) + 1):
                cell = sheet.cell(number, column)
                cell.font = Font(bold=True)
                cell.border = Border(top=thin, bottom=thin if row.kind == TOTAL else None)
        if row.is_overspent:
            sheet.cell(number, len(headers)).font = Font(bold=True, color="B02A37")
    sheet.freeze_panes = sheet.cell(header_row + 1, 2)
    _fit_columns(sheet, header_row, widest={1: 55})
    _page_setup(sheet, header_row)
    return workbook_bytes(workbook)


def financial_docx(financial: FinancialTable) -> bytes:
    document = new_document()
    document.add_heading(financial_title(financial), level=1)
    headers = financial_headers(financial)
    grid = docx_table(document, headers)
    for row in financial.rows:
        cells = grid.add_row().cells
        cells[0].text = xml_safe(row.label)
        for cell, value in zip(cells[1:], financial_values(financial, row), strict=True):
            cell.text = _number(value)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if row.kind != LINE:
            for cell in cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    set_column_widths(grid, _financial_docx_widths(len(headers) - 1))
    set_font_size(grid, TABLE_TYPE_SIZE)
    return document_bytes(document)


def _financial_docx_widths(amount_columns):
    """Amounts as wide as "-128 961" needs; the rest (at least 4 cm) for the line's label,
    e.g. "Pillar 1. Offering perspective to recovery, access to aftercare"."""
    amount = Emu(min(Cm(1.95), (TEXT_WIDTH - Cm(4)) // amount_columns))
    return [Emu(TEXT_WIDTH - amount * amount_columns)] + [amount] * amount_columns


# -- shared pieces -------------------------------------------------------------------------------


def _number(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value  # a suppressed count, "<5"
    return f"{value:,.0f}".replace(",", "\u202f")


def _safe_sheet_title(label):
    return "".join(char for char in str(label) if char not in "[]:*?/\\")[:31] or "Report"


def _title_rows(sheet, title, subtitle, width):
    """Title (and filters) above the table; returns the header row's number."""
    write_cell(sheet, 1, 1, title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    if subtitle:
        write_cell(sheet, 2, 1, subtitle).font = Font(italic=True)
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        return 4
    return 3


def _fit_columns(sheet, header_row, *, widest):
    """Each column as wide as its longest entry (below the title), up to ``widest`` for the
    columns of long text, which wrap."""
    lengths = {}
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            if cell.value is None or type(cell).__name__ == "MergedCell":
                continue
            text = f"{cell.value:,}" if isinstance(cell.value, int | Decimal) else str(cell.value)
            lengths[cell.column] = max(lengths.get(cell.column, 0), len(text))
    for column, length in lengths.items():
        limit = widest.get(column, 18)
        sheet.column_dimensions[get_column_letter(column)].width = min(max(length + 2, 9), limit)


def _page_setup(sheet, header_row):
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _fit_row_heights(sheet, first_row):
    """Rows with wrapped text as tall as their longest cell needs: spreadsheets do not grow a
    row to its wrapped text by themselves when the file does not say how tall it is."""
    widths = {
        column: sheet.column_dimensions[get_column_letter(column)].width or 9
        for column in range(1, sheet.max_column + 1)
    }
    # A heading merged across the table wraps at the width of all its columns.
    merged_widths = {
        (merged.min_row, merged.min_col): sum(
            widths[column] for column in range(merged.min_col, merged.max_col + 1)
        )
        for merged in sheet.merged_cells.ranges
    }
    for row in sheet.iter_rows(min_row=first_row):
        lines = max(
            (
                _wrapped_lines(
                    str(cell.value),
                    merged_widths.get((cell.row, cell.column), widths[cell.column]),
                )
                for cell in row
                if cell.value and cell.alignment.wrap_text and type(cell).__name__ != "MergedCell"
            ),
            default=1,
        )
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = lines * LINE_HEIGHT


def _wrapped_lines(text, width):
    # A column's width counts characters of the widest digit; prose runs about a tenth more
    # characters a line, less a margin for words that do not fit at a line's end.
    per_line = max(int(width * 1.1) - 2, 1)
    return sum(max(math.ceil(len(paragraph) / per_line), 1) for paragraph in text.split("\n"))
