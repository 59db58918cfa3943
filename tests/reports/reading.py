"""Read the report tables back out of a page, an XLSX, a DOCX or a CSV, as plain tuples, so the
tests can hold every rendering against the printed reports (tests/data/printed_reports.py)."""

import csv
import io
import zipfile

import lxml.html
from docx import Document
from openpyxl import load_workbook

SEPARATORS = (",", "\u202f", "\xa0", " ")


def number(text):
    """'1,500' / '1 500' / '' / '4*' -> 1500 / None / 4."""
    text = (text or "").strip().rstrip("*").strip()
    for separator in SEPARATORS:
        text = text.replace(separator, "")
    if text in ("", "\u2013", "-"):
        return None
    return int(text)


def _text(element, xpath):
    found = element.xpath(xpath)
    return found[0].text_content().strip() if found else ""


def _has_class(name):
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def page_indicator_rows(content):
    """[(pillar, printed label, target, result, remark)] of the page's table."""
    document = lxml.html.fromstring(content)
    return [
        (
            int(row.get("data-pillar")),
            _text(row, f".//*[{_has_class('printed-label')}]"),
            number(_text(row, f"./td[{_has_class('target')}]")),
            number(_text(row, f".//*[{_has_class('result-value')}]")),
            _text(row, f"./td[{_has_class('remark')}]"),
        )
        for row in document.xpath(f"//tr[{_has_class('report-row')}]")
    ]


def page_pillar_headings(content):
    document = lxml.html.fromstring(content)
    return [
        cell.text_content().strip()
        for cell in document.xpath(f"//tr[{_has_class('pillar-heading')}]/th")
    ]


def page_sub_rows(content):
    return _texts_of_rows(content, "sub-row", "printed-label")


def _texts_of_rows(content, row_class, text_class):
    document = lxml.html.fromstring(content)
    return [
        _text(row, f".//*[{_has_class(text_class)}]")
        for row in document.xpath(f"//tr[{_has_class(row_class)}]")
    ]


def page_financial_rows(content):
    """[(line, budget, *actuals, total, difference)] of the page's financial table."""
    document = lxml.html.fromstring(content)
    return [
        (
            _text(row, f".//*[{_has_class('line-name')}]"),
            *(number(cell.text_content()) for cell in row.xpath("./td")),
        )
        for row in document.xpath(f"//tr[{_has_class('financial-row')}]")
    ]


def page_overspent_lines(content):
    return _texts_of_rows(content, "overspent", "line-name")


def printed_as_page(printed_rows):
    """The printed rows as the page shows them: a sub-row by its sub-row label."""
    return [
        (row.pillar, row.subrow or row.indicator, row.target, row.result, row.remark)
        for row in printed_rows
    ]


def financial_as_tuples(printed_rows, years):
    return [
        (row.line, row.budget, *(row.actuals[year] for year in years), row.total, row.difference)
        for row in printed_rows
    ]


def xlsx_sheet(content):
    return load_workbook(io.BytesIO(content)).active


def _header_row(sheet, first_header):
    for row in sheet.iter_rows():
        if row[0].value == first_header:
            return row[0].row
    raise AssertionError(f"no header row starting with {first_header!r}")


def xlsx_indicator_rows(content):
    """([pillar headings], [(label, target, result, percent, remark)]) of an exported table: a
    pillar heading is a row merged across the table."""
    sheet = xlsx_sheet(content)
    merged = {cell_range.min_row for cell_range in sheet.merged_cells.ranges}
    headings, rows = [], []
    for cells in sheet.iter_rows(min_row=_header_row(sheet, "Indicator") + 1):
        label, target, result, percent, remark = (cell.value for cell in cells[:5])
        if cells[0].row in merged:
            headings.append(label)
        elif label is not None:
            rows.append((label, target, result, percent, remark or ""))
    return headings, rows


def xlsx_financial_rows(content):
    sheet = xlsx_sheet(content)
    start = _header_row(sheet, "Budget line") + 1
    return [tuple(row) for row in sheet.iter_rows(min_row=start, values_only=True) if row[0]]


def docx_rows(content):
    """Each row of the document's first table as a list of cell texts (a merged row once)."""
    table = Document(io.BytesIO(content)).tables[0]
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1][0]:
                cells.append((cell._tc, cell.text))
        rows.append([text for _tc, text in cells])
    return rows


def csv_rows(text, delimiter=","):
    """The rows of a CSV export, which starts with a byte-order mark (for Excel)."""
    assert text.startswith("\ufeff"), "a CSV export starts with a UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=delimiter))


def office_text(content):
    """All the text inside an XLSX or DOCX (every XML part of the zip), to search it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", errors="replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        )
