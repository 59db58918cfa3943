"""The person form in the browser: a country is found by typing part of its name (the list holds
every country), several countries of exploitation are ticked by touch, no "hold Ctrl"."""

import os

import pytest

from accounts.enums import Role
from cases.models import Beneficiary
from tests.factories import (
    TEST_PASSWORD,
    BeneficiaryFactory,
    LocationFactory,
    OrganisationFactory,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_finds_countries_by_typing_and_ticks_several(page, screenshot_dir):
    betania = OrganisationFactory(name="Betania", code_prefix="BET")
    make_member(Role.CASEWORKER, betania, email="caseworker@betania.example")
    person = BeneficiaryFactory(organisation=betania, location=LocationFactory(code="oradea"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.fill("input[name=username]", "caseworker@betania.example")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/cases/")

    page.goto(f"/cases/people/{person.code}/edit/")
    nationality_filter = page.locator("input.list-filter[aria-controls=id_nationality]")
    nationality_filter.fill("eritr")
    shown = page.eval_on_selector_all(
        "#id_nationality option:not([hidden])", "options => options.map(o => o.value)"
    )
    page.select_option("#id_nationality", "ER")
    countries_filter = page.locator("input.list-filter").nth(2)
    countries_filter.fill("liby")
    page.get_by_label("Libya").check()
    countries_filter.fill("ital")
    page.get_by_label("Italy").check()
    countries_filter.fill("")
    page.screenshot(path=os.path.join(screenshot_dir, "person-form-countries-390.png"))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/cases/people/{person.code}/")

    assert "ER" in shown
    assert "SY" not in shown and len(shown) < 5
    saved = Beneficiary.objects.get(pk=person.pk)
    assert saved.nationality.code == "ER"
    assert sorted(saved.countries_of_exploitation) == ["IT", "LY"]
