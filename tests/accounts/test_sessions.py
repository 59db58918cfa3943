from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def _session_writes(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(HOME).status_code == 200
    return [query for query in captured if query["sql"].startswith('UPDATE "django_session"')]


def test_activity_is_noted_at_most_once_a_minute(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        log_in(client, alice)
        client.get(HOME)
        clock.shift(timedelta(seconds=59))
        assert _session_writes(client) == []
        clock.shift(timedelta(seconds=2))
        assert len(_session_writes(client)) == 1


def test_pages_read_within_a_minute_keep_the_session_alive_from_the_minute_noted(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        log_in(client, alice)
        # A page every 40 seconds for an hour: activity is noted every other page, and the
        # session never idles out.
        for _ in range(90):
            clock.shift(timedelta(seconds=40))
            assert client.get(HOME).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(HOME).status_code == 200
