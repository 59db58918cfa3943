"""Issue 13 point 1: other spellings of an address reach no fresh lockout counter, and a slow
guesser spread over many addresses meets a daily limit per account."""

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from accounts.throttling import login_attempt_key
from tests.factories import TEST_PASSWORD, make_member

LOGIN_URL = reverse("accounts:login")

# Spellings PostgreSQL's UPPER() folds onto alice@betania.test: dotless i, long s, and both.
UNICODE_SPELLINGS = [
    "al\u0131ce@betania.test",
    "alice@betania.te\u017ft",
    "al\u0131ce@betania.te\u017ft",
]

on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's iexact folds ASCII letters only: these spellings reach no account there",
)


def log_in(client, email, password=TEST_PASSWORD, ip="10.0.0.1"):
    return client.post(LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=ip)


def is_logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("spelling", UNICODE_SPELLINGS)
def test_a_unicode_spelling_of_a_locked_account_gets_no_more_tries(client, alice, spelling):
    for _ in range(5):
        log_in(client, alice.email, password="wrong guess", ip="10.6.6.6")

    for _ in range(4):
        log_in(client, spelling, password="wrong guess", ip="10.6.6.6")
    log_in(client, spelling, ip="10.6.6.6")

    assert not is_logged_in(client)


@pytest.mark.parametrize("spelling", UNICODE_SPELLINGS)
def test_an_address_with_letters_outside_ascii_is_refused_at_login(client, alice, spelling):
    response = log_in(client, spelling)

    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()
    assert not is_logged_in(client)


@on_postgresql_only
@pytest.mark.parametrize(
    "spelling", [*UNICODE_SPELLINGS, "ALICE@betania.TEST", "alice@betania.test"]
)
def test_every_spelling_that_reaches_an_account_shares_its_counter(rf, alice, spelling):
    key = login_attempt_key(rf.post(LOGIN_URL), {"username": spelling})

    assert key == login_attempt_key(rf.post(LOGIN_URL), {"username": "alice@betania.test"})


def test_compatibility_spellings_share_the_counter_of_an_unknown_address(rf, db):
    # The Kelvin sign and a full-width "@" fold (NFKC) onto the ASCII spelling.
    plain = login_attempt_key(rf.post(LOGIN_URL), {"username": "kate@nowhere.test"})
    folded = login_attempt_key(rf.post(LOGIN_URL), {"username": "\u212aATE\uff20nowhere.test"})

    assert plain == folded


@pytest.fixture
def daily_limit(settings):
    settings.LOGIN_DAILY_FAILURE_LIMIT = 8
    return settings.LOGIN_DAILY_FAILURE_LIMIT


@pytest.fixture
def dpo(db):
    return make_member(Role.DATA_PROTECTION_OFFICER, None, email="dpo@partnership.test")


def guess_from_many_addresses(client, email, times):
    # Each address stays under the per-address limit of 5: only the daily count catches it.
    for attempt in range(times):
        log_in(client, email, password="wrong guess", ip=f"10.7.{attempt // 4}.{attempt % 4}")


def test_a_slow_guesser_on_many_addresses_is_stopped_for_the_day(client, alice, dpo, daily_limit):
    guess_from_many_addresses(client, alice.email, daily_limit)

    response = log_in(client, alice.email, ip="10.9.9.9")

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_data_protection_officer_is_told_once_when_an_account_reaches_the_daily_limit(
    client, alice, dpo, daily_limit
):
    guess_from_many_addresses(client, alice.email, daily_limit + 3)

    assert [message.to for message in mail.outbox] == [[dpo.email]]
    assert str(alice.public_id) in mail.outbox[0].body
    assert alice.email not in mail.outbox[0].body
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED,
        object_reference=str(alice.public_id),
        detail__contains="daily limit",
    ).exists()


def test_the_daily_limit_looks_the_same_for_an_address_with_no_account(
    client, alice, dpo, daily_limit
):
    guess_from_many_addresses(client, alice.email, daily_limit)
    guess_from_many_addresses(client, "nobody@betania.test", daily_limit)

    hers = log_in(client, alice.email, password="wrong guess", ip="10.9.9.9")
    nobodys = log_in(client, "nobody@betania.test", password="wrong guess", ip="10.9.9.9")

    assert hers.status_code == nobodys.status_code == 429
    assert hers.content == nobodys.content


def test_failures_older_than_a_day_do_not_count(client, alice, dpo, daily_limit, time_machine):
    time_machine.move_to("2026-03-02 08:00Z")
    guess_from_many_addresses(client, alice.email, daily_limit)
    time_machine.move_to("2026-03-03 08:01Z")

    log_in(client, alice.email, ip="10.9.9.9")

    assert is_logged_in(client)
