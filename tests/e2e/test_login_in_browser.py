import os

import pytest

from accounts.enums import Role
from tests.factories import TEST_PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_logs_in_and_sees_her_organisation(page, screenshot_dir):
    from tests.factories import OrganisationFactory

    make_member(
        Role.CASEWORKER, OrganisationFactory(name="Betania"), email="caseworker@betania.example"
    )

    page.goto("/")
    page.fill("input[name=username]", "caseworker@betania.example")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")

    page.wait_for_url("**/cases/")
    assert "Betania" in page.inner_text("[data-testid=current-organisation]")
    page.screenshot(path=os.path.join(screenshot_dir, "caseworker-home.png"), full_page=True)
