"""Password guessing and account enumeration against the login page."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from tests.factories import TEST_PASSWORD

LOGIN_URL = reverse("accounts:login")


def log_in(client, email, password=TEST_PASSWORD, ip="10.0.0.1", **headers):
    return client.post(
        LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=ip, **headers
    )


def without_csrf_token(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_changing_the_letter_case_of_the_address_gives_no_extra_guesses(client, alice, settings):
    spellings = [
        "alice@betania.test",
        "ALICE@betania.test",
        "Alice@Betania.Test",
        " alice@BETANIA.test",
    ]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, spellings[attempt % len(spellings)], password="wrong guess", ip="10.6.6.6")

    locked = log_in(client, "aLiCe@betania.test", ip="10.6.6.6")

    assert locked.status_code == 429


def test_a_forged_forwarded_for_header_gives_no_extra_guesses(client, alice, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(
            client,
            alice.email,
            password="wrong guess",
            ip="10.6.6.6",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        )

    locked = log_in(client, alice.email, ip="10.6.6.6", HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert locked.status_code == 429


def test_wrong_address_and_wrong_password_give_the_same_page(client, alice):
    wrong_password = log_in(client, alice.email, password="not her password at all")
    no_such_user = log_in(client, "nobody@betania.test", password="not her password at all")

    assert wrong_password.status_code == no_such_user.status_code == 200
    assert without_csrf_token(wrong_password) == without_csrf_token(no_such_user).replace(
        "nobody@betania.test", alice.email
    )


def test_a_disabled_account_answers_like_a_wrong_password(client, alice):
    wrong_password = log_in(client, alice.email, password="not her password at all")
    alice.is_active = False
    alice.save()
    disabled = log_in(client, alice.email)

    assert disabled.status_code == 200
    assert without_csrf_token(disabled) == without_csrf_token(wrong_password)


def test_lockout_looks_the_same_for_an_account_that_does_not_exist(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, alice.email, password="wrong guess", ip="10.6.6.6")
        log_in(client, "nobody@betania.test", password="wrong guess", ip="10.6.6.6")

    hers = log_in(client, alice.email, ip="10.6.6.6")
    nobodys = log_in(client, "nobody@betania.test", ip="10.6.6.6")

    assert hers.status_code == nobodys.status_code == 429
    assert hers.content == nobodys.content


class CountingHasher(MD5PasswordHasher):
    """Counts how often a password is hashed, to compare the work done per answer."""

    algorithm = "counting_md5"
    runs = 0

    def encode(self, password, salt):
        CountingHasher.runs += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_login_abuse.CountingHasher"]
    CountingHasher.runs = 0
    return CountingHasher


def test_a_wrong_address_costs_the_same_password_hashing_as_a_wrong_password(
    client, alice, counting_hasher
):
    # Timing: Django's model backend hashes the typed password for an unknown address too, so
    # both answers take one hashing (with Argon2 in production, which dominates the time).
    alice.set_password(TEST_PASSWORD)
    alice.save()
    counting_hasher.runs = 0

    log_in(client, alice.email, password="not her password at all")
    for_a_wrong_password = counting_hasher.runs
    counting_hasher.runs = 0
    log_in(client, "nobody@betania.test", password="not her password at all")
    for_a_wrong_address = counting_hasher.runs

    assert for_a_wrong_password == for_a_wrong_address == 1


def test_the_throttle_table_keeps_neither_the_typed_address_nor_the_password(client, alice):
    log_in(client, alice.email, password="my secret guess")
    log_in(client, "someone.else@betania.test", password="my secret guess")

    stored = " ".join(
        f"{attempt.username} {attempt.get_data} {attempt.post_data}"
        for attempt in AccessAttempt.objects.all()
    )
    assert AccessAttempt.objects.count() == 2
    assert "alice" not in stored
    assert "my secret guess" not in stored
    assert "someone.else" not in stored
