"""Registering a woman who is already known, in the browser: the warning names the organisation's
own record with a link, says only "a partner organisation" for a partner's, keeps what was typed,
and the registration goes through once a reason is given."""

import os

import pytest

from accounts.enums import Role
from cases import services
from cases.models import Beneficiary
from tests.factories import TEST_PASSWORD, LocationFactory, OrganisationFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _known(user, location, **identity):
    return services.register_beneficiary(
        Beneficiary(
            category="exiting_prostitution", location=location, intake_source="outreach", **identity
        ),
        by=user,
    )


def test_a_known_woman_is_flagged_and_registered_with_a_reason(page, screenshot_dir):
    betania = OrganisationFactory(name="Betania", code_prefix="BET")
    partner = OrganisationFactory(name="Partner Shelter", code_prefix="PAR")
    caseworker = make_member(Role.CASEWORKER, betania, email="caseworker@betania.example")
    oradea = LocationFactory(code="oradea", name="Oradea")
    ours = _known(caseworker, oradea, alias="Mirela", legal_name="Ioana Popescu")
    ours.date_of_birth = "1999-03-12"
    services.update_beneficiary(ours, changed_fields=["date_of_birth"], by=caseworker)
    theirs = _known(
        make_member(Role.CASEWORKER, partner), oradea, alias="Cireasa", phone="+40 721 000 000"
    )
    page.goto("/")
    page.fill("input[name=username]", "caseworker@betania.example")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/cases/")

    page.goto("/cases/people/new/")
    page.fill("#id_alias", "Dana")
    page.select_option("#id_category", "exiting_prostitution")
    page.select_option("#id_location", str(oradea.pk))
    page.select_option("#id_intake_source", "outreach")
    page.check("#id_processing_consent")
    page.fill("#id_legal_name", "IOANA  POPÉSCU")
    page.fill("#id_date_of_birth", "12/03/1999")
    page.fill("#id_phone", "0040 721 000 000")
    page.click("main form button[type=submit]")

    warning = page.get_by_test_id("likely-matches")
    text = warning.inner_text()
    page.screenshot(path=os.path.join(screenshot_dir, "duplicate-warning.png"), full_page=True)
    assert f"This may be {ours.code}" in text
    assert "known to a partner organisation" in text
    content = page.content()
    for secret in (theirs.code, "Cireasa", "Partner Shelter"):
        assert secret not in content
    assert page.input_value("#id_legal_name") == "IOANA  POPÉSCU"

    page.fill("#id_new_person_reason", "Her namesake; we met both of them.")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/cases/people/BET-*/")

    assert Beneficiary.objects.filter(organisation=betania).count() == 2
