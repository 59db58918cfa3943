"""The home page's search field on a phone (390 px), in every language: its placeholder, the
hint of what to type, is read whole and not cut off (the Dutch one was). The screenshots are
left in artifacts/screenshots/ to be looked at."""

import os

import pytest

from accounts.enums import Role
from tests.e2e.test_security_in_browser import log_in
from tests.factories import OrganisationFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The width the placeholder's text takes in the field's own font, and the room the field
# leaves it inside its padding.
PLACEHOLDER_FIT = """() => {
    const field = document.querySelector("#home-search");
    const style = getComputedStyle(field);
    const context = document.createElement("canvas").getContext("2d");
    context.font = style.font;
    const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {text: context.measureText(field.placeholder).width, room: room};
}"""


@pytest.mark.parametrize("language", ["en", "ro", "nl"])
def test_the_search_hint_fits_on_a_phone(page, live_server, screenshot_dir, language):
    make_member(Role.CASEWORKER, OrganisationFactory(), email="caseworker@betania.example")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "caseworker@betania.example")
    page.wait_for_url("**/cases/")

    page.screenshot(path=os.path.join(screenshot_dir, f"home-search-{language}-390.png"))
    fit = page.evaluate(PLACEHOLDER_FIT)
    assert fit["text"] <= fit["room"], f"the {language} search hint is cut off: {fit}"
