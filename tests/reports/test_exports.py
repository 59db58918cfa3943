from decimal import Decimal

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from accounts.enums import Role
from pillars.budget import financial_table
from pillars.models import BudgetLine, Remark, ReportRow
from reports.exports import (
    SEMICOLON_CSV,
    csv_amount,
    escape_formula,
    financial_csv,
    financial_xlsx,
    indicator_table_csv,
    indicator_table_docx,
    indicator_table_xlsx,
)
from reports.tables import indicator_table
from tests.factories import make_member
from tests.reports.builders import add_records, build_plan
from tests.reports.reading import csv_rows, docx_rows, office_text, xlsx_sheet

DANGEROUS = [
    '=HYPERLINK("http://example.com","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\tleading tab",
    "\rleading return",
]


@pytest.fixture
def plan(db):
    return build_plan()


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_a_spreadsheet_would_evaluate_is_escaped(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["Outreach in Oradea", "", 42, -207, None, "a = b"])
def test_other_values_pass_unchanged(value):
    assert escape_formula(value) == value


def test_remarks_and_labels_are_text_in_xlsx_and_escaped_in_csv(plan):
    """XLSX text cells are never evaluated: the remark reads as typed, with no visible
    apostrophe (issue 13 point 10). CSV has no cell types: there the apostrophe stays."""
    row = plan.rows["people"]
    Remark.objects.filter(period=plan.year, row=row).update(text=DANGEROUS[0])
    ReportRow.objects.filter(pk=plan.rows["volunteers"].pk).update(label=DANGEROUS[1])
    BudgetLine.objects.filter(pk=plan.lines["staff"].pk).update(label=DANGEROUS[3])
    table = indicator_table(plan.year)
    financial = financial_table(plan.programme)

    sheet = xlsx_sheet(indicator_table_xlsx(table))
    cells = [cell for line in sheet.iter_rows() for cell in line if cell.value is not None]
    csv_table = csv_rows(indicator_table_csv(table))
    csv_financial = csv_rows(financial_csv(financial))
    financial_sheet = xlsx_sheet(financial_xlsx(financial))

    assert not [cell for cell in cells if cell.data_type == "f"]
    assert DANGEROUS[0] in [cell.value for cell in cells]
    assert DANGEROUS[1] in [cell.value for cell in cells]
    assert not [cell for cell in cells if str(cell.value).startswith("'")]
    assert csv_table[0]["remark"] == "'" + DANGEROUS[0]
    assert csv_table[1]["indicator"] == "'" + DANGEROUS[1]
    assert csv_financial[0]["line"] == "'" + DANGEROUS[3]
    assert financial_sheet.cell(4, 1).value == DANGEROUS[3]
    assert not [c for line in financial_sheet.iter_rows() for c in line if c.data_type == "f"]


def test_negative_amounts_stay_numbers(plan):
    add_records(plan, 1)
    BudgetLine.objects.filter(pk=plan.lines["staff"].pk).update(budget=5)

    rows = csv_rows(financial_csv(financial_table(plan.programme)))

    assert rows[0]["difference"] == "-5"


def test_the_xlsx_is_laid_out_like_the_printed_table(plan):
    add_records(plan, 2)

    sheet = xlsx_sheet(indicator_table_xlsx(indicator_table(plan.year)))

    header = list(sheet[3])
    assert [cell.value for cell in header] == [
        "Indicator",
        "Target",
        "Result",
        "% of target",
        "Remarks",
    ]
    assert all(cell.font.bold for cell in header)
    assert sheet.freeze_panes == "A4"
    merged = sorted(str(cell_range) for cell_range in sheet.merged_cells.ranges)
    assert merged == ["A1:E1", "A4:E4", "A7:E7"]
    assert sheet["A4"].value == "Pillar 1. Heading of pillar 1"
    assert sheet["A4"].font.bold
    assert (sheet["B5"].value, sheet["C5"].value, sheet["D5"].value) == (10, 2, 0.2)
    assert (sheet["B5"].number_format, sheet["D5"].number_format) == ("#,##0", "0%")
    assert sheet["A9"].alignment.indent == 2  # the sub-row
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    assert widths["A"] >= len("People at conferences") and widths["A"] <= 60
    assert 9 <= widths["B"] <= 18


def test_the_docx_table_merges_pillar_headings_and_repeats_its_header(plan):
    content = indicator_table_docx(indicator_table(plan.year))

    rows = docx_rows(content)
    assert rows[0] == ["Indicator", "Target", "Result", "% of target", "Status", "Remarks"]
    assert rows[1] == ["Pillar 1. Heading of pillar 1"]
    assert "w:tblHeader" in office_text(content)


def test_the_exports_name_their_filters(plan, client_of):
    client = client_of(make_member(Role.PROGRAMME_COORDINATOR))

    response = client.get("/reports/indicators/export/xlsx/?period=2022&organisation=ours&pillar=2")

    assert response["Content-Disposition"] == (
        'attachment; filename="indicators-2022-pillar-2-our-organisation.xlsx"'
    )
    assert "Organisation: Our organisation" in office_text(response.content)


