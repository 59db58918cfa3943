"""Issue 13 point 6: someone at an open session cannot bind her own phone or mint backup codes
(ASVS 5.0 7.5.1): both need the password and a current code, are audited, and the member's
organisation admin is told."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, AuthenticatorDevice
from tests.accounts.test_two_factor import enrol
from tests.accounts.two_factor_support import (
    a_wrong_code,
    authenticator_code,
    is_stored_backup_code,
    shown_backup_codes,
    stored_backup_codes,
)
from tests.factories import TEST_PASSWORD, make_member

SETUP = reverse("accounts:two_factor_setup")
BACKUP_CODES = reverse("accounts:two_factor_backup_codes")


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.REQUIRE_TWO_FACTOR = True


@pytest.fixture
def her_admin(alice):
    return make_member(Role.ORGANISATION_ADMIN, alice.organisation, email="admin@betania.test")


@pytest.fixture
def enrolled(client, alice, frozen_clock):
    return enrol(client, alice)


@pytest.fixture
def frozen_clock():
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now(), tick=False) as clock:
        yield clock


def backup_codes_of(user):
    # Salted hashes: new codes have new hashes, unchanged codes keep theirs.
    return {code.code_hash for code in stored_backup_codes(user)}


def confirm_identity(client, url, device, frozen_clock, password=TEST_PASSWORD):
    # The enrolment code was used at this time step: the next one is a fresh code.
    frozen_clock.shift(30)
    return client.post(
        url, {"password": password, "code": authenticator_code(device), "confirm_identity": "1"}
    )


def test_an_open_session_alone_cannot_bind_a_new_authenticator(client, alice, enrolled):
    page = client.get(SETUP)

    assert page.status_code == 200
    assert 'data-testid="qr-code"' not in page.content.decode()
    assert 'name="password"' in page.content.decode()
    assert not AuthenticatorDevice.objects.filter(user=alice, confirmed=False).exists()


def test_a_wrong_password_shows_no_new_authenticator(client, alice, enrolled, frozen_clock):
    response = confirm_identity(client, SETUP, enrolled, frozen_clock, password="not hers")
    page = client.get(SETUP)

    assert response.status_code == 400
    assert 'data-testid="qr-code"' not in page.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, actor=alice, detail__contains="two-factor"
    ).exists()


def test_a_wrong_current_code_shows_no_new_authenticator(client, alice, enrolled, frozen_clock):
    frozen_clock.shift(30)
    client.post(
        SETUP,
        {"password": TEST_PASSWORD, "code": a_wrong_code(enrolled), "confirm_identity": "1"},
    )

    assert 'data-testid="qr-code"' not in client.get(SETUP).content.decode()


def test_password_and_current_code_let_her_bind_a_new_phone_and_her_admin_is_told(
    client, alice, her_admin, enrolled, frozen_clock
):
    confirm_identity(client, SETUP, enrolled, frozen_clock)
    page = client.get(SETUP)
    new = AuthenticatorDevice.objects.get(user=alice, confirmed=False)
    frozen_clock.shift(30)
    response = client.post(SETUP, {"code": authenticator_code(new)})

    assert 'data-testid="qr-code"' in page.content.decode()
    assert response.status_code == 302
    assert list(AuthenticatorDevice.objects.filter(user=alice).values_list("pk", flat=True)) == [
        new.pk
    ]
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, actor=alice, detail="replaced two-factor login"
    ).exists()
    assert [message.to for message in mail.outbox] == [[her_admin.email]]
    assert alice.email in mail.outbox[0].body


def test_a_bare_post_makes_no_new_backup_codes(client, alice, enrolled):
    before = backup_codes_of(alice)

    client.post(BACKUP_CODES)

    assert backup_codes_of(alice) == before


def test_new_backup_codes_need_the_password_and_a_current_code(
    client, alice, her_admin, enrolled, frozen_clock
):
    before = backup_codes_of(alice)

    response = confirm_identity(client, BACKUP_CODES, enrolled, frozen_clock)
    shown = shown_backup_codes(client)

    after = backup_codes_of(alice)
    assert response.url == BACKUP_CODES
    assert len(after) == 10
    assert not before & after
    assert len(shown) == 10
    assert all(is_stored_backup_code(alice, code) for code in shown)
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, actor=alice, detail="new backup codes"
    ).exists()
    assert [message.to for message in mail.outbox] == [[her_admin.email]]


def test_guessing_the_password_at_an_open_session_ends_it(client, alice, enrolled, frozen_clock):
    for _ in range(5):
        confirm_identity(client, BACKUP_CODES, enrolled, frozen_clock, password="a guess")

    assert "_auth_user_id" not in client.session
