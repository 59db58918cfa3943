"""An XLSX workbook written row by row straight into its zip file, for exports of many rows.

openpyxl's write-only mode streams too, but builds a cell object, checks its type and drives an
XML serialiser for every value: at 40,000 people it was most of the export's time. Here a row is
one string of XML put together from its values, a few hundred rows are compressed at a time,
and nothing of a row is kept once it is written (docs/decisions.md, "The people export writes
its own XML"). It writes what the exports need and nothing else: text (always as text, never as
a formula), numbers, dates, a few fixed cell styles, column widths, a frozen corner and an
auto-filter. Sheets are written one after the other.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter
from openpyxl.writer.theme import theme_xml

from nextsteps.spreadsheets import xml_safe

COMPRESS_LEVEL = 3
# Rows joined and compressed at a time.
FLUSH_EVERY = 500
# What a text needs done before it goes in the XML: characters a file cannot hold removed
# (nextsteps.spreadsheets.xml_safe), markup escaped. Most texts need neither.
_NEEDS_ESCAPING = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f&<>]")
# Day 0 of Excel's calendar (1900 system): 1899-12-30, so that 1900-03-01 is day 61.
EXCEL_EPOCH = date(1899, 12, 30).toordinal()
# Excel counts a 29 February 1900 that never was: days before 1 March 1900 are one less.
FIRST_DAY_AFTER_THE_PHANTOM = 61


class Style(IntEnum):
    """The cell formats of styles.xml below, by their index there."""

    PLAIN = 0
    DATE = 1
    DATE_TIME = 2
    HEADING = 3
    BOLD = 4
    WRAPPED = 5


STYLES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>\
<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b val="1"/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill>\
<fill><patternFill patternType="solid"><fgColor rgb="00{heading_fill}"/></patternFill></fill>\
</fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" \
applyAlignment="1"><alignment vertical="bottom" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


class StreamedWorkbook:
    """``with StreamedWorkbook(output) as workbook:`` then ``workbook.add_sheet(...)`` for each
    sheet in turn; the file is complete when the block ends. ``output`` must be seekable (a
    temporary file): the zip's entries are written as they come."""

    def __init__(self, output: BinaryIO, *, heading_fill: str = "D9D9D9"):
        # Level 3 of 9: nearly the size of the default level at half its time (the file is
        # encrypted again before anyone downloads it, size matters little).
        self._zip = zipfile.ZipFile(
            output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
        )
        self._heading_fill = heading_fill
        self._sheets: list[StreamedSheet] = []

    def __enter__(self) -> StreamedWorkbook:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if error is None:
            self.close()
        else:
            self._zip.close()

    def add_sheet(
        self, title: str, *, column_widths: Sequence[float], freeze_first_row_and_column=False
    ) -> StreamedSheet:
        """A new sheet (the one before it is finished first). ``column_widths`` in characters,
        from column A on; the widths also say how many columns the auto-filter covers."""
        if self._sheets:
            self._sheets[-1].finish()
        number = len(self._sheets) + 1
        sheet = StreamedSheet(
            self._zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True),
            column_widths=column_widths,
            freeze=freeze_first_row_and_column,
        )
        sheet.title = title
        self._sheets.append(sheet)
        return sheet

    def close(self) -> None:
        if self._sheets:
            self._sheets[-1].finish()
        self._zip.writestr("[Content_Types].xml", self._content_types())
        self._zip.writestr("_rels/.rels", _RELS)
        self._zip.writestr("xl/workbook.xml", self._workbook())
        self._zip.writestr("xl/_rels/workbook.xml.rels", self._workbook_relationships())
        self._zip.writestr("xl/styles.xml", STYLES_XML.format(heading_fill=self._heading_fill))
        # The theme spreadsheet programs write (openpyxl's copy of Office's), stored as it is:
        # it also keeps the smallest workbook above 4 KB, below which msoffcrypto writes an
        # encrypted file that fails its own integrity check (nextsteps.office_files).
        self._zip.writestr("xl/theme/theme1.xml", theme_xml, compress_type=zipfile.ZIP_STORED)
        self._zip.close()

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="{SHEET_TYPE}"/>'
            for number in range(1, len(self._sheets) + 1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/theme/theme1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
            f"{sheets}</Types>"
        )

    def _workbook(self) -> str:
        sheets, filters = [], []
        for index, sheet in enumerate(self._sheets):
            sheets.append(
                f'<sheet name={quoteattr(xml_safe(sheet.title))} sheetId="{index + 1}" '
                f'r:id="rId{index + 1}"/>'
            )
            if sheet.filter_range:
                # Excel names the filtered range so; without it the filter still shows.
                filters.append(
                    f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" '
                    f'hidden="1">{escape(_sheet_reference(sheet.title))}!'
                    f"{_absolute(sheet.filter_range)}</definedName>"
                )
        names = f"<definedNames>{''.join(filters)}</definedNames>" if filters else ""
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{''.join(sheets)}</sheets>{names}</workbook>"
        )

    def _workbook_relationships(self) -> str:
        sheets = "".join(
            f'<Relationship Id="rId{number}" Type="{RELATIONSHIPS}/worksheet" '
            f'Target="worksheets/sheet{number}.xml"/>'
            for number in range(1, len(self._sheets) + 1)
        )
        styles = len(self._sheets) + 1
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{sheets}'
            f'<Relationship Id="rId{styles}" Type="{RELATIONSHIPS}/styles" '
            'Target="styles.xml"/>'
            f'<Relationship Id="rId{styles + 1}" Type="{RELATIONSHIPS}/theme" '
            'Target="theme/theme1.xml"/></Relationships>'
        )


