"""In the browser: an organisation coordinator logs a vocational training course with the people
who took part, and sees the indicator that counts them go up, on the activity and in the plan."""

import os
from datetime import date

import pytest

from accounts.enums import Role
from pillars.enums import ActivityKind, ComputationKind
from tests.factories import TEST_PASSWORD, BeneficiaryFactory, OrganisationFactory, make_member
from tests.pillars.factories import ActivityFactory, IndicatorFactory, add_row, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def setting():
    plan = make_plan()
    betania = OrganisationFactory(slug="betania", name="Betania", code_prefix="BET")
    make_member(Role.ORGANISATION_COORDINATOR, betania, email="coordinator@betania.example")
    women = BeneficiaryFactory.create_batch(3, organisation=betania, location=plan.oradea)
    plan.trained = IndicatorFactory(
        programme=plan.programme,
        pillar=plan.pillars[1],
        code="p1-vocational-training",
        label="People involved in Vocational Training Course",
        computation=ComputationKind.ACTIVITY_PEOPLE,
        parameters={"activity_kinds": [ActivityKind.VOCATIONAL_TRAINING_COURSE]},
    )
    add_row(plan, plan.trained)
    # One woman already trained in spring: she counts once, however many courses she follows.
    ActivityFactory(
        pillar=plan.pillars[1],
        organisation=betania,
        kind=ActivityKind.VOCATIONAL_TRAINING_COURSE,
        title="Sewing course, spring",
        starts_on=date(2022, 3, 7),
        location=plan.oradea,
        sub_project=plan.main,
        participants=1,
        people=women[:1],
    )
    plan.women = women
    return plan


def shoot(page, screenshot_dir, name):
    page.screenshot(path=os.path.join(screenshot_dir, f"{name}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=os.path.join(screenshot_dir, f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def figure_in_plan(page, setting):
    period = setting.periods["2022"]
    page.goto(f"/plan/indicators/?period={period.public_id}&pillar=1")
    return page.inner_text("[data-testid=result-p1-vocational-training] .fw-semibold")


def test_a_coordinator_logs_an_activity_and_sees_the_indicator_it_feeds_change(
    page, screenshot_dir, setting
):
    page.goto("/")
    page.fill("input[name=username]", "coordinator@betania.example")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/reports/")

    assert figure_in_plan(page, setting) == "1"

    page.goto("/plan/activities/new/")
    page.select_option("#id_pillar", str(setting.pillars[1].pk))
    page.select_option("#id_kind", ActivityKind.VOCATIONAL_TRAINING_COURSE.value)
    page.fill("#id_title", "Sewing and tailoring course, autumn")
    page.fill("#id_starts_on", "2022-10-04")
    page.select_option("#id_location", str(setting.oradea.pk))
    page.select_option("#id_sub_project", str(setting.main.pk))
    # The woman of the spring course and two more
    page.fill("#id_participant_codes", "\n".join(woman.code for woman in setting.women))
    page.check("input[name=audiences][value=beneficiaries]")
    shoot(page, screenshot_dir, "pillars-activity-form")
    page.click("form.record-form button[type=submit]")

    page.wait_for_selector("[data-testid=fed-indicators]")
    registered = page.inner_text("[data-testid=registered-people]")
    assert all(woman.code in registered for woman in setting.women)
    assert page.inner_text("[data-testid=participants]") == "3"
    on_activity = page.inner_text("[data-testid=figure-p1-vocational-training-2022] .fw-semibold")
    assert on_activity == "3"
    shoot(page, screenshot_dir, "pillars-activity-detail")

    assert figure_in_plan(page, setting) == "3"
    shoot(page, screenshot_dir, "pillars-indicator-plan-after")
