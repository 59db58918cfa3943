"""Golden tests: on the demo, the 2022 table, the 2021-2023 table and the financial report, as the
page shows them, as each export writes them and as the `report` command prints them, equal the
partnership's printed reports row for row (tests/data/printed_reports.py)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.enums import Role
from accounts.models import AuditEvent, User
from tests.data.printed_reports import (
    FINANCIAL_REPORT,
    FINANCIAL_YEARS,
    PILLAR_HEADINGS,
    TABLE_2021_2023,
    TABLE_2022,
)
from tests.factories import make_member
from tests.reports.reading import (
    csv_rows,
    docx_rows,
    financial_as_tuples,
    number,
    page_financial_rows,
    page_indicator_rows,
    page_overspent_lines,
    page_pillar_headings,
    page_sub_rows,
    printed_as_page,
    xlsx_financial_rows,
    xlsx_indicator_rows,
)

TABLES = [("2022", TABLE_2022), ("2021-2023", TABLE_2021_2023)]
PRINTED_FINANCIAL = financial_as_tuples(FINANCIAL_REPORT, FINANCIAL_YEARS)


@pytest.fixture
def coordinator(demo_data, db, client_of):
    return client_of(User.objects.get(email="programme@nextsteps.example"))


def headings_of(label):
    return [f"Pillar {number}. {heading}" for number, heading in PILLAR_HEADINGS[label].items()]


def as_printed_columns(rows):
    return [
        (
            int(row["pillar"]),
            row["indicator"],
            row["subrow"],
            number(row["target"]),
            number(row["result"]),
            row["remark"],
        )
        for row in rows
    ]


def export(client, file_format, query):
    response = client.get(
        f"{reverse('reports:indicator_table_export', args=[file_format])}?{query}"
    )
    assert response.status_code == 200
    return response


# -- the target-vs-result tables ---------------------------------------------------------------


@pytest.mark.parametrize(("label", "printed"), TABLES)
def test_the_page_shows_the_printed_table(coordinator, label, printed):
    response = coordinator.get(reverse("reports:indicator_table"), {"period": label})

    content = response.content.decode()
    assert page_indicator_rows(content) == printed_as_page(printed)
    assert page_pillar_headings(content) == headings_of(label)
    assert page_sub_rows(content) == [row.subrow for row in printed if row.subrow]


@pytest.mark.parametrize(("label", "printed"), TABLES)
def test_the_print_view_shows_the_printed_table_without_navigation(coordinator, label, printed):
    response = coordinator.get(reverse("reports:indicator_table_print"), {"period": label})

    content = response.content.decode()
    assert page_indicator_rows(content) == printed_as_page(printed)
    assert "<nav" not in content


@pytest.mark.parametrize(("label", "printed"), TABLES)
def test_the_xlsx_holds_the_printed_table(coordinator, label, printed):
    headings, rows = xlsx_indicator_rows(export(coordinator, "xlsx", f"period={label}").content)

    assert headings == headings_of(label)
    assert [(label, target, result, remark) for label, target, result, _, remark in rows] == [
        (pillar_label, target, result, remark)
        for _, pillar_label, target, result, remark in printed_as_page(printed)
    ]
    percents = [percent for *_, percent, _remark in rows]
    assert percents == [
        None
        if not row.target or row.result is None
        else pytest.approx(row.result / row.target, abs=0.006)
        for row in printed
    ]


@pytest.mark.parametrize(("label", "printed"), TABLES)
def test_the_docx_holds_the_printed_table(coordinator, label, printed):
    rows = docx_rows(export(coordinator, "docx", f"period={label}").content)

    assert rows[0] == ["Indicator", "Target", "Result", "% of target", "Status", "Remarks"]
    headings = [cells[0] for cells in rows[1:] if len(cells) == 1]
    figures = [
        (cells[0], number(cells[1]), number(cells[2]), cells[5])
        for cells in rows[1:]
        if len(cells) == 6
    ]
    assert headings == headings_of(label)
    assert figures == [
        (pillar_label, target, result, remark)
        for _, pillar_label, target, result, remark in printed_as_page(printed)
    ]


@pytest.mark.parametrize(("label", "printed"), TABLES)
def test_the_csv_download_round_trips(coordinator, label, printed):
    rows = csv_rows(export(coordinator, "csv", f"period={label}").content.decode())

    assert as_printed_columns(rows) == [tuple(row) for row in printed]
    assert {row["period"] for row in rows} == {label}
    header_rows = [row for row in rows if not row["indicator_code"]]
    assert all(row["target"] == row["result"] == row["origin"] == "" for row in header_rows)
    assert {row["origin"] for row in rows} - {""} <= {"computed", "manual"}


@pytest.mark.parametrize(("label", "printed"), TABLES)
def test_the_command_prints_the_download_csv(coordinator, label, printed):
    output = io.StringIO()

    call_command("report", "indicators", "--period", label, "--format", "csv", stdout=output)

    text = output.getvalue()
    downloaded = csv_rows(export(coordinator, "csv", f"period={label}").content.decode())
    assert as_printed_columns(csv_rows(text)) == [tuple(row) for row in printed]
    assert csv_rows(text) == downloaded


@pytest.mark.parametrize("file_format", ["xlsx", "docx"])
def test_the_command_writes_files_like_the_download(coordinator, tmp_path, file_format):
    path = tmp_path / f"table.{file_format}"

    call_command(
        "report", "indicators", "--period", "2021-2023", "--format", file_format, "--output", path
    )

    downloaded = export(coordinator, file_format, "period=2021-2023").content
    if file_format == "xlsx":
        assert xlsx_indicator_rows(path.read_bytes()) == xlsx_indicator_rows(downloaded)
    else:
        assert docx_rows(path.read_bytes()) == docx_rows(downloaded)


def test_each_export_writes_one_audit_row(coordinator):
    for file_format in ("xlsx", "docx", "csv"):
        before = AuditEvent.objects.count()
        export(coordinator, file_format, "period=2022")
        event = AuditEvent.objects.order_by("-id").first()
        assert AuditEvent.objects.count() == before + 1
        assert (event.action, event.actor.email) == ("export", "programme@nextsteps.example")
        assert file_format in event.detail


def test_the_hand_entered_figure_says_where_it_comes_from(coordinator):
    response = coordinator.get(reverse("reports:indicator_table"), {"period": "2021-2023"})

    assert "entered by hand" in response.content.decode()


# -- the financial report ----------------------------------------------------------------------


def test_the_financial_page_shows_the_printed_report(coordinator):
    response = coordinator.get(reverse("reports:financial"), {"period": "2021-2023"})

    content = response.content.decode()
    assert page_financial_rows(content) == PRINTED_FINANCIAL
    assert page_overspent_lines(content) == [
        row.line for row in FINANCIAL_REPORT if row.difference < 0
    ]


def test_the_financial_print_view_shows_the_printed_report(coordinator):
    response = coordinator.get(reverse("reports:financial_print"), {"period": "2021-2023"})

    assert page_financial_rows(response.content.decode()) == PRINTED_FINANCIAL


def test_the_financial_exports_hold_the_printed_report(coordinator):
    def download(file_format):
        response = coordinator.get(
            reverse("reports:financial_export", args=[file_format]), {"period": "2021-2023"}
        )
        assert response.status_code == 200
        return response.content

    assert xlsx_financial_rows(download("xlsx")) == PRINTED_FINANCIAL
    docx = docx_rows(download("docx"))
    assert docx[0] == ["Budget line", "Budget", "2021", "2022", "2023", "Total", "Difference"]
    assert [(cells[0], *map(number, cells[1:])) for cells in docx[1:]] == PRINTED_FINANCIAL
    rows = csv_rows(download("csv").decode())
    assert [tuple(row.values()) for row in rows] == [
        tuple(str(value) for value in row) for row in PRINTED_FINANCIAL
    ]


def test_the_command_prints_the_financial_report(demo_data, db):
    output = io.StringIO()

    call_command("report", "financial", "--period", "2021-2023", "--format", "csv", stdout=output)

    text = output.getvalue()
    assert text.splitlines()[0] == "\ufeffline,budget,2021,2022,2023,total,difference"
    assert [tuple(row.values()) for row in csv_rows(text)] == [
        tuple(str(value) for value in row) for row in PRINTED_FINANCIAL
    ]


def test_each_pillar_spending_sits_beside_its_results(coordinator):
    response = coordinator.get(reverse("reports:financial"), {"period": "2021-2023"})

    spending = {item[0].pillar: item[0] for item in response.context["pillars"]}
    assert {pillar: (s.budget, s.spent) for pillar, s in spending.items()} == {
        1: (43371, 50739),
        2: (54577, 53810),
        3: (6010, 6690),
    }
    assert [row.label for row in spending[2].results] == [
        row.indicator for row in TABLE_2021_2023 if row.pillar == 2
    ]


# -- large data: the same queries as the small plan of test_query_counts, which reads the same
# six kinds of rows --------------------------------------------------------------------------


def test_the_full_table_costs_as_few_queries_on_the_demo(coordinator, django_assert_num_queries):
    with django_assert_num_queries(24):
        coordinator.get(reverse("reports:indicator_table"), {"period": "2021-2023"})


def test_an_organisation_sees_its_contribution_with_the_same_queries(
    demo_data, db, client_of, django_assert_num_queries
):
    client = client_of(User.objects.get(email="coordinator@betania.example"))

    with django_assert_num_queries(22):
        response = client.get(reverse("reports:indicator_table"), {"period": "2021-2023"})

    assert response.status_code == 200


def test_a_caseworker_sees_no_report(demo_data, db, client_of):
    caseworker = make_member(
        Role.CASEWORKER, User.objects.get(email="caseworker@betania.example").organisation
    )

    response = client_of(caseworker).get(reverse("reports:indicator_table"))

    assert response.status_code == 403
