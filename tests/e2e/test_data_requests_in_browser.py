"""A person's data request end to end in Chromium: the data protection officer finds her record
by code, reads and downloads the access report (encrypted), erases the record; Betania sees the
stub, IJM (which received her by referral) is told in its inbox; the retention list and the
people export's password form. Each page is photographed on a desktop and a 390 px phone
(artifacts/screenshots/data-request-*.png)."""

import io
import os
import subprocess
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.enums import Role
from cases.enums import OutcomeKind, ReferralStatus
from cases.models import Beneficiary
from cases.services import record_outcome
from tests.cases.factories import AssistanceFactory, ReferralFactory
from tests.cases.test_access_report_document import words_broken
from tests.e2e.test_security_in_browser import log_in, screenshots
from tests.factories import (
    BeneficiaryFactory,
    OrganisationFactory,
    ServiceTypeFactory,
    make_member,
)
from tests.office_files import decrypted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "four words make a key"


@pytest.fixture
def partnership(db):
    betania = OrganisationFactory(slug="betania", name="Betania", code_prefix="BET")
    ijm = OrganisationFactory(slug="ijm-romania", name="IJM Romania", code_prefix="IJM")
    person = BeneficiaryFactory(
        organisation=betania,
        alias="Mirela",
        legal_name="Ionela Popescu",
        safety_flag=True,
        safety_reason="Trafficker looking for her",
    )
    referral = ReferralFactory(
        beneficiary=person,
        to_organisation=ijm,
        status=ReferralStatus.ACCEPTED,
        message="Needs a lawyer for the hearing in March.",
    )
    referral.services.set([ServiceTypeFactory(code="legal-assistance", name="Legal assistance")])
    AssistanceFactory(beneficiary=person, note="Two nights, then moved to the safe flat.")
    AssistanceFactory(beneficiary=person, organisation=ijm, referral=referral)
    for number in range(3):
        old = BeneficiaryFactory(
            organisation=betania if number else ijm,
            status="closed",
            intake_date=date(2014, 2, 1) + timedelta(days=40 * number),
        )
        Beneficiary.objects.filter(pk=old.pk).update(
            updated_at=timezone.now() - timedelta(days=7 * 365)
        )
    return {
        "person": person,
        "dpo": make_member(Role.DATA_PROTECTION_OFFICER, email="dpo@nextsteps.example"),
        "betania": make_member(Role.CASEWORKER, betania, email="caseworker@betania.example"),
        "ijm": make_member(Role.CASEWORKER, ijm, email="caseworker@ijm-romania.example"),
    }


def test_the_data_protection_officer_answers_a_request(page, screenshot_dir, partnership):
    person = partnership["person"]
    log_in(page, partnership["dpo"].email)
    page.wait_for_url("**/data-protection/")
    page.click("main >> text=Data requests")
    page.fill("input[name=code]", person.code.lower())
    page.click("[data-testid=find-form] button[type=submit]")
    page.wait_for_url(f"**/data-requests/{person.code}/")
    assert "Mirela" not in page.inner_text("main")
    screenshots(page, screenshot_dir, "data-request-summary")

    page.click("text=Access report (article 15)")
    assert "Ionela Popescu" in page.inner_text("[data-testid=section-identity]")
    screenshots(page, screenshot_dir, "data-request-access-report")

    page.click("text=Download (encrypted Word document)")
    page.wait_for_url("**/access-report/download/")
    screenshots(page, screenshot_dir, "data-request-export-password")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_again]", PASSWORD)
    with page.expect_download() as download:
        page.click("[data-testid=export-form] button[type=submit]")
    content = open(download.value.path(), "rb").read()  # noqa: SIM115
    assert not zipfile.is_zipfile(io.BytesIO(content))
    assert zipfile.is_zipfile(io.BytesIO(decrypted(content, PASSWORD)))

    page.goto(f"/cases/data-requests/{person.code}/erase/")
    screenshots(page, screenshot_dir, "data-request-erasure-confirmation")
    page.check("input[value=request]")
    page.fill("input[name=confirm_code]", person.code)
    page.click("[data-testid=erasure-form] button[type=submit]")
    page.wait_for_url(f"**/data-requests/{person.code}/")
    assert "erased" in page.inner_text("[data-testid=data-request-summary]")

    page.goto("/cases/data-requests/retention/")
    assert "3 records are due." in page.inner_text("[data-testid=due-count]")
    screenshots(page, screenshot_dir, "data-request-retention-list")


def test_the_organisations_see_the_erased_stub(page, screenshot_dir, partnership):
    from cases.enums import ErasureGround
    from cases.services import erase_beneficiary

    person = partnership["person"]
    erase_beneficiary(person, ground=ErasureGround.REQUEST, by=partnership["dpo"])

    log_in(page, partnership["betania"].email)
    page.wait_for_url("**/cases/")
    page.goto(f"/cases/people/{person.code}/")
    assert "This record was erased on" in page.inner_text("main")
    screenshots(page, screenshot_dir, "data-request-erased-stub")
    page.goto("/cases/people/")
    assert "erased" in page.inner_text("[data-testid=people]")
    screenshots(page, screenshot_dir, "data-request-people-list-with-a-stub")
    page.click("text=Export this list (encrypted)")
    page.wait_for_url("**/people/export/**")
    screenshots(page, screenshot_dir, "data-request-people-export-password")

    page.context.clear_cookies()
    log_in(page, partnership["ijm"].email)
    page.wait_for_url("**/cases/")
    page.goto("/cases/referrals/")
    assert person.code in page.inner_text("[data-testid=erasure-notices]")
    screenshots(page, screenshot_dir, "data-request-erasure-notice")


@pytest.mark.parametrize("language", ["en", "ro", "nl"])
def test_the_printed_access_report_breaks_no_word(
    page, live_server, screenshot_dir, partnership, language
):
    """Chromium's print of the report (what the officer hands over): every word whole, labels
    instead of codes, at 390, 1280 and 1366 px on screen too."""
    person = partnership["person"]
    record_outcome(
        person,
        kind=OutcomeKind.REPORTED_TO_POLICE,
        on=timezone.localdate(),
        by=partnership["betania"],
    )
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    log_in(page, partnership["dpo"].email)
    page.wait_for_url("**/data-protection/")
    page.goto(f"/cases/data-requests/{person.code}/access-report/")
    for width in (390, 1280, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(
            path=os.path.join(screenshot_dir, f"access-report-{language}-{width}.png"),
            full_page=True,
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    shown = page.inner_text("main")

    page.emulate_media(media="print")
    pdf = Path(screenshot_dir) / f"access-report-print-{language}.pdf"
    page.pdf(path=str(pdf), format="A4")

    printed = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for code in ("reported_to_police", "legal-assistance", "ijm-romania"):
        assert code not in printed and code not in shown
    assert words_broken(printed.split(), set(shown.split())) == []
