import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, AuthenticatorDevice
from tests.accounts.two_factor_support import authenticator_code
from tests.factories import TEST_PASSWORD, OrganisationFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def screenshots(page, directory, name):
    """The page at desktop width, and its first two screens at phone width."""
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=os.path.join(directory, f"{name}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    two_screens = {"x": 0, "y": 0, "width": PHONE["width"], "height": 2 * PHONE["height"]}
    page.screenshot(
        path=os.path.join(directory, f"{name}-phone.png"), full_page=True, clip=two_screens
    )
    page.set_viewport_size(DESKTOP)


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")


def test_a_caseworker_sets_up_two_factor_login_and_logs_in_with_a_code(
    page, screenshot_dir, settings
):
    settings.REQUIRE_TWO_FACTOR = True
    caseworker = make_member(
        Role.CASEWORKER, OrganisationFactory(name="Betania"), email="caseworker@betania.example"
    )

    log_in(page, caseworker.email)
    page.wait_for_url("**/two-factor/setup/**")
    assert page.locator("[data-testid=qr-code] svg").is_visible()
    screenshots(page, screenshot_dir, "two-factor-setup")

    device = AuthenticatorDevice.objects.get(user=caseworker, confirmed=False)
    page.fill("input[name=code]", authenticator_code(device))
    page.click("main button[type=submit]")
    page.wait_for_url("**/two-factor/backup-codes/**")
    codes = page.locator("[data-testid=backup-codes] code").all_inner_texts()
    assert len(codes) == 10
    screenshots(page, screenshot_dir, "two-factor-backup-codes")
    page.click("text=I have kept them, continue")
    page.wait_for_url("**/cases/")

    # A new browser: password, then the code prompt, answered with a backup code.
    page.context.clear_cookies()
    log_in(page, caseworker.email)
    page.wait_for_url("**/two-factor/code/**")
    screenshots(page, screenshot_dir, "two-factor-code-prompt")
    page.fill("input[name=code]", codes[0])
    page.click("main button[type=submit]")
    page.wait_for_url("**/cases/")
    assert "Betania" in page.inner_text("[data-testid=current-organisation]")


def make_trail():
    """A month of audit rows: ordinary days, a burst of records one afternoon, a late night."""
    betania = OrganisationFactory(name="Betania", slug="betania-e2e", code_prefix="BET")
    partner = OrganisationFactory(
        name="Netherlands partner", slug="nl-e2e", code_prefix="NLP", time_zone="Europe/Amsterdam"
    )
    ana = make_member(Role.CASEWORKER, betania, email="caseworker@betania.example")
    bram = make_member(Role.CASEWORKER, partner, email="caseworker@nl-partner.example")
    now = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    rows = []
    for day in range(1, 8):
        for number, actor in enumerate([ana, bram, ana]):
            prefix = "BET" if actor == ana else "NLP"
            rows.append((actor, now - timedelta(days=day, minutes=-number * 40), AuditAction.VIEW,
                         f"{prefix}-2023-{day * 3 + number:04d}", ""))  # fmt: skip
    afternoon = now - timedelta(days=2) + timedelta(hours=5)
    for number in range(35):
        rows.append((ana, afternoon + timedelta(seconds=20 * number), AuditAction.VIEW,
                     f"BET-2022-{number:04d}", ""))  # fmt: skip
    rows.append((bram, now - timedelta(days=3) + timedelta(hours=14), AuditAction.EXPORT,
                 "", "beneficiary list (encrypted XLSX)"))  # fmt: skip
    for actor, at, action, reference, detail in rows:
        AuditEvent.objects.create(
            actor=actor,
            organisation=actor.organisation,
            occurred_at=at,
            action=action,
            object_type="cases.beneficiary" if reference else "",
            object_reference=reference,
            detail=detail,
            ip_address="192.0.2.10",
        )


def test_the_data_protection_officer_reviews_access(page, screenshot_dir):
    make_trail()
    dpo = make_member(Role.DATA_PROTECTION_OFFICER, email="dpo@nextsteps.example")

    log_in(page, dpo.email)
    page.wait_for_url("**/data-protection/")
    page.goto("/accounts/data-protection/audit-log/")
    assert re.match(r"\d+ events", page.inner_text("[data-testid=event-count]"))
    screenshots(page, screenshot_dir, "audit-log")

    page.goto("/accounts/data-protection/unusual-access/")
    assert "caseworker@betania.example" in page.inner_text("#bursts-heading + p + table")
    screenshots(page, screenshot_dir, "unusual-access")

    page.goto("/accounts/data-protection/records-of-processing/")
    assert page.locator("[data-testid='table-cases.beneficiary']").is_visible()
    screenshots(page, screenshot_dir, "records-of-processing")
