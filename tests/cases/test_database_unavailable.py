"""Issue 13 point 9: a database blip does not lose the user's typing. A form posted while the
connection drops answers 503 "nothing was saved; go back and submit again" (the browser keeps
the form); a page that only reads is tried once more on a new connection."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import Beneficiary
from cases.views import casework
from tests.cases.test_views import person_form

CREATE = reverse("cases:beneficiary_create")


@pytest.fixture
def caseworker_client(alice):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    return client


def test_a_form_posted_while_the_connection_drops_answers_503_and_saves_nothing(
    caseworker_client, reference_data, monkeypatch
):
    def dropped(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "register_beneficiary", dropped)

    response = caseworker_client.post(CREATE, person_form(reference_data))

    assert response.status_code == 503
    assert "Nothing was saved. Go back and submit again" in response.content.decode()
    assert response["Retry-After"] == "5"
    assert not Beneficiary.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_page_that_only_reads_is_tried_once_more(caseworker_client, monkeypatch):
    calls = []
    original = casework.beneficiary_rows_for

    def drops_once(user):
        calls.append(user)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return original(user)

    monkeypatch.setattr(casework, "beneficiary_rows_for", drops_once)

    response = caseworker_client.get(reverse("cases:beneficiary_list"))

    assert response.status_code == 200
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_page_whose_retry_fails_too_answers_503(caseworker_client, monkeypatch):
    def always_dropped(user):
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr(casework, "beneficiary_rows_for", always_dropped)

    response = caseworker_client.get(reverse("cases:beneficiary_list"))

    assert response.status_code == 503


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a server-side disconnect")
def test_a_connection_killed_by_the_server_answers_503_and_the_next_request_works(
    caseworker_client, reference_data, monkeypatch
):
    original = services.register_beneficiary

    def killed_then_register(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "register_beneficiary", killed_then_register)
    dropped = caseworker_client.post(CREATE, person_form(reference_data))
    monkeypatch.setattr(services, "register_beneficiary", original)
    again = caseworker_client.post(CREATE, person_form(reference_data))

    assert dropped.status_code == 503
    assert again.status_code == 302
    assert Beneficiary.objects.count() == 1
