"""A locked year is frozen in the views the first lock work left live: the dashboards' monthly
trends (published with the totals; a year locked before that shows its totals and says the trend
was not kept), the records page behind a figure (today's records, with the published figure
beside what they give), and the exports of a table with a restated figure (a restatement column
in CSV, XLSX and DOCX, only then: a table never restated is exported exactly as printed).

Hand-computed on tests/reports/builders.py: 6 people of ours and 8 of theirs, all assisted in
January 2022 (add_records dates its rows 1-14 January). After 2022 is locked, one more woman of
ours is assisted on 15 December 2022 (log_late_help)."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from pillars.models import FrozenResult
from reports.exports import CSV_COLUMNS
from tests.reports.builders import add_records, build_plan
from tests.reports.reading import docx_rows, xlsx_sheet
from tests.reports.test_a_late_entry_into_a_locked_year import log_late_help

REASON = "Late December entries from Oradea"
JANUARY, DECEMBER = "Jan 2022", "Dec 2022"


@pytest.fixture
def plan(db):
    plan = build_plan()
    add_records(plan, 6)
    add_records(plan, 8, organisation=plan.theirs)
    return plan


def lock(client, plan):
    response = client.post(
        reverse("pillars:period_lock", kwargs={"public_id": plan.year.public_id})
    )
    assert response.status_code == 302


def restate(client, plan):
    response = client.post(
        reverse("pillars:period_restate", kwargs={"public_id": plan.year.public_id}),
        {"reason": REASON},
    )
    assert response.status_code == 302


def people_card(client):
    """(result, {month: figure} of the trend, the card's item) of "People assisted" on the
    pillar dashboard of 2022."""
    response = client.get(reverse("reports:dashboard"), {"period": "2022"})
    assert response.status_code == 200
    (item,) = [
        item for item in response.context["indicators"] if item["row"].indicator.code == "people"
    ]
    trend = item["trend"]
    months = {} if trend is None else {c.label: c.value for c in trend.columns if c.value}
    return item["row"].result, months, item, response.content.decode()


# -- trends ------------------------------------------------------------------------------------


def test_the_trend_of_a_locked_year_is_as_published(plan, programme_coordinator, our_coordinator):
    assert people_card(our_coordinator)[:2] == (6, {JANUARY: 6})
    lock(programme_coordinator, plan)

    log_late_help(plan)

    # The late December help is in the records, not in the published trend (nor total).
    result, months, _item, page = people_card(our_coordinator)
    assert (result, months) == (6, {JANUARY: 6})
    assert "every figure and monthly trend here is as published" in page
    assert people_card(programme_coordinator)[:2] == (14, {JANUARY: 14})
    # The programme (not locked) follows the records: December is there.
    response = our_coordinator.get(reverse("reports:dashboard"), {"period": "2022-2023"})
    (item,) = [i for i in response.context["indicators"] if i["row"].indicator.code == "people"]
    assert {c.label: c.value for c in item["trend"].columns if c.value} == {
        JANUARY: 6,
        DECEMBER: 1,
    }

    restate(programme_coordinator, plan)

    # Restated: the trend is published again with the new figure.
    assert people_card(our_coordinator)[:2] == (7, {JANUARY: 6, DECEMBER: 1})


def test_a_year_locked_before_trends_were_kept_shows_its_totals_and_says_so(
    plan, programme_coordinator, our_coordinator
):
    lock(programme_coordinator, plan)
    # What a lock made before this change left: the totals without their months.
    FrozenResult.objects.filter(period=plan.year).update(months=None)
    log_late_help(plan)

    result, months, item, page = people_card(our_coordinator)

    assert (result, months, item["trend_not_kept"]) == (6, {}, True)
    assert "Monthly trend not kept: 2022 was locked on" in page
    assert "The published total stands." in page


def test_a_year_never_locked_has_live_trends_and_no_note(plan, our_coordinator):
    log_late_help(plan)

    result, months, item, page = people_card(our_coordinator)

    assert (result, months, item["trend_not_kept"]) == (7, {JANUARY: 6, DECEMBER: 1}, False)
    assert 'data-testid="locked-dashboard"' not in page


# -- the records behind a figure ---------------------------------------------------------------


def records_page(client):
    response = client.get(
        reverse("reports:indicator_records"), {"period": "2022", "indicator": "people"}
    )
    assert response.status_code == 200
    return response.context["page"].paginator.count, " ".join(response.content.decode().split())


def test_the_records_of_a_locked_figure_say_what_was_published(
    plan, programme_coordinator, our_coordinator
):
    lock(programme_coordinator, plan)
    count, page = records_page(our_coordinator)
    assert count == 6
    assert (
        "2022 is locked: the published figure is 6. The records below are today's, and they "
        "still give 6." in page
    )

    log_late_help(plan)

    count, page = records_page(our_coordinator)
    assert count == 7
    assert (
        "2022 is locked: the published figure is 6, but the records below are today's and give "
        "7. The published figure stands until 2022 is restated." in page
    )

    restate(programme_coordinator, plan)

    assert (
        "the published figure is 7. The records below are today's, and they still give 7."
        in (records_page(our_coordinator)[1])
    )


def test_the_records_of_a_year_never_locked_have_no_banner(plan, our_coordinator):
    count, page = records_page(our_coordinator)

    assert count == 6
    assert 'data-testid="locked-records"' not in page


# -- exports of a restated table ---------------------------------------------------------------


def export(client, file_format):
    response = client.get(
        reverse("reports:indicator_table_export", args=[file_format]), {"period": "2022"}
    )
    assert response.status_code == 200
    return response.content


def csv_table(text):
    assert text.startswith("\ufeff")
    reader = csv.reader(io.StringIO(text[1:]))
    header, *rows = list(reader)
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def command_csv():
    output = io.StringIO()
    call_command("report", "indicators", "--period", "2022", "--format", "csv", stdout=output)
    return output.getvalue()


def test_a_locked_table_never_restated_has_no_restatement_column(plan, programme_coordinator):
    lock(programme_coordinator, plan)
    log_late_help(plan)

    header, _rows = csv_table(export(programme_coordinator, "csv").decode())

    assert header == CSV_COLUMNS
    assert csv_table(command_csv())[0] == CSV_COLUMNS
    sheet = xlsx_sheet(export(programme_coordinator, "xlsx"))
    assert "Restatement" not in [cell.value for row in sheet.iter_rows() for cell in row]
    assert len(docx_rows(export(programme_coordinator, "docx"))[0]) == 6


def test_a_restated_table_carries_its_restatement_in_every_file(plan, programme_coordinator):
    lock(programme_coordinator, plan)
    log_late_help(plan)
    restate(programme_coordinator, plan)
    note = (
        f"published 14, restated 15 on {date.today().isoformat()} by the programme "
        f"coordinator: {REASON}"
    )

    header, rows = csv_table(export(programme_coordinator, "csv").decode())

    assert header == [*CSV_COLUMNS, "restatement"]
    by_code = {row["indicator_code"]: row for row in rows if row["indicator_code"]}
    assert (by_code["people"]["result"], by_code["people"]["restatement"]) == ("15", note)
    # The other figures did not change: 6 + 8 referrals, volunteers, ... as first published.
    assert {code for code, row in by_code.items() if row["restatement"]} == {"people"}
    assert by_code["referrals"]["result"] == "14"
    # The command prints the download, restatement column included.
    assert csv_table(command_csv()) == (header, rows)

    sheet = xlsx_sheet(export(programme_coordinator, "xlsx"))
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    (headers,) = [row for row in cells if row[0] == "Indicator"]
    assert headers == ["Indicator", "Target", "Result", "% of target", "Remarks", "Restatement"]
    (people,) = [row for row in cells if row[0] == "People assisted"]
    assert (people[2], people[5]) == (15, note)

    rows = docx_rows(export(programme_coordinator, "docx"))
    assert rows[0][-1] == "Restatement"
    (people,) = [row for row in rows if row[0] == "People assisted"]
    assert (people[2], people[6]) == ("15", note)


# The referrals and caseload dashboards of a locked year are as published too:
# tests/reports/test_people_dashboards_of_a_locked_year.py.
