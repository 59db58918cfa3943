"""No personal data in logs, error pages or e-mails: a representative set of requests over the
demo data (failed and throttled logins, 404, 403, CSRF failures, a crash on a record), with
every log record captured at DEBUG level, scanned for the demo's aliases and identity values
and the demo users' addresses."""

import io
import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation, User
from cases.models import Beneficiary
from demo.organisations import demo_email
from nextsteps.logging import WITHHELD, RedactingFormatter
from tests.failing_urls import FAILING_URL, MISSING_VARIABLE_URL, person_with_identity

SHORTEST_VALUE = 4  # shorter values would match ordinary words


def personal_values():
    """Every alias and identity value of the demo's people, and the demo users' addresses."""
    values = set(User.objects.values_list("email", flat=True))
    for person in Beneficiary.objects.all():
        values.add(person.alias)
        # As text: the date of birth is a date, and a log line would show it as YYYY-MM-DD.
        for name in (*Beneficiary.IDENTITY_FIELDS, *Beneficiary.FREE_TEXT_FIELDS):
            if value := getattr(person, name):
                values.add(str(value))
    return {value for value in values if value and len(value) >= SHORTEST_VALUE}


@pytest.fixture
def project_log(caplog):
    """What the project's own handlers write (the console in production), and caplog."""
    caplog.set_level(logging.DEBUG)
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, RedactingFormatter)
    ]
    assert handlers, "the root logger has no project handler"
    written = io.StringIO()
    # Swapped directly: setStream() would flush the old stream, which pytest's output capture
    # may already have closed when the whole suite runs.
    previous = [handler.stream for handler in handlers]
    for handler in handlers:
        handler.stream = written
    yield written
    for handler, stream in zip(handlers, previous, strict=True):
        handler.stream = stream


def caseworker_of(slug):
    return User.objects.get(email=demo_email("caseworker", Organisation.objects.get(slug=slug)))


@pytest.fixture
def betania_caseworker(demo_data, db):
    return caseworker_of("betania")


def test_nothing_personal_reaches_the_logs_error_pages_or_e_mails(
    betania_caseworker, project_log, caplog, settings
):
    settings.ROOT_URLCONF = "tests.failing_urls"
    settings.ADMINS = [("Operator", "operator@nextsteps.example")]
    person = person_with_identity()
    values = personal_values()
    assert person.alias in values and person.legal_name in values

    error_pages = run_representative_requests(betania_caseworker, person)

    logged = project_log.getvalue()
    messages = "\n".join(record.getMessage() for record in caplog.records)
    # The requests did log: failures, the crash's traceback, the 404 and 403.
    assert "Internal Server Error: /test-only/fail/" in logged
    assert "ValueError: " + WITHHELD in logged
    assert "Not Found: /cases/people/" in logged
    assert "Forbidden" in logged
    crash = next(
        record
        for record in caplog.records
        if record.exc_info and isinstance(record.exc_info[1], ValueError)
    )
    assert person.alias in str(crash.exc_info[1]), "the crash did carry personal data"
    leaked = sorted(value for value in values if value in logged or value in messages)
    assert leaked == []
    for page in error_pages:
        assert not [value for value in values if value in page]
    assert mail.outbox == []


def run_representative_requests(caseworker, person):
    """The requests of the scan; returns the bodies of the error pages."""
    anonymous = Client()
    for _ in range(6):  # wrong passwords until throttled
        anonymous.post(
            reverse("accounts:login"),
            {"username": caseworker.email, "password": f"not {person.alias}"},
        )
    anonymous.post(
        reverse("accounts:login"), {"username": "nobody@nowhere.example", "password": "x"}
    )
    anonymous.get(f"{reverse('accounts:login')}?next=/cases/people/{person.code}/")

    owner = Client()
    owner.force_login(caseworker)
    assert owner.get(f"/cases/people/{person.code}/").status_code == 200

    # Another organisation's caseworker asks for the record, with its alias in the query.
    client = Client(raise_request_exception=False)
    client.force_login(caseworker_of("salvation-army"))
    pages = [
        client.get(f"/cases/people/{person.code}/", {"q": person.alias}),
        client.get(reverse("accounts:audit_log")),
        client.post(FAILING_URL, {"alias": person.alias, "phone": person.phone}),
    ]
    client.get(MISSING_VARIABLE_URL)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(caseworker)
    pages.append(strict.post(reverse("accounts:logout"), {"note": person.alias}))
    assert [page.status_code for page in pages] == [404, 403, 500, 403]
    return [page.content.decode() for page in pages]
