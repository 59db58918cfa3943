"""The caseworker's day in Chromium: she plans a goal for a person and adds a task to it, sees
the task overdue on her home page (and counted in the navigation), completes it, writes a note
and corrects it, and voids an entry of assistance logged by mistake; the organisation's
coordinator sees the figure that counted it move back. The home page, the person's page and the
printable case summary are photographed at 1280 and 390 px
(artifacts/screenshots/caseworkers-day-*.png)."""

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.enums import Role
from cases.models import Assistance, CaseNote, Task
from pillars.enums import ComputationKind
from tests.cases.factories import AssistanceFactory
from tests.factories import (
    TEST_PASSWORD,
    BeneficiaryFactory,
    GoalTypeFactory,
    OrganisationFactory,
    ServiceTypeFactory,
    make_member,
)
from tests.pillars.factories import IndicatorFactory, add_row, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def day():
    plan = make_plan()
    betania = OrganisationFactory(slug="betania", name="Betania", code_prefix="BET")
    plan.caseworker = make_member(Role.CASEWORKER, betania, email="caseworker@betania.example")
    plan.coordinator = make_member(
        Role.ORGANISATION_COORDINATOR, betania, email="coordinator@betania.example"
    )
    GoalTypeFactory(code="employment", name="A job", outcome_kind="employed")
    shelter = ServiceTypeFactory(code="shelter", name="Shelter", default_unit="nights")
    plan.person = BeneficiaryFactory(
        organisation=betania,
        alias="Elena",
        location=plan.oradea,
        intake_date=date(2023, 1, 10),
        safety_flag=True,
        safety_reason="Her former pimp asks about her at the station",
    )
    plan.assisted = IndicatorFactory(
        programme=plan.programme,
        pillar=plan.pillars[1],
        code="p1-sheltered",
        label="Women given shelter",
        computation=ComputationKind.ASSISTED_PEOPLE,
        parameters={"service_types": ["shelter"]},
    )
    add_row(plan, plan.assisted)
    # Logged by mistake: she was never in the shelter.
    plan.mistake = AssistanceFactory(
        beneficiary=plan.person,
        service_type=shelter,
        sub_project=plan.main,
        date=date(2023, 2, 1),
        quantity=3,
        unit="nights",
    )
    return plan


@pytest.fixture
def shoot(page, screenshot_dir):
    def take(name):
        path = os.path.join(screenshot_dir, f"caseworkers-day-{name}")
        page.screenshot(path=f"{path}-desktop.png", full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=f"{path}-phone.png", full_page=True)
        page.set_viewport_size(DESKTOP)

    return take


def log_in(page, user, lands_on):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{lands_on}")


def sheltered_in_2023(page, day):
    period = day.periods["2023"]
    page.goto(f"/plan/indicators/?period={period.public_id}&pillar=1")
    return page.inner_text("[data-testid=result-p1-sheltered] .fw-semibold")


def test_a_caseworker_plans_follows_up_writes_and_corrects(page, day, shoot):
    log_in(page, day.coordinator, "/reports/")
    assert sheltered_in_2023(page, day) == "1"

    log_in(page, day.caseworker, "/cases/")
    person_url = f"/cases/people/{day.person.code}/"

    # A goal in her plan, and a task for it, due yesterday (it is overdue).
    page.goto(person_url)
    page.click("main a:has-text('Add a goal')")
    page.select_option("select[name=goal_type]", label="A job")
    page.fill("input[name=title]", "At the sewing atelier")
    page.click("main button:has-text('Add the goal')")
    page.wait_for_selector("[data-testid=goal]:has-text('A job: At the sewing atelier')")
    page.click("main a:has-text('Add a task')")
    shoot("1-task-form")
    page.fill("input[name=title]", "Court hearing: check the shelter place")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.fill("input[name=due_date]", yesterday.isoformat())
    page.select_option("select[name=goal]", label="A job: At the sewing atelier")
    page.click("main button:has-text('Add the task')")
    page.wait_for_selector("[data-testid=open-tasks] >> text=Court hearing")

    # Home: the task is overdue, and the navigation counts it.
    page.click("nav a:has-text('Casework')")
    task = page.locator("[data-testid=my-tasks] [data-testid=task]")
    assert "overdue" in task.inner_text()
    assert "Court hearing: check the shelter place" in task.inner_text()
    assert page.inner_text("nav [data-testid=nav-count]").startswith("1")
    shoot("2-home-overdue")

    task.locator("button:has-text('Done')").click()
    page.wait_for_selector("text=Nothing due this week.")
    assert page.locator("nav [data-testid=nav-count]").count() == 0
    assert Task.objects.get().is_done

    # A note, then its correction: the earlier version stays, struck through.
    page.goto(person_url)
    page.click("main a:has-text('Write a note')")
    page.fill("textarea[name=text]", "Hearing on 12 May; she wants a lawyer with her.")
    page.click("main button:has-text('Save the note')")
    page.click("[data-testid=note] a:has-text('Correct')")
    page.fill("textarea[name=text]", "Hearing on 15 May; she wants a lawyer with her.")
    page.fill("input[name=reason]", "The court moved the hearing")
    page.click("main button:has-text('Save the correction')")
    notes = page.inner_text("[data-testid=notes]")
    assert notes.index("15 May") < notes.index("12 May")
    assert "The court moved the hearing" in notes
    assert CaseNote.objects.filter(corrects__isnull=False).count() == 1

    # The shelter logged by mistake is voided: it stays on the timeline, marked.
    page.click("[data-testid=timeline] a:has-text('Void')")
    page.fill("textarea[name=reason]", "Logged for the wrong person")
    page.click("main button:has-text('Void the entry')")
    page.wait_for_selector("[data-testid=timeline] >> text=voided")
    assert not Assistance.objects.filter(pk=day.mistake.pk).exists()
    shoot("3-person-plan-tasks-notes")

    # The printable summary of her case.
    page.click("main a:has-text('Case summary')")
    summary = page.inner_text("[data-testid=case-summary]")
    assert "A job: At the sewing atelier" in summary
    assert "Hearing on 15 May" in summary
    shoot("4-case-summary")

    # The figure that counted her moves back.
    log_in(page, day.coordinator, "/reports/")
    assert sheltered_in_2023(page, day) == "0"
