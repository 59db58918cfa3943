import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, AuthenticatorDevice
from tests.accounts.two_factor_support import (
    a_wrong_code,
    authenticator_code,
    confirmed_authenticator,
    enter_code,
    is_stored_backup_code,
    log_in_with_password,
    shown_backup_codes,
    stored_backup_codes,
)
from tests.factories import TEST_PASSWORD, make_member

HOME = reverse("cases:home")
VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.REQUIRE_TWO_FACTOR = True


@pytest.fixture
def frozen_clock():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        yield clock


def enrol(client, user):
    """Log in with the password and set up the authenticator; returns the device."""
    log_in_with_password(client, user)
    client.get(SETUP)
    device = AuthenticatorDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": authenticator_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


# --- Enrolment -------------------------------------------------------------------------------
def test_the_first_login_leads_to_enrolment_with_a_qr_code_drawn_on_the_server(client, alice):
    log_in_with_password(client, alice)

    response = client.get(HOME, follow=True)

    assert response.redirect_chain[-1][0].startswith(SETUP)
    page = response.content.decode()
    qr = page.split('data-testid="qr-code">')[1].split("</figure>")[0]
    assert qr.lstrip().startswith("<svg") and "<path" in qr
    device = AuthenticatorDevice.objects.get(user=alice, confirmed=False)
    secret = page.split('data-testid="secret-key">')[1].split("<")[0].replace(" ", "")
    assert device.config_url.split("secret=")[1].startswith(secret)
    # Nothing on the page loads from elsewhere or runs inline.
    assert "<img" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []


def test_reloading_the_enrolment_page_keeps_the_same_key(client, alice):
    log_in_with_password(client, alice)
    client.get(SETUP)
    client.get(SETUP)

    assert AuthenticatorDevice.objects.filter(user=alice).count() == 1


def test_the_apps_first_code_confirms_enrolment_and_backup_codes_show_once(client, alice):
    device = enrol(client, alice)

    shown = shown_backup_codes(client)
    assert len(set(shown)) == 10
    assert len(stored_backup_codes(alice)) == 10
    assert all(is_stored_backup_code(alice, code) for code in shown)
    again = client.get(reverse("accounts:two_factor_backup_codes"))
    assert not set(shown) & set(re.findall(r"[a-z2-7]{8}", again.content.decode()))
    assert client.get(HOME).status_code == 200
    assert client.session["otp_device_id"] == device.persistent_id
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, actor=alice, detail="set up two-factor login"
    ).exists()


def test_a_wrong_code_does_not_confirm_enrolment(client, alice):
    log_in_with_password(client, alice)
    client.get(SETUP)
    device = AuthenticatorDevice.objects.get(user=alice)

    response = client.post(SETUP, {"code": a_wrong_code(device)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(HOME).status_code == 302


def test_a_session_with_only_the_password_cannot_add_a_second_authenticator(client, alice):
    existing = confirmed_authenticator(alice)
    log_in_with_password(client, alice)

    page = client.get(SETUP)
    post = client.post(SETUP, {"code": "123456"})

    assert page.status_code == post.status_code == 302
    assert page.url.startswith(VERIFY)
    assert list(AuthenticatorDevice.objects.filter(user=alice)) == [existing]


def test_a_verified_user_sets_up_a_new_phone_and_the_old_one_stops_working(
    client, alice, frozen_clock
):
    old = enrol(client, alice)
    frozen_clock.shift(30)
    client.post(
        SETUP,
        {"password": TEST_PASSWORD, "code": authenticator_code(old), "confirm_identity": "1"},
    )
    client.get(SETUP)
    new = AuthenticatorDevice.objects.get(user=alice, confirmed=False)

    response = client.post(SETUP, {"code": authenticator_code(new)})

    assert response.status_code == 302
    assert list(AuthenticatorDevice.objects.filter(user=alice).values_list("pk", flat=True)) == [
        new.pk
    ]
    assert not AuthenticatorDevice.objects.filter(pk=old.pk).exists()


# --- The code prompt -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        HOME,
        reverse("home"),
        reverse("accounts:password_change"),
        reverse("accounts:two_factor"),
        reverse("admin:index"),
    ],
)
def test_every_page_waits_for_the_second_factor(client, alice, url):
    confirmed_authenticator(alice)
    log_in_with_password(client, alice)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


def test_any_way_of_logging_in_still_needs_the_second_factor(client, alice):
    # A login that bypasses the login form (a password reset that logs in, a future single
    # sign-on) gives a session the middleware still holds at the code prompt.
    client.force_login(alice)

    response = client.get(HOME, follow=True)

    assert response.redirect_chain[0][0].startswith(VERIFY)
    assert response.redirect_chain[-1][0].startswith(SETUP)


def test_the_right_code_lets_her_in_where_she_was_going(client, alice):
    device = confirmed_authenticator(alice)
    log_in_with_password(client, alice)
    prompt = client.get(HOME)
    password_session = client.cookies["sessionid"].value

    response = enter_code(client, authenticator_code(device), next_url=HOME)

    assert prompt.url == f"{VERIFY}?next={HOME}"
    assert response.status_code == 302
    assert response.url == HOME
    assert client.get(HOME).status_code == 200
    assert client.cookies["sessionid"].value != password_session
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN, actor=alice, detail="second factor: Authenticator app"
    ).exists()


def test_a_next_address_on_another_site_is_ignored(client, alice):
    device = confirmed_authenticator(alice)
    log_in_with_password(client, alice)

    response = enter_code(client, authenticator_code(device), next_url="https://evil.example/")

    assert response.url == reverse("home")


