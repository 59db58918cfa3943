"""Forms that fit the people served (issue 15, point 4), in Chromium, in English, Romanian and
Dutch, at 390, 1280 and 1366 px: the activity form offers the volunteers active today first,
with dates written the local way; the screenshots are left in artifacts/screenshots/ to be
looked at."""

import os
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from accounts.enums import Role
from tests.e2e.test_security_in_browser import log_in
from tests.factories import OrganisationFactory, make_member
from tests.pillars.factories import VolunteerFactory, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "ro", "nl"]
WIDTHS = [390, 1280, 1366]


@pytest.fixture
def betania(db):
    make_plan()
    betania = OrganisationFactory(slug="betania", name="Betania", code_prefix="BET")
    make_member(Role.ORGANISATION_COORDINATOR, betania, email="coordinator@betania.example")
    VolunteerFactory(
        organisation=betania,
        name="Ana Left",
        active_from=date(2021, 3, 1),
        active_until=date(2022, 6, 30),
    )
    VolunteerFactory(organisation=betania, name="Zoe Current", active_from=date(2022, 9, 5))
    return betania


def shoot_at_every_width(page, screenshot_dir, name):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(screenshot_dir, f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth") - width
        assert overflow <= 0, f"{name} is {overflow}px too wide at {width}px"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_volunteers_active_today_come_first(
    page, live_server, screenshot_dir, betania, language
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    log_in(page, "coordinator@betania.example")
    page.wait_for_url("**/")
    page.goto(reverse("pillars:activity_create"))

    volunteers = page.locator("#id_volunteers label, [id^=id_volunteers] + label").all_inner_texts()
    names = [text for text in volunteers if "Ana" in text or "Zoe" in text]
    with translation.override(language):
        since = date_format(date(2022, 9, 5), "SHORT_DATE_FORMAT")
    assert names[0].startswith("Zoe Current") and since in names[0]
    assert names[1].startswith("Ana Left")
    assert "2022-09-05" not in page.inner_text("main")
    page.locator("text=Zoe Current").scroll_into_view_if_needed()
    shoot_at_every_width(page, screenshot_dir, f"activity-form-volunteers-{language}")


@pytest.fixture
def andrei(db):
    from cases.enums import Sex
    from tests.factories import BeneficiaryFactory, LocationFactory

    betania = OrganisationFactory(slug="betania", name="Betania", code_prefix="BET")
    OrganisationFactory(slug="ijm-romania", name="IJM Romania", code_prefix="IJM")
    make_member(Role.CASEWORKER, betania, email="caseworker@betania.example")
    return BeneficiaryFactory(
        organisation=betania, alias="Andrei", sex=Sex.MALE, location=LocationFactory()
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_mans_pages_do_not_call_him_she(page, live_server, screenshot_dir, andrei, language):
    from tests.cases.test_wording_for_every_sex import GENDERED

    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    log_in(page, "caseworker@betania.example")
    page.wait_for_url("**/cases/")
    for name in ("beneficiary_detail", "referral_create", "consent_create"):
        page.goto(reverse(f"cases:{name}", kwargs={"code": andrei.code}))

        assert GENDERED[language].findall(page.inner_text("main")) == [], name
        shoot_at_every_width(page, screenshot_dir, f"man-{name.replace('_', '-')}-{language}")
