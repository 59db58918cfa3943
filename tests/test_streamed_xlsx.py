"""The streamed XLSX writer (nextsteps.streamed_xlsx) read back as a spreadsheet program reads
it (openpyxl): values, types, styles and the sheet's furniture, and encrypted as the exports are."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils.datetime import to_excel

from nextsteps.office_files import encrypt_office_file
from nextsteps.streamed_xlsx import StreamedWorkbook, Style, excel_day
from tests.office_files import decrypted

PASSWORD = "four words make a key"


def written(fill, **sheet_options):
    output = io.BytesIO()
    with StreamedWorkbook(output, heading_fill="DCE6EA") as workbook:
        fill(workbook)
    return output.getvalue()


def one_sheet(rows, styles=None, **options):
    def fill(workbook):
        sheet = workbook.add_sheet("People", column_widths=[18, 18, 18, 18], **options)
        for row in rows:
            sheet.append(row, styles or ())

    return load_workbook(io.BytesIO(written(fill)))["People"]


def test_values_come_back_as_they_went_in():
    sheet = one_sheet(
        [
            ["NS-2024-0001", 1987, date(2024, 3, 5), 2.5],
            ["", None, "after two empty cells", datetime(2024, 3, 5, 14, 30)],
        ]
    )

    assert list(sheet.values) == [
        ("NS-2024-0001", 1987, datetime(2024, 3, 5), 2.5),
        (None, None, "after two empty cells", datetime(2024, 3, 5, 14, 30)),
    ]
    assert sheet["C1"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].number_format == "yyyy-mm-dd h:mm:ss"


def test_text_is_text_never_a_formula_and_keeps_its_markup_and_spaces():
    sheet = one_sheet(
        [['=HYPERLINK("http://x.example")', "Tom & <Jerry>", "  spaced  ", "bell\x07 gone"]]
    )

    assert [cell.value for cell in sheet[1]] == [
        '=HYPERLINK("http://x.example")',
        "Tom & <Jerry>",
        "  spaced  ",
        "bell gone",
    ]
    assert {cell.data_type for cell in sheet[1]} == {"s"}


def test_styled_rows_are_text_in_their_style():
    sheet = one_sheet([["Code", 7, None]], styles=[Style.HEADING, Style.BOLD, Style.WRAPPED])

    heading, bold, wrapped = sheet[1]
    assert (heading.value, heading.font.b, heading.fill.fgColor.rgb) == ("Code", True, "00DCE6EA")
    assert (heading.alignment.wrap_text, heading.alignment.vertical) == (True, "bottom")
    assert (bold.value, bold.data_type, bold.font.b, bold.fill.fill_type) == ("7", "s", True, None)
    assert (wrapped.alignment.wrap_text, wrapped.alignment.vertical) == (True, "top")


def test_widths_frozen_corner_and_filter():
    def fill(workbook):
        sheet = workbook.add_sheet(
            "People", column_widths=[18, 18, 30], freeze_first_row_and_column=True
        )
        sheet.auto_filter = True
        for number in range(4):
            sheet.append([f"row {number}", number, "x"])
        workbook.add_sheet("About Tom & Jerry's", column_widths=[24]).append(["about"])

    book = load_workbook(io.BytesIO(written(fill)))
    people = book["People"]
    assert book.sheetnames == ["People", "About Tom & Jerry's"]
    assert people.freeze_panes == "B2"
    assert people.auto_filter.ref == "A1:C4"
    assert [people.column_dimensions[letter].width for letter in "ABC"] == [18, 18, 30]
    assert book["About Tom & Jerry's"]["A1"].value == "about"


@pytest.mark.parametrize(
    "day", [date(1899, 12, 31), date(1900, 2, 28), date(1900, 3, 1), date(2024, 2, 29)]
)
def test_days_are_numbered_as_excel_numbers_them(day):
    assert excel_day(day) == to_excel(day)


def test_the_smallest_workbook_survives_encryption_with_its_integrity():
    # msoffcrypto writes a package under 4 KB so that its own integrity check refuses it.
    content = written(lambda workbook: workbook.add_sheet("People", column_widths=[1]))

    plain = decrypted(encrypt_office_file(content, PASSWORD), PASSWORD)

    assert plain == content
