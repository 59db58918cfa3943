"""The referral flow end to end in Chromium: a Betania caseworker registers a person, logs
shelter and counselling, records her consent and refers her to IJM; an IJM caseworker accepts
and logs legal assistance; Betania's list and IJM's inbox show it. Every page is photographed on
a desktop and on a 390 px phone (artifacts/screenshots/referral-flow-*.png)."""

import os

import pytest
from django.utils import timezone

from accounts.enums import Role
from cases.models import Assistance, Referral
from tests.factories import (
    TEST_PASSWORD,
    LocationFactory,
    OrganisationFactory,
    ServiceTypeFactory,
    SubProjectFactory,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def partnership(db):
    LocationFactory(code="oradea")
    SubProjectFactory(code="main", name="Main project")
    for order, (code, name, unit) in enumerate(
        [
            ("shelter", "Shelter", "nights"),
            ("psychological-counselling", "Psychological counselling", "sessions"),
            ("legal-assistance", "Legal assistance", "hours"),
        ]
    ):
        ServiceTypeFactory(code=code, name=name, default_unit=unit, order=order)
    betania = OrganisationFactory(slug="betania", name="Betania", code_prefix="BET")
    ijm = OrganisationFactory(slug="ijm-romania", name="IJM Romania", code_prefix="IJM")
    return {
        "betania": make_member(Role.CASEWORKER, betania, email="caseworker@betania.example"),
        "ijm": make_member(Role.CASEWORKER, ijm, email="caseworker@ijm-romania.example"),
        "ijm_organisation": ijm,
    }


@pytest.fixture
def shoot(page, screenshot_dir):
    def take(name):
        path = os.path.join(screenshot_dir, f"referral-flow-{name}")
        page.screenshot(path=f"{path}-desktop.png", full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=f"{path}-phone.png", full_page=True)
        page.set_viewport_size(DESKTOP)

    return take


def log_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/cases/")


def log_assistance(page, service_label, quantity):
    page.click("main a:has-text('Log assistance')")
    page.select_option("select[name=service_type]", label=service_label)
    page.fill("input[name=date]", "2023-05-03")
    page.fill("input[name=quantity]", quantity)
    page.click("main button:has-text('Log assistance')")
    page.wait_for_selector(".alert-success")


def test_betania_refers_a_person_to_ijm_who_accepts_and_helps(page, partnership, shoot):
    # Betania registers a person
    log_in(page, partnership["betania"])
    shoot("1-betania-home")
    page.click("main a:has-text('Register a person')")
    page.fill("input[name=alias]", "Dana")
    page.select_option("select[name=category]", "victim_of_trafficking")
    page.fill("input[name=birth_year]", "1998")
    page.select_option("select[name=location]", label="Oradea")
    page.fill("input[name=intake_date]", "2023-05-02")
    page.select_option("select[name=intake_source]", "police")
    page.check("input[name=safety_flag]")
    page.click("main button:has-text('Register')")
    shoot("2-register-errors")  # the safety concern needs a reason
    assert "Say in a few words what the danger is" in page.inner_text("main")
    page.fill("input[name=safety_reason]", "Trafficker has been asking for her")
    page.fill("input[name=legal_name]", "Dana Identity-Secret")
    page.check("input[name=processing_consent]")
    page.click("main button:has-text('Register')")
    page.wait_for_url("**/cases/people/BET-2023-0001/")

    # ... logs shelter and counselling, records her consent to share with IJM, refers her
    log_assistance(page, "Shelter", "14")
    log_assistance(page, "Psychological counselling", "1")
    page.click("main a:has-text('Consent')")
    page.select_option("select[name=purpose]", "sharing")
    page.select_option("select[name=partner]", label="IJM Romania")
    page.check("input[name=action][value=given]")
    page.click("main button:has-text('Record consent')")
    page.click("main a:has-text('Refer')")
    shoot("3-refer-form")
    page.select_option("select[name=to_organisation]", label="IJM Romania")
    page.get_by_label("Legal assistance").check()
    # Legal help usually needs her legal name: the form ticks it; this time she shares only the
    # minimum.
    assert page.is_checked("input[name=shared_fields][value=legal_name]")
    for box in page.query_selector_all("input[name=shared_fields]"):
        box.uncheck()
    page.fill("textarea[name=message]", "Needs a lawyer for the hearing.")
    page.click("main button:has-text('Send referral')")
    page.wait_for_selector("text=Referral sent.")
    shoot("4-referral-sent")
    page.goto("/cases/people/BET-2023-0001/")
    assert "Trafficker has been asking for her" in page.inner_text("[data-testid=safety-flag]")
    shoot("5-betania-person")

    # IJM accepts and logs legal assistance
    log_in(page, partnership["ijm"])
    page.click("nav a:has-text('Referrals')")
    shoot("6-ijm-inbox-before")
    page.click("[data-testid=inbox] a:has-text('BET-2023-0001')")
    assert "Dana" not in page.inner_text("[data-testid=person]")
    page.click("main button:has-text('Accept')")
    page.wait_for_selector("[data-testid=shared-profile]")
    profile = page.inner_text("[data-testid=shared-profile]")
    assert "Dana" in profile
    assert "Identity-Secret" not in page.content()
    page.select_option("select[name=service_type]", label="Legal assistance")
    # Help in answer to a referral is dated on or after the day it was sent (today).
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.fill("input[name=quantity]", "3")
    page.click("main button:has-text('Log assistance')")
    page.wait_for_selector("[data-testid=referral-assistance]")
    shoot("7-ijm-referral-accepted")
    page.click("nav a:has-text('Referrals')")
    assert "BET-2023-0001" in page.inner_text("[data-testid=inbox]")
    shoot("8-ijm-inbox-after")

    # Betania's list shows her with the open referral
    log_in(page, partnership["betania"])
    page.click("nav a:has-text('People')")
    row = page.inner_text("[data-testid=people]")
    assert "BET-2023-0001" in row
    assert "open referral" in row
    shoot("9-betania-list")
    page.goto("/cases/people/BET-2023-0001/")
    assert "Legal assistance" in page.inner_text("[data-testid=timeline]")

    referral = Referral.objects.get()
    assert (referral.status, referral.to_organisation) == (
        "accepted",
        partnership["ijm_organisation"],
    )
    assert sorted(Assistance.objects.values_list("service_type__code", flat=True)) == [
        "legal-assistance",
        "psychological-counselling",
        "shelter",
    ]