def test_a_replayed_authenticator_code_fails(client, alice, frozen_clock):
    device = confirmed_authenticator(alice)
    log_in_with_password(client, alice)
    code = authenticator_code(device)
    assert enter_code(client, code).status_code == 302
    client.post(reverse("accounts:logout"))

    # Someone who saw the code (over her shoulder, or in a phishing page) tries it at once.
    attacker = Client()
    log_in_with_password(attacker, alice, ip="10.6.6.6")
    replayed = enter_code(attacker, code)

    assert replayed.status_code == 200
    assert "already used" in replayed.content.decode()
    assert attacker.get(HOME).status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, actor=alice, detail="wrong second-factor code"
    ).exists()
    frozen_clock.shift(timedelta(seconds=30))
    assert enter_code(attacker, authenticator_code(device)).status_code == 302


def test_the_enrolment_code_cannot_be_used_again_at_the_prompt(client, alice, frozen_clock):
    device = enrol(client, alice)
    enrolment_code = authenticator_code(device)
    client.post(reverse("accounts:logout"))
    log_in_with_password(client, alice)

    assert enter_code(client, enrolment_code).status_code == 200


def test_a_backup_code_works_once(client, alice):
    enrol(client, alice)
    code = shown_backup_codes(client)[0]
    client.post(reverse("accounts:logout"))

    log_in_with_password(client, alice)
    first = enter_code(client, code.upper())
    client.post(reverse("accounts:logout"))
    log_in_with_password(client, alice)
    second = enter_code(client, code)

    assert first.status_code == 302
    assert second.status_code == 200
    assert len(stored_backup_codes(alice)) == 9
    assert not is_stored_backup_code(alice, code)


def test_wrong_codes_make_the_next_try_wait(client, alice, frozen_clock):
    device = confirmed_authenticator(alice)
    log_in_with_password(client, alice)
    enter_code(client, a_wrong_code(device))

    right_but_too_soon = enter_code(client, authenticator_code(device))
    frozen_clock.shift(timedelta(seconds=2))
    right_after_waiting = enter_code(client, authenticator_code(device))

    assert "Too many wrong codes" in right_but_too_soon.content.decode()
    assert right_after_waiting.status_code == 302


def test_a_session_left_at_the_code_prompt_ends(client, alice, frozen_clock):
    confirmed_authenticator(alice)
    log_in_with_password(client, alice)
    frozen_clock.shift(timedelta(minutes=11))

    response = client.get(VERIFY)

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_with_two_factor_off_a_forced_login_is_a_full_session(client_of, alice, settings):
    settings.REQUIRE_TWO_FACTOR = False

    assert client_of(alice).get(HOME).status_code == 200


def test_the_password_alone_cannot_log_her_out_everywhere(alice, verified_client_of):
    hers = verified_client_of(alice)
    intruder = Client()
    log_in_with_password(intruder, alice, ip="10.6.6.6")

    intruder.post(reverse("accounts:logout"))

    assert hers.get(HOME).status_code == 200
    assert "_auth_user_id" not in intruder.session


# --- Passwords and the second factor ---------------------------------------------------------
def test_changing_the_password_needs_the_second_factor(client, alice):
    confirmed_authenticator(alice)
    log_in_with_password(client, alice)
    new = "a brand new passphrase"

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    alice.refresh_from_db()
    assert alice.check_password(TEST_PASSWORD)


def test_a_new_password_does_not_skip_the_second_factor(client, alice):
    device = confirmed_authenticator(alice)
    log_in_with_password(client, alice)
    enter_code(client, authenticator_code(device))
    other_device = Client()
    log_in_with_password(other_device, alice, ip="10.0.0.2")
    new = "a brand new passphrase"

    client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert client.get(HOME).status_code == 200  # this session keeps its second factor
    assert other_device.get(HOME).url.startswith(reverse("accounts:login"))
    fresh = Client()
    log_in_with_password(fresh, alice, password=new, ip="10.0.0.3")
    assert fresh.get(HOME).url.startswith(VERIFY)


# --- Backup codes and resets -----------------------------------------------------------------
def test_new_backup_codes_replace_the_old_ones(client, alice, frozen_clock):
    device = enrol(client, alice)
    old = set(shown_backup_codes(client))
    frozen_clock.shift(30)

    response = client.post(
        reverse("accounts:two_factor_backup_codes"),
        {"password": TEST_PASSWORD, "code": authenticator_code(device), "confirm_identity": "1"},
    )

    new = set(shown_backup_codes(client))
    assert response.status_code == 302
    assert len(new) == 10
    assert not old & new
    assert all(is_stored_backup_code(alice, code) for code in new)
    assert not any(is_stored_backup_code(alice, code) for code in old)


def test_an_admin_resets_a_lost_phone_and_the_member_enrols_again(alice, verified_client_of):
    client = Client()
    lost = enrol(client, alice)
    admin = make_member(Role.ORGANISATION_ADMIN, alice.organisation)
    admin_client = verified_client_of(admin)

    response = admin_client.post(
        reverse("accounts:member_reset_two_factor", kwargs={"public_id": alice.public_id})
    )

    assert response.status_code == 302
    assert not AuthenticatorDevice.objects.filter(pk=lost.pk).exists()
    assert stored_backup_codes(alice) == []
    assert client.get(HOME).url.startswith(reverse("accounts:login"))
    log_in_with_password(client, alice)
    assert client.get(HOME, follow=True).redirect_chain[-1][0].startswith(SETUP)
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE,
        actor=admin,
        object_reference=str(alice.public_id),
        detail="reset two-factor login; ended all sessions",
    ).exists()