_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)


class StreamedSheet:
    """One sheet, written as rows are appended. Not made directly: StreamedWorkbook.add_sheet."""

    title: str

    def __init__(self, stream: BinaryIO, *, column_widths: Sequence[float], freeze: bool):
        self._stream = stream
        self._letters = [get_column_letter(number) for number in range(1, 16385)]
        self._width = len(column_widths)
        self._rows = 0
        self._pending: list[str] = []
        self.auto_filter = False
        self.filter_range = ""
        self._finished = False
        stream.write(_sheet_start(column_widths, freeze).encode())

    @property
    def rows_written(self) -> int:
        return self._rows

    def append(self, values: Iterable[object], styles: Sequence[Style] = ()) -> None:
        """One row: text, numbers and dates; None and "" leave the cell empty. ``styles``
        (one per cell) writes every value of the row as text in that style."""
        self._rows += 1
        number = str(self._rows)
        if styles:
            cells = "".join(
                _styled_text(letter + number, value, style)
                for letter, value, style in zip(self._letters, values, styles, strict=False)
            )
        else:
            cells = "".join(
                _text(letter + number, value, "")
                if value.__class__ is str
                else _cell(letter + number, value)
                for letter, value in zip(self._letters, values, strict=False)
                if value is not None and value != ""
            )
        self._pending.append(f'<row r="{number}">{cells}</row>')
        if len(self._pending) >= FLUSH_EVERY:
            self._flush()

    def finish(self) -> None:
        if self._finished:
            return
        self._flush()
        tail = "</sheetData>"
        if self.auto_filter and self._width:
            self.filter_range = f"A1:{self._letters[self._width - 1]}{max(self._rows, 1)}"
            tail += f'<autoFilter ref="{self.filter_range}"/>'
        tail += (
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
            'footer="0.5"/></worksheet>'
        )
        self._stream.write(tail.encode())
        self._stream.close()
        self._finished = True

    def _flush(self) -> None:
        if self._pending:
            self._stream.write("".join(self._pending).encode())
            self._pending = []


def _sheet_start(column_widths: Sequence[float], freeze: bool) -> str:
    view = '<sheetView workbookViewId="0">'
    if freeze:
        view += (
            '<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" '
            'state="frozen"/><selection pane="topRight"/><selection pane="bottomLeft"/>'
            '<selection pane="bottomRight" activeCell="B2" sqref="B2"/>'
        )
    view += "</sheetView>"
    columns = "".join(
        f'<col min="{number}" max="{number}" width="{width}" customWidth="1"/>'
        for number, width in enumerate(column_widths, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{columns}</cols>" if columns else "")
        + "<sheetData>"
    )


def _cell(reference: str, value: object) -> str:
    """A cell's XML: text always as text (a value starting with "=" is words, not a formula)."""
    if isinstance(value, str):
        return _text(reference, value, "")
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{reference}"><v>{value}</v></c>'
    if isinstance(value, datetime):
        day = (
            excel_day(value.date())
            + (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6)
            / 86400
        )
        return f'<c r="{reference}" s="{Style.DATE_TIME:d}"><v>{day}</v></c>'
    if isinstance(value, date):
        return f'<c r="{reference}" s="{Style.DATE:d}"><v>{excel_day(value)}</v></c>'
    return _text(reference, str(value), "")


def _styled_text(reference: str, value: object, style: Style) -> str:
    return _text(reference, "" if value is None else str(value), f' s="{style:d}"')


def _text(reference: str, text: str, style: str) -> str:
    space = ""
    if _NEEDS_ESCAPING.search(text) or text[:1].isspace() or text[-1:].isspace():
        text = xml_safe(text)
        space = ' xml:space="preserve"' if text != text.strip() else ""
        text = escape(text)
    return f'<c r="{reference}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def excel_day(day: date) -> int:
    """The day as Excel's 1900 calendar numbers it."""
    number = day.toordinal() - EXCEL_EPOCH
    return number - 1 if 0 < number < FIRST_DAY_AFTER_THE_PHANTOM else number


def _sheet_reference(title: str) -> str:
    return "'" + xml_safe(title).replace("'", "''") + "'"


def _absolute(cells: str) -> str:
    """ "A1:S10" as "$A$1:$S$10"."""
    return ":".join(
        "$" + "".join(c for c in end if c.isalpha()) + "$" + "".join(c for c in end if c.isdigit())
        for end in cells.split(":")
    )
