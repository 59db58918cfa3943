import os

import pytest
from django.core.management import call_command

from tests.data.printed_reports import TABLE_2021_2023, TABLE_2022
from tests.reports.reading import printed_as_page, xlsx_indicator_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a demo password for the browser"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("load_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115


def log_in(page, email):
    page.goto("/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/reports/")


def shoot(page, screenshot_dir, name):
    for size, suffix in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        page.set_viewport_size(size)
        page.screenshot(path=os.path.join(screenshot_dir, f"{name}-{suffix}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def page_results(page):
    return [
        cell.inner_text().replace(",", "")
        for cell in page.query_selector_all("[data-testid=indicator-table] .result-value")
    ]


def test_a_coordinator_filters_the_programme_table_and_downloads_it(demo, page, screenshot_dir):
    log_in(page, "programme@nextsteps.example")

    page.click("text=Results August 2021 - December 2023")
    page.wait_for_url("**/reports/indicators/?period=2021-2023")
    assert page_results(page) == [
        str(row.result) for row in TABLE_2021_2023 if row.result is not None
    ]
    shoot(page, screenshot_dir, "reports-table-2021-2023")

    page.select_option("select[name=organisation]", "betania")
    page.click("form.report-filters button[type=submit]")
    page.wait_for_url("**organisation=betania**")
    assert "Organisation: Betania" in page.inner_text("main")
    betania = page_results(page)
    assert betania != [str(row.result) for row in TABLE_2021_2023 if row.result is not None]

    with page.expect_download() as download:
        page.click("[data-testid=export-xlsx]")
    assert download.value.suggested_filename == "indicators-2021-2023-betania.xlsx"
    with open(download.value.path(), "rb") as workbook:
        headings, rows = xlsx_indicator_rows(workbook.read())
    assert [str(result) for _label, _target, result, *_ in rows if result is not None] == betania
    assert [label for label, *_ in rows] == [
        label for _pillar, label, *_ in printed_as_page(TABLE_2021_2023)
    ]
    assert len(headings) == 3


def test_screenshots_of_the_dashboard_and_the_financial_report(demo, page, screenshot_dir):
    log_in(page, "programme@nextsteps.example")

    page.goto("/reports/dashboard/?period=2022&pillar=3")
    figures = [row for row in TABLE_2022 if row.pillar == 3 and row.target is not None]
    assert page.locator("[data-testid=indicator-card]").count() == len(figures)
    shoot(page, screenshot_dir, "reports-dashboard-2022")

    page.goto("/reports/financial/?period=2021-2023")
    assert "306,268" in page.inner_text("[data-testid=financial-table]")
    shoot(page, screenshot_dir, "reports-financial")

    page.goto("/reports/dashboard/referrals/?period=2021-2023")
    shoot(page, screenshot_dir, "reports-referrals")


def test_an_organisation_coordinator_sees_her_own_figures(demo, page, screenshot_dir):
    log_in(page, "coordinator@betania.example")

    page.goto("/reports/indicators/?period=2022")

    assert "contribution of Betania" in page.inner_text("main")
    assert page.locator("select[name=organisation]").count() == 0
    shoot(page, screenshot_dir, "reports-table-2022-betania")