# -- the command line --------------------------------------------------------------------------


def run_command(*arguments):
    ManagementUtility(["manage.py", "report", *arguments]).execute()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["indicators", "--period", "1999"], "Unknown period '1999'"),
        (["indicators", "--period", "2022", "--format", "pdf"], "Unknown format 'pdf'"),
        (["indicators", "--period", "2022", "--format", "xlsx"], "add --output FILE"),
        (["indicators"], "Name the period"),
        (["budget"], "Unknown table 'budget'"),
    ],
)
def test_the_command_refuses_bad_input_in_one_line(plan, capsys, arguments, message):
    with pytest.raises(SystemExit) as exit_:
        run_command(*arguments)

    error = capsys.readouterr().err
    assert exit_.value.code != 0
    assert message in error
    assert len(error.strip().splitlines()) == 1


def test_the_command_writes_an_audit_row(plan, capsys):
    from accounts.models import AuditEvent

    call_command("report", "indicators", "--period", "2022")

    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_reference) == (
        "export",
        None,
        str(plan.year.audit_reference),
    )
    assert capsys.readouterr().out.startswith(
        "\ufeffpillar,indicator_code,indicator,subrow,period,target,result,percent_of_target,"
    )


def test_the_command_names_the_known_periods(plan):
    with pytest.raises(CommandError, match="known periods: 2022, 2022-2023"):
        call_command("report", "indicators", "--period", "2021")


# -- exports that paste ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "plain", "semicolon"),
    [
        (Decimal("20873.4100000000"), "20873.41", "20873,41"),
        (Decimal("1500.000"), "1500", "1500"),
        (Decimal("-207"), "-207", "-207"),
        (Decimal("0.005"), "0.01", "0,01"),
        (42, "42", "42"),
        (None, "", ""),
    ],
)
def test_csv_amounts_are_whole_or_two_decimal_numbers(value, plain, semicolon):
    assert csv_amount(value) == plain
    assert csv_amount(value, SEMICOLON_CSV) == semicolon


def test_a_financial_csv_shows_cents_with_two_decimals(plan):
    add_records(plan, 1)
    BudgetLine.objects.filter(pk=plan.lines["staff"].pk).update(budget=Decimal("20873.41"))

    rows = csv_rows(financial_csv(financial_table(plan.programme)))

    assert rows[0]["budget"] == "20873.41"


@pytest.mark.parametrize(("language", "delimiter"), [("en", ","), ("ro", ";"), ("nl", ";")])
def test_the_csv_for_excel_speaks_the_readers_excel(plan, client_of, language, delimiter):
    add_records(plan, 1)
    BudgetLine.objects.filter(pk=plan.lines["staff"].pk).update(budget=Decimal("1000.5"))
    client = client_of(make_member(Role.PROGRAMME_COORDINATOR))
    client.cookies["django_language"] = language

    table = client.get("/reports/indicators/export/excel-csv/?period=2022")
    financial = client.get("/reports/financial/export/excel-csv/")

    assert table["Content-Disposition"] == 'attachment; filename="indicators-2022.csv"'
    assert table["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(table.content.decode("utf-8"), delimiter=delimiter)
    assert rows[0]["indicator_code"] == "people"
    budget = csv_rows(financial.content.decode("utf-8"), delimiter=delimiter)[0]["budget"]
    assert budget == ("1000.50" if delimiter == "," else "1000,50")


def test_the_plain_csv_download_is_the_same_in_every_language(plan, client_of):
    client = client_of(make_member(Role.PROGRAMME_COORDINATOR))
    client.cookies["django_language"] = "nl"

    text = client.get("/reports/indicators/export/csv/?period=2022").content.decode("utf-8")

    assert text.startswith("\ufeffpillar,indicator_code,")
    assert csv_rows(text)[0]["indicator"] == "People assisted"


def test_the_xlsx_rows_are_as_tall_as_their_wrapped_remark(plan):
    long_remark = "A remark long enough to wrap onto several lines of the Remarks column. " * 6
    Remark.objects.filter(period=plan.year, row=plan.rows["people"]).update(text=long_remark)

    sheet = xlsx_sheet(indicator_table_xlsx(indicator_table(plan.year)))

    remark_cell = next(cell for cell in sheet["E"] if cell.value == long_remark)
    # Prose runs at most about 1.2 characters a unit of column width.
    width = sheet.column_dimensions["E"].width
    lines_needed = len(long_remark) / (width * 1.2)
    assert sheet.row_dimensions[remark_cell.row].height >= lines_needed * 15
    one_line = next(cell for cell in sheet["A"] if cell.value == "Volunteers")
    assert sheet.row_dimensions[one_line.row].height is None
