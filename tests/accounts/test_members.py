"""Issue 9 point 5 and issue 13 point 8: an organisation admin adds and deactivates members; a
password set by an admin is changed at first login, before two-factor enrolment; a forgotten
password is reset by e-mail without skipping the second factor."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, Membership
from tests.accounts.two_factor_support import confirmed_authenticator, log_in_with_password
from tests.factories import TEST_PASSWORD, make_member

User = get_user_model()
ADD = reverse("accounts:member_add")
PASSWORD_CHANGE = reverse("accounts:password_change")
SETUP = reverse("accounts:two_factor_setup")
HOME = reverse("home")
NEW_PASSWORD = "a new passphrase of her own 2026"


@pytest.fixture
def admin(betania):
    return make_member(Role.ORGANISATION_ADMIN, betania, email="admin@betania.test")


@pytest.fixture
def admin_client(client_of, admin):
    return client_of(admin)


def first_password_on(page):
    return re.search(r'data-testid="first-password">([^<]+)<', page.content.decode()).group(1)


def add_member(admin_client, email="nadia@betania.test", role=Role.CASEWORKER):
    return admin_client.post(ADD, {"email": email, "role": role, "display_name": "Nadia"})


# --- Adding ----------------------------------------------------------------------------------
def test_an_organisation_admin_adds_a_member_of_her_organisation(admin_client, admin, betania):
    response = add_member(admin_client)
    shown = admin_client.get(response.url)

    member = User.objects.get(email="nadia@betania.test")
    assert member.membership.organisation == betania
    assert member.membership.role == Role.CASEWORKER
    assert member.must_change_password
    assert member.check_password(first_password_on(shown))
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE,
        actor=admin,
        object_reference=str(member.public_id),
        detail="added member: caseworker",
    ).exists()


def test_the_first_password_is_shown_once(admin_client):
    response = add_member(admin_client)
    admin_client.get(response.url)

    again = admin_client.get(response.url)

    assert 'data-testid="first-password"' not in again.content.decode()


@pytest.mark.parametrize("role", [Role.SITE_ADMIN, Role.DATA_PROTECTION_OFFICER, "owner"])
def test_an_organisation_admin_cannot_grant_a_partnership_role(admin_client, role):
    response = add_member(admin_client, role=role)

    assert response.status_code == 400
    assert not User.objects.filter(email="nadia@betania.test").exists()


@pytest.mark.parametrize(
    "email", ["ALICE@betania.test", "al\u0131ce@betania.test", "not an address", "x" * 300]
)
def test_an_address_in_use_or_not_plain_is_refused(admin_client, alice, email):
    before = User.objects.count()

    response = add_member(admin_client, email=email)

    assert response.status_code == 400
    assert User.objects.count() == before


def test_a_caseworker_may_not_add_members(client_of, alice):
    assert (
        client_of(alice).post(ADD, {"email": "x@betania.test", "role": "caseworker"}).status_code
        == 403
    )
    assert not User.objects.filter(email="x@betania.test").exists()


# --- Deactivating ----------------------------------------------------------------------------
def deactivate_url(user):
    return reverse("accounts:member_deactivate", kwargs={"public_id": user.public_id})


def test_an_organisation_admin_deactivates_a_member_and_her_sessions_end(
    admin_client, admin, alice
):
    hers = Client()
    hers.force_login(alice)

    response = admin_client.post(deactivate_url(alice))

    alice.refresh_from_db()
    assert response.status_code == 302
    assert not alice.is_active
    assert hers.get(reverse("cases:home")).status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE,
        actor=admin,
        object_reference=str(alice.public_id),
        detail="deactivated member",
    ).exists()


def test_an_admin_cannot_deactivate_herself(admin_client, admin):
    admin_client.post(deactivate_url(admin))

    admin.refresh_from_db()
    assert admin.is_active


def test_a_member_of_another_organisation_cannot_be_deactivated(admin_client, charlie):
    assert admin_client.post(deactivate_url(charlie)).status_code == 404
    charlie.refresh_from_db()
    assert charlie.is_active


# --- First login -----------------------------------------------------------------------------
@pytest.fixture
def new_member(admin_client):
    response = add_member(admin_client)
    password = first_password_on(admin_client.get(response.url))
    admin_client.logout()
    return User.objects.get(email="nadia@betania.test"), password


def test_a_new_member_changes_her_first_password_before_anything_else(settings, new_member):
    settings.REQUIRE_TWO_FACTOR = True
    member, first_password = new_member
    client = Client()
    log_in_with_password(client, member, password=first_password)

    held = client.get(reverse("cases:home"))
    changed = client.post(
        PASSWORD_CHANGE,
        {
            "old_password": first_password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    after = client.get(reverse("cases:home"), follow=True)

    member.refresh_from_db()
    assert held.status_code == 302 and held.url.startswith(PASSWORD_CHANGE)
    assert changed.status_code == 302
    assert not member.must_change_password
    assert member.check_password(NEW_PASSWORD)
    assert after.redirect_chain[-1][0].startswith(SETUP)


def test_with_an_authenticator_the_second_factor_comes_before_the_password_change(settings, alice):
    settings.REQUIRE_TWO_FACTOR = True
    confirmed_authenticator(alice)
    alice.must_change_password = True
    alice.save()
    client = Client()
    log_in_with_password(client, alice)

    assert client.get(PASSWORD_CHANGE).url.startswith(reverse("accounts:two_factor_verify"))


def test_a_password_set_in_the_admin_site_must_be_changed(client_of, alice):
    site_admin = make_member(Role.SITE_ADMIN, None, is_staff=True, is_superuser=True)
    client = client_of(site_admin)

    client.post(
        reverse("admin:auth_user_password_change", args=[alice.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert alice.must_change_password


# --- Password reset by e-mail ----------------------------------------------------------------
RESET = reverse("accounts:password_reset")


def test_the_reset_page_answers_the_same_for_any_address(client, alice):
    hers = client.post(RESET, {"email": alice.email})
    nobodys = client.post(RESET, {"email": "nobody@betania.test"})

    assert hers.status_code == nobodys.status_code == 302
    assert hers.url == nobodys.url
    assert [message.to for message in mail.outbox] == [[alice.email]]


def test_a_reset_by_e_mail_sets_a_password_and_still_asks_for_the_second_factor(
    settings, client, alice
):
    settings.REQUIRE_TWO_FACTOR = True
    confirmed_authenticator(alice)
    client.post(RESET, {"email": alice.email})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)

    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert done.status_code == 302
    assert "_auth_user_id" not in client.session
    log_in_with_password(client, alice, password=NEW_PASSWORD)
    assert client.get(reverse("cases:home")).url.startswith(reverse("accounts:two_factor_verify"))
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_reference=str(alice.public_id), detail__contains="reset"
    ).exists()


def test_a_reset_link_works_once(client, alice):
    client.post(RESET, {"email": alice.email})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = Client().get(link, follow=True)

    assert 'name="new_password1"' not in again.content.decode()


def test_the_reset_e_mail_holds_no_name_or_address_but_the_link(client, alice):
    alice.display_name = "Alice Zamfir"
    alice.save()

    client.post(RESET, {"email": alice.email})

    assert "Zamfir" not in mail.outbox[0].body
    assert Membership.objects.filter(user=alice).exists()
    assert TEST_PASSWORD not in mail.outbox[0].body


def test_a_role_granted_in_the_admin_site_writes_an_audit_row(client_of, alice):
    site_admin = make_member(Role.SITE_ADMIN, None, is_staff=True, is_superuser=True)
    client = client_of(site_admin)
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    membership = alice.membership

    response = client.post(
        url,
        {
            "email": alice.email,
            "display_name": alice.display_name,
            "is_active": "on",
            "membership-TOTAL_FORMS": "1",
            "membership-INITIAL_FORMS": "1",
            "membership-MIN_NUM_FORMS": "0",
            "membership-MAX_NUM_FORMS": "1",
            "membership-0-id": membership.pk,
            "membership-0-user": alice.pk,
            "membership-0-organisation": membership.organisation_id,
            "membership-0-role": Role.ORGANISATION_ADMIN,
        },
    )

    assert response.status_code == 302
    alice.membership.refresh_from_db()
    assert alice.membership.role == Role.ORGANISATION_ADMIN
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE,
        actor=site_admin,
        object_reference=str(alice.public_id),
        detail__contains="role organisation_admin",
    ).exists()
