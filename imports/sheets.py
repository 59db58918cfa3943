"""The import template: one sheet per kind of record, with exactly these column headers
(README, "Importing spreadsheets"). A column left out of a sheet is read as empty."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

PEOPLE = "people"
ASSISTANCE = "assistance"
ACTIVITIES = "activities"
EXPENSES = "expenses"
REFERRALS = "referrals"

HEADERS = {
    PEOPLE: [
        "reference",
        "alias",
        "category",
        "sex",
        "birth_year",
        "nationality",
        "location",
        "intake_date",
        "how_they_came",
        "status",
    ],
    ASSISTANCE: ["person_reference", "service", "date", "quantity", "sub_project", "note"],
    # Referrals made in the past: "date" is the day it was sent; "status" what became of it,
    # "answered_on" and "closed_on" the days of its steps; "reason" why it is entered late.
    REFERRALS: [
        "reference",
        "person_reference",
        "partner",
        "service",
        "date",
        "status",
        "answered_on",
        "closed_on",
        "reason",
    ],
    ACTIVITIES: [
        "reference",
        "pillar",
        "kind",
        "title",
        "date",
        "location",
        "sub_project",
        "participants",
        "audience",
        "online_reach",
    ],
    EXPENSES: ["reference", "budget_line", "date", "amount", "currency", "rate", "description"],
}
# Sheets are imported in this order: assistance and referrals name people of the people sheet.
ORDER = [PEOPLE, ASSISTANCE, REFERRALS, ACTIVITIES, EXPENSES]


def template_workbook() -> bytes:
    """The empty template as XLSX bytes: one sheet per kind, bold headers, frozen top row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_name in ORDER:
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(HEADERS[sheet_name])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    stream = BytesIO()
    workbook.save(stream)
    return stream.getvalue()
