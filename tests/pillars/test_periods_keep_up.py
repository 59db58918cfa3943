"""Periods that keep up with time: a programme has a year period for each of its years as soon as
it exists (after migrating too), the reports landing, tables and dashboards open on the current
year, and what is logged today shows in this year's table and dashboard of the follow-on
programme (2024-2026)."""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Organisation
from cases.models import Beneficiary, ServiceType
from cases.services import log_assistance, register_beneficiary
from pillars.models import Location, Period, Programme, SubProject
from tests.factories import make_member
from tests.processes import ROOT

PLAN_FILES = [
    ROOT / "plans" / "next-steps-2021-2023.yaml",
    ROOT / "demo" / "plans" / "next-steps-2024-2026.yaml",
]
FOLLOW_ON = "Next Steps 2024-2026"


@pytest.fixture
def plans(db):
    for path in PLAN_FILES:
        call_command("load_plan", str(path), stdout=io.StringIO())


@pytest.fixture
def coordinator(plans, client_of):
    """Logs the programme coordinator in on the day the test travels to (sessions expire)."""
    member = make_member(Role.PROGRAMME_COORDINATOR)
    return lambda: client_of(member)


def labels_of(programme_name):
    return list(
        Period.objects.filter(programme__name=programme_name)
        .order_by("kind", "start_date")
        .values_list("label", flat=True)
    )


def test_a_programme_has_a_period_for_each_year_as_soon_as_it_is_loaded(plans):
    assert labels_of(FOLLOW_ON) == ["2024-2026", "2024", "2025", "2026"]
    assert labels_of("Next Steps") == ["2021-2023", "2021", "2022", "2023"]
    # The first year is cut to the programme's start.
    assert Period.objects.get(label="2021").start_date == date(2021, 8, 1)


def test_a_programme_without_its_periods_gets_them_after_migrating(plans):
    programme = Programme.objects.get(name=FOLLOW_ON)
    Period.objects.filter(programme=programme).delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert labels_of(FOLLOW_ON) == ["2024-2026", "2024", "2025", "2026"]
    assert Period.objects.get(label="2025").layout == programme.year_layout


@pytest.mark.parametrize(
    ("today", "opens_on"),
    [
        ("2022-06-01", "2022"),
        ("2025-03-10", "2025"),
        ("2026-11-30", "2026"),
        # Between programmes: the last one's whole table, as its final report.
        ("2027-02-01", "2024-2026"),
    ],
)
def test_the_reports_open_on_the_current_year(coordinator, today, opens_on):
    with time_machine.travel(date.fromisoformat(today), tick=False):
        client = coordinator()
        landing = client.get(reverse("reports:home"))
        table = client.get(reverse("reports:indicator_table"))
        dashboard = client.get(reverse("reports:dashboard"))

    assert landing.context["current_period"].label == opens_on
    assert table.context["period"].label == opens_on
    assert dashboard.context["period"].label == opens_on
    assert f'href="/reports/dashboard/?period={opens_on}"' in landing.content.decode()


def figure_of(response, code):
    rows = [item["row"] for _section, items in response.context["sections"] for item in items]
    row = next(row for row in rows if row.indicator and row.indicator.code == code)
    return row.result, row.target


def test_what_is_logged_today_shows_in_this_years_table_and_dashboard(coordinator):
    betania = Organisation.objects.get(slug="betania")
    caseworker = make_member(Role.CASEWORKER, betania)
    with time_machine.travel(date(2026, 5, 4), tick=False):
        client = coordinator()
        before = figure_of(client.get(reverse("reports:indicator_table")), "p1-people-assisted")
        person = register_beneficiary(
            Beneficiary(
                alias="Newcomer",
                category="exiting_prostitution",
                location=Location.objects.get(code="oradea"),
                intake_date=date(2026, 5, 4),
                intake_source="outreach",
            ),
            by=caseworker,
        )
        log_assistance(
            person,
            by=caseworker,
            service_type=ServiceType.objects.get(code="shelter"),
            date=date(2026, 5, 4),
            quantity=Decimal(3),
            unit="nights",
            sub_project=SubProject.objects.get(code="main"),
        )
        table = client.get(reverse("reports:indicator_table"))
        dashboard = client.get(reverse("reports:dashboard"))

    assert table.context["period"].label == "2026"
    assert before == (0, Decimal(50))
    assert figure_of(table, "p1-people-assisted") == (1, Decimal(50))
    assert figure_of(table, "p1-new-people") == (1, Decimal(35))
    assert figure_of(dashboard, "p1-people-assisted") == (1, Decimal(50))
