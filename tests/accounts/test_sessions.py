from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD

HOME = reverse("cases:home")


def log_in(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def test_thirty_minutes_without_a_request_end_the_session(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        log_in(client, alice)
        clock.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200

        clock.shift(timedelta(minutes=31))
        response = client.get(HOME)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_twelve_hours_after_login_the_session_ends_even_when_active(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        log_in(client, alice)
        # A request every 20 minutes: never idle, and still out after twelve hours.
        for _ in range(12 * 3):
            clock.shift(timedelta(minutes=20))
            assert client.get(HOME).status_code == 200
        clock.shift(timedelta(minutes=1))
        response = client.get(HOME)

    assert response.status_code == 302


def test_the_session_id_changes_at_login(client, alice):
    session = client.session
    session["probe"] = "anonymous visit"
    session.save()
    before = session.session_key

    log_in(client, alice)

    assert client.cookies["sessionid"].value != before


def test_logging_out_tells_the_browser_to_forget_the_site(client_of, alice):
    response = client_of(alice).post(reverse("accounts:logout"))

    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
