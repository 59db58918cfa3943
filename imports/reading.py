"""Reading an uploaded XLSX workbook or CSV file into rows of the template's sheets.

Only values are read: a formula is refused (its result is not stored in every file, and a
formula must never reach an export), and so is text that starts with "=". A CSV file holds
one sheet, recognised by its headers."""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from imports.sheets import HEADERS

MAX_ROWS = 500_000


@dataclass(frozen=True)
class Problem:
    """Why one cell, row or sheet cannot be imported."""

    sheet: str
    row: int
    column: str
    reason: str


@dataclass
class Row:
    number: int
    cells: dict[str, object]


@dataclass
class Workbook:
    sheets: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def row_count(self) -> int:
        return sum(len(rows) for rows in self.sheets.values())


class Formula:
    """A cell that holds a formula instead of a value."""


FORMULA = Formula()


def read_upload(content: bytes, filename: str) -> Workbook:
    if filename.lower().endswith(".csv"):
        return _read_csv(content)
    return _read_xlsx(content)


def _read_xlsx(content: bytes) -> Workbook:
    workbook = Workbook()
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        workbook.problems.append(
            Problem("", 0, "", _("The file could not be read as an XLSX workbook or a CSV file."))
        )
        return workbook
    try:
        for sheet in book.worksheets:
            _add_sheet(workbook, sheet.title, sheet.iter_rows(values_only=True))
    finally:
        book.close()
    return workbook


def _cell_value(value):
    # Read without evaluating, a formula is its text ("=SUM(A1:A3)"). Text that starts with
    # "=" is refused too: it would turn into a formula in a spreadsheet exported later.
    if isinstance(value, str) and value.startswith("="):
        return FORMULA
    return value


def _read_csv(content: bytes) -> Workbook:
    workbook = Workbook()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            decoded = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    # Excel in Romanian or Dutch writes CSV with semicolons.
    first_line = decoded.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter))
    headers = {_header(cell) for cell in rows[0]} if rows else set()
    matching = [name for name, expected in HEADERS.items() if headers == set(expected)]
    if len(matching) != 1:
        workbook.problems.append(
            Problem(
                "",
                1,
                "",
                _("A CSV file holds one sheet of the template, with its exact headers: %(headers)s")
                % {
                    "headers": "; ".join(
                        f"{name}: {', '.join(columns)}" for name, columns in HEADERS.items()
                    )
                },
            )
        )
        return workbook
    _add_sheet(workbook, matching[0], iter(rows))
    return workbook


def _header(cell) -> str:
    return str(cell if cell is not None else "").strip().lower()


def _add_sheet(workbook: Workbook, title: str, rows) -> None:
    name = title.strip().lower()
    if name not in HEADERS:
        workbook.problems.append(
            Problem(
                title,
                0,
                "",
                _("Not a sheet of the template (%(sheets)s).") % {"sheets": ", ".join(HEADERS)},
            )
        )
        return
    if name in workbook.sheets:
        workbook.problems.append(Problem(title, 0, "", _("The sheet appears twice.")))
        return
    header_row = next(rows, None)
    if header_row is None:
        workbook.sheets[name] = []
        return
    columns = [_header(cell) for cell in header_row]
    unknown = [column for column in columns if column and column not in HEADERS[name]]
    for column in unknown:
        workbook.problems.append(
            Problem(
                name,
                1,
                column[:60],
                _("Not a column of the template (the columns are %(columns)s).")
                % {"columns": ", ".join(HEADERS[name])},
            )
        )
    parsed = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            workbook.problems.append(
                Problem(
                    name,
                    number,
                    "",
                    _("More than %(count)s rows: split the file.") % {"count": MAX_ROWS},
                )
            )
            break
        cells = {
            column: _cell_value(value)
            for column, value in zip(columns, values, strict=False)
            if column in HEADERS[name]
        }
        if any(value not in (None, "") for value in cells.values()):
            parsed.append(Row(number, cells))
    workbook.sheets[name] = parsed
