"""A case transferred in Chromium (issue 12 point 5): a Betania caseworker asks IJM to take over
a person's case, recording her consent on the same form; IJM's caseworker sees the bell, opens
the transfer (the minimal set only), accepts and lands on her whole record; Betania no longer
finds it. Screenshots: artifacts/screenshots/transfer-*.png."""

import os
from datetime import date

import pytest

from accounts.enums import Role
from cases import services
from tests.e2e.test_referral_flow_in_browser import log_in
from tests.factories import (
    BeneficiaryFactory,
    LocationFactory,
    OrganisationFactory,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership(db):
    betania = OrganisationFactory(slug="betania", name="Betania", code_prefix="BET")
    ijm = OrganisationFactory(slug="ijm-romania", name="IJM Romania", code_prefix="IJM")
    betania_worker = make_member(Role.CASEWORKER, betania, email="caseworker@betania.example")
    person = BeneficiaryFactory(
        organisation=betania,
        alias="Dana",
        legal_name="Dana Identity-Secret",
        location=LocationFactory(code="oradea"),
        intake_date=date(2023, 5, 2),
    )
    services.write_note(person, by=betania_worker, text="Wants to go back to Iasi")
    return {
        "betania": betania_worker,
        "ijm": make_member(Role.CASEWORKER, ijm, email="caseworker@ijm-romania.example"),
        "person": person,
    }


def test_a_case_moves_to_the_partner_with_her_consent(page, partnership, screenshot_dir):
    def shoot(name):
        page.screenshot(path=os.path.join(screenshot_dir, f"transfer-{name}.png"), full_page=True)

    person = partnership["person"]
    log_in(page, partnership["betania"])
    page.goto(f"/cases/people/{person.code}/")
    page.click("main a:has-text('Transfer the case')")
    page.select_option("select[name=to_organisation]", label="IJM Romania")
    page.fill("textarea[name=reason]", "She returns to Iasi")
    page.click("main button:has-text('Ask for the transfer')")
    # Without her consent nothing is asked, and the reason typed is still there.
    assert "only with the person's consent" in page.inner_text("main")
    assert page.input_value("textarea[name=reason]") == "She returns to Iasi"
    page.check("input[name=consent_given]")
    page.select_option("select[name=consent_given_by]", "person")
    page.select_option("select[name=consent_method]", "signed_form")
    shoot("1-betania-asks")
    page.click("main button:has-text('Ask for the transfer')")
    page.wait_for_selector("text=Transfer asked for")

    log_in(page, partnership["ijm"])
    assert page.inner_text("[data-testid=unread-count]") == "1"
    page.click("[data-testid=notification-bell]")
    assert "take over a case" in page.inner_text("main")
    page.click("[data-testid=notifications] button:has-text('Open')")
    profile = page.inner_text("[data-testid=transfer-profile]")
    assert person.code in profile and "Dana" in profile
    assert "Dana Identity-Secret" not in page.content()
    shoot("2-ijm-decides")
    page.click("main button:has-text('Accept: take the case over')")
    page.wait_for_url(f"**/cases/people/{person.code}/")
    page.click("[data-testid=identity] summary")
    assert "Dana Identity-Secret" in page.inner_text("[data-testid=identity]")
    assert "Wants to go back to Iasi" in page.inner_text("main")
    shoot("3-ijm-has-her-record")

    log_in(page, partnership["betania"])
    response = page.goto(f"/cases/people/{person.code}/")
    assert response.status == 404
