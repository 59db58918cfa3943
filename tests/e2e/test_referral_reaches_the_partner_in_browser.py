"""A referral that reaches the partner, end to end in Chromium (issue 12): Betania adds a police
report to a person's file and refers her to IJM with her consent recorded in the same step,
her legal name and the danger she is in shared, and a safe contact; the document is shared on
the referral. IJM's caseworker sees the bell, opens the notification, accepts, sees exactly the
chosen fields, the safe contact and the document, downloads it, records an outcome and
completes the referral, after which she sees nothing of the person. Betania sees the outcome.
Every page is photographed at 1280 px and on a 390 px phone
(artifacts/screenshots/partner-*.png)."""

import os
from datetime import date
from pathlib import Path

import pytest

from accounts.enums import Role
from cases.models import ConsentEvent, Outcome, Referral
from tests.documents.files import PDF
from tests.factories import (
    TEST_PASSWORD,
    BeneficiaryFactory,
    LocationFactory,
    OrganisationFactory,
    ServiceTypeFactory,
    SubProjectFactory,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
REPORT = PDF + b"%Statement given to the police in Oradea\n"


@pytest.fixture
def partnership(db):
    location = LocationFactory(code="oradea")
    SubProjectFactory(code="main", name="Main project")
    for order, (code, name, unit) in enumerate(
        [("shelter", "Shelter", "nights"), ("legal-assistance", "Legal assistance", "hours")]
    ):
        ServiceTypeFactory(code=code, name=name, default_unit=unit, order=order)
    betania = OrganisationFactory(slug="betania", name="Betania", code_prefix="BET")
    ijm = OrganisationFactory(slug="ijm-romania", name="IJM Romania", code_prefix="IJM")
    person = BeneficiaryFactory(
        organisation=betania,
        location=location,
        alias="Dana",
        intake_date=date(2023, 5, 2),
        legal_name="Dana Identity-Secret",
        date_of_birth="1998-04-01",
        phone="+40 711 000 999",
        safety_flag=True,
        safety_reason="Trafficker has been asking for her",
    )
    return {
        "betania": make_member(Role.CASEWORKER, betania, email="caseworker@betania.example"),
        "ijm": make_member(Role.CASEWORKER, ijm, email="caseworker@ijm-romania.example"),
        "person": person,
    }


@pytest.fixture
def shoot(page, screenshot_dir):
    def take(name):
        path = os.path.join(screenshot_dir, f"partner-{name}")
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


def test_a_referral_reaches_the_partner_and_ends(page, partnership, shoot, tmp_path):
    person = partnership["person"]
    file_page = f"/cases/people/{person.code}/"

    # Betania adds the police report to her file
    log_in(page, partnership["betania"])
    page.goto(file_page)
    page.click("[data-testid=documents] a:has-text('Add a document')")
    page.select_option("select[name=kind]", "police_report")
    upload = tmp_path / "police-report.pdf"
    upload.write_bytes(REPORT)
    page.set_input_files("input[name=file]", str(upload))
    page.click("main button:has-text('Add document')")
    page.wait_for_selector("text=Document added, encrypted.")
    shoot("1-betania-file-with-document")

    # ... and refers her to IJM: consent in the same step, what IJM sees, a safe contact
    page.click("main a:has-text('Refer')")
    page.select_option("select[name=to_organisation]", label="IJM Romania")
    page.get_by_label("Legal assistance").check()
    # Legal help usually needs her legal name and documents: the form ticks them.
    assert page.is_checked("input[name=shared_fields][value=legal_name]")
    assert page.is_checked("input[name=shared_fields][value=document_numbers]")
    for box in page.query_selector_all("input[name=shared_fields]"):
        box.uncheck()
    page.check("input[name=shared_fields][value=legal_name]")
    page.check("input[name=shared_fields][value=safety_reason]")
    page.fill("textarea[name=message]", "Needs a lawyer for the hearing.")
    page.fill("input[name=safe_phone]", "+40 799 123 456")
    page.fill("input[name=meeting_point]", "Pharmacy on Strada Republicii")
    page.click("main button:has-text('Send referral')")
    # No consent recorded yet: the form says so and keeps everything typed.
    page.wait_for_selector(
        "text=The person has not consented to sharing the record with IJM Romania"
    )
    assert page.input_value("textarea[name=message]") == "Needs a lawyer for the hearing."
    assert page.input_value("input[name=safe_phone]") == "+40 799 123 456"
    shoot("2-refer-form-asks-for-consent")
    page.check("input[name=consent_given]")
    page.select_option("select[name=consent_given_by]", "person")
    page.select_option("select[name=consent_method]", "signed_form")
    page.click("main button:has-text('Send referral')")
    page.wait_for_selector("text=Referral sent.")
    page.click("main a:has-text('Choose documents to share')")
    page.get_by_label("Police report · police-report.pdf").check()
    page.click("main button:has-text('Share')")
    page.wait_for_selector("[data-testid=referral-documents] [data-testid=document-link]")
    shoot("3-betania-referral-sent")

    # IJM sees the bell, opens the notification, accepts
    log_in(page, partnership["ijm"])
    assert page.inner_text("[data-testid=unread-count]") == "1"
    page.click("[data-testid=notification-bell]")
    assert "You have a new referral in Next Steps." in page.inner_text("main")
    shoot("4-ijm-notifications")
    page.click("[data-testid=notifications] button:has-text('Open')")
    assert "Dana Identity-Secret" not in page.content()  # nothing before accepting
    page.click("main button:has-text('Accept')")
    page.wait_for_selector("[data-testid=shared-profile]")
    shown = page.inner_text("[data-testid=person]")
    for expected in (
        person.code,
        "Dana",
        "Dana Identity-Secret",
        "Trafficker has been asking for her",
        "+40 799 123 456",
        "Pharmacy on Strada Republicii",
    ):
        assert expected in shown
    content = page.content()
    for hidden in ("+40 711 000 999", "1998-04-01", "Date of birth"):
        assert hidden not in content
    shoot("5-ijm-accepted-sees-the-chosen-fields")
    with page.expect_download() as downloading:
        page.click("[data-testid=referral-documents] [data-testid=document-link]")
    assert Path(downloading.value.path()).read_bytes() == REPORT
    document_url = page.get_attribute(
        "[data-testid=referral-documents] [data-testid=document-link]", "href"
    )

    # ... records the outcome of its work, completes, and loses access
    page.select_option("[data-testid=outcome-form] select[name=kind]", "criminal_case_opened")
    page.click("[data-testid=outcome-form] button:has-text('Record outcome')")
    page.wait_for_selector("text=Outcome recorded.")
    page.click("main button:has-text('Mark completed')")
    page.wait_for_selector("[data-testid=no-access]")
    content = page.content()
    for gone in ("Dana Identity-Secret", "+40 799 123 456", "Trafficker has been asking"):
        assert gone not in content
    assert "[data-testid=document-link]" not in content
    assert page.goto(document_url).status == 404
    page.go_back()
    shoot("6-ijm-completed-no-access")

    # Betania sees the outcome on the referral and two notifications
    log_in(page, partnership["betania"])
    assert page.inner_text("[data-testid=unread-count]") == "2"
    page.click("[data-testid=notification-bell]")
    assert "A partner completed a referral you sent." in page.inner_text("main")
    page.click("[data-testid=notifications] li:first-child button:has-text('Open')")
    assert "Criminal case opened" in page.inner_text("[data-testid=referral-outcomes]")
    shoot("7-betania-sees-the-outcome")

    referral = Referral.objects.get()
    assert referral.status == "completed" and referral.safe_phone == ""
    assert ConsentEvent.objects.get(purpose="sharing").method == "signed_form"
    assert Outcome.objects.get().organisation.slug == "ijm-romania"
