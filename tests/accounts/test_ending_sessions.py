"""Logging out, disabling a user and an admin's "end all sessions" end every live session of
that user on its next request."""

import re
import uuid

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, User
from tests.accounts.two_factor_support import log_in_with_password
from tests.factories import make_member

HOME = reverse("cases:home")
LOGIN = reverse("accounts:login")


def two_devices_of(user):
    """Two browsers in which ``user`` logged in with her password."""
    office, phone = Client(), Client()
    log_in_with_password(office, user, ip="10.0.0.1")
    log_in_with_password(phone, user, ip="10.0.0.2")
    assert office.get(HOME).status_code == phone.get(HOME).status_code == 200
    return office, phone


def is_logged_out(client):
    response = client.get(HOME)
    return response.status_code == 302 and response.url.startswith(LOGIN)


def end_sessions_url(user):
    return reverse("accounts:member_end_sessions", kwargs={"public_id": user.public_id})


def test_logging_out_on_one_device_ends_her_session_on_every_device(alice):
    office, phone = two_devices_of(alice)

    phone.post(reverse("accounts:logout"))

    assert is_logged_out(phone)
    assert is_logged_out(office)
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=alice).count() == 1


def test_logging_out_leaves_other_users_logged_in(alice, betania):
    colleague = make_member(Role.CASEWORKER, betania)
    hers = Client()
    log_in_with_password(hers, colleague)
    office, _phone = two_devices_of(alice)

    office.post(reverse("accounts:logout"))

    assert hers.get(HOME).status_code == 200


def test_disabling_a_user_ends_her_sessions_and_enabling_her_again_does_not_revive_them(alice):
    office, phone = two_devices_of(alice)

    alice.is_active = False
    alice.save(update_fields=["is_active"])
    logged_out_while_disabled = is_logged_out(office)
    alice.is_active = True
    alice.save()

    assert logged_out_while_disabled
    assert is_logged_out(office)
    assert is_logged_out(phone)


def test_saving_an_active_user_keeps_her_sessions(alice):
    office, _phone = two_devices_of(alice)

    alice.display_name = "Alice B."
    alice.save()

    assert office.get(HOME).status_code == 200


def test_an_organisation_admin_ends_all_sessions_of_a_member(alice, betania, client_of):
    office, phone = two_devices_of(alice)
    admin = make_member(Role.ORGANISATION_ADMIN, betania)

    response = client_of(admin).post(end_sessions_url(alice))

    assert response.status_code == 302
    assert is_logged_out(office)
    assert is_logged_out(phone)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, detail="ended all sessions")
    assert event.actor == admin
    assert event.object_type == "accounts.user"
    assert event.object_reference == str(alice.public_id)


def test_a_site_admin_ends_all_sessions_of_anyone(alice, client_of):
    office, _phone = two_devices_of(alice)

    client_of(make_member(Role.SITE_ADMIN)).post(end_sessions_url(alice))

    assert is_logged_out(office)


@pytest.mark.parametrize(
    "role", [Role.ORGANISATION_ADMIN, Role.CASEWORKER, Role.DATA_PROTECTION_OFFICER]
)
def test_another_organisations_member_is_not_found(charlie, betania, client_of, role):
    client = client_of(make_member(role, betania))
    their_session = Client()
    log_in_with_password(their_session, charlie)

    theirs = client.post(end_sessions_url(charlie))
    missing = client.post(end_sessions_url(User(public_id=uuid.uuid4())))

    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    assert their_session.get(HOME).status_code == 200


def test_ending_sessions_needs_a_post(alice, betania, client_of):
    admin = make_member(Role.ORGANISATION_ADMIN, betania)

    response = client_of(admin).get(end_sessions_url(alice))

    assert response.status_code == 405


def test_the_member_page_shows_her_two_factor_state(alice, betania, client_of):
    admin = make_member(Role.ORGANISATION_ADMIN, betania)

    page = client_of(admin).get(
        reverse("accounts:member_detail", kwargs={"public_id": alice.public_id})
    )

    assert page.status_code == 200
    assert "Not set up yet" in page.content.decode()
    assert end_sessions_url(alice) in page.content.decode()


def test_the_admin_site_action_ends_sessions(alice, client_of):
    office, _phone = two_devices_of(alice)
    site_admin = make_member(Role.SITE_ADMIN, is_staff=True, is_superuser=True)

    client_of(site_admin).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "end_sessions", ACTION_CHECKBOX_NAME: [alice.pk]},
    )

    assert is_logged_out(office)


@pytest.mark.parametrize("members", [1, 50])
def test_the_member_list_needs_the_same_queries_for_one_or_fifty_members(
    betania, client_of, django_assert_num_queries, members
):
    admin = make_member(Role.ORGANISATION_ADMIN, betania)
    for _ in range(members - 1):
        make_member(Role.CASEWORKER, betania)
    client = client_of(admin)

    # Session, user with membership, members with their two-factor state, and saving the
    # session's last activity (savepoint, update, release).
    with django_assert_num_queries(6):
        response = client.get(reverse("accounts:administration_home"))

    assert len(
        re.findall(r"/administration/members/[0-9a-f-]{36}/", response.content.decode())
    ) == (members)
