"""Production settings, checked on real responses of a Django started with them."""

import json
import re
import sqlite3

import pytest
from cryptography.fernet import Fernet

from nextsteps.models import EncryptionCanary
from tests.processes import PRODUCTION, run_python
from tests.production_server import (
    PASSWORD,
    SITE_ADMIN,
    Gunicorn,
    prepare,
    production_environment,
)


def test_the_deploy_check_passes_with_production_settings():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        DATABASE_URL="sqlite:///:memory:",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_without_csrf_middleware():
    # Django's own CSRF warning is silenced for our subclass; our check stands in for it.
    result = run_python(
        [
            "-c",
            "import django, sys; django.setup(); from django.conf import settings; "
            "settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if 'csrf' not in m]; "
            "from django.core.management import call_command; "
            "call_command('check', deploy=True, fail_level='WARNING')",
        ],
        **PRODUCTION,
        DATABASE_URL="sqlite:///:memory:",
    )

    assert result.returncode != 0
    assert "nextsteps.E001" in result.stderr


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    database = tmp_path_factory.mktemp("production") / "db.sqlite3"
    result = run_python(
        ["-m", "tests.production_probe"], **PRODUCTION, DATABASE_URL=f"sqlite:///{database}"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_plain_http_is_sent_to_https(production):
    assert production["plain_http"]["status"] == 301
    assert production["plain_http"]["location"].startswith("https://casework.example.org/")


def test_https_pages_carry_hsts_and_the_privacy_headers(production):
    headers = production["login_page"]["headers"]

    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in headers["Cache-Control"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_cookies_are_secure_http_only_and_host_bound(production):
    cookies = {**production["login_page"]["cookies"], **production["logged_in"]["cookies"]}

    assert set(cookies) == {"__Host-csrftoken", "__Host-sessionid"}
    for cookie in cookies.values():
        assert cookie["secure"] and cookie["httponly"]
        assert cookie["path"] == "/"
        assert cookie["samesite"] == "Lax"


def test_production_asks_for_the_second_factor_after_the_password(production):
    assert production["logged_in"]["status"] == 302
    assert production["after_password"]["path"] == "/accounts/two-factor/setup/"
    assert "no-store" in production["after_password"]["headers"]["Cache-Control"]


# ---------------------------------------------------------------------------------------------
# The README's production steps, literally, behind gunicorn
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def production_setup(tmp_path_factory):
    environment = production_environment(tmp_path_factory.mktemp("going-live"))
    prepare(environment)
    return environment


@pytest.fixture(scope="module")
def served(production_setup):
    """What a newcomer's first visit gets from gunicorn: the login page, its stylesheet, the
    login, the second-factor setup page, /health/; and the access log."""
    with Gunicorn(production_setup) as server:
        login_page = server.request("GET", "/accounts/login/?next=/cases/people/%3Fsearch%3DIoana")
        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', login_page[2])
        responses = {
            "login_page": login_page,
            "stylesheet": server.request("GET", stylesheet.group(1)),
            "logged_in": server.log_in(SITE_ADMIN, PASSWORD),
            "two_factor_setup": server.request("GET", "/accounts/two-factor/setup/"),
            "health": server.request("GET", "/health/"),
        }
    return responses, server


def test_the_login_page_and_its_hashed_static_files_are_served(served):
    responses, _server = served

    assert responses["login_page"][0] == 200
    assert responses["stylesheet"][0] == 200


def test_a_site_admin_logs_in_through_the_login_page_behind_gunicorn(served):
    responses, server = served
    status, headers, _body = responses["logged_in"]

    assert status == 302
    assert headers["Location"] == "/"
    assert "__Host-sessionid" in server.cookies
    # Production asks every login for its second factor; a first login sets one up.
    assert responses["two_factor_setup"][0] == 200
    assert "<svg" in responses["two_factor_setup"][2]


def test_the_access_log_leaves_out_query_strings(served):
    _responses, server = served

    assert '"GET /accounts/login/"' in server.log
    assert "Ioana" not in server.log
    assert "search" not in server.log


def test_health_answers_200_when_the_keys_decrypt_the_canary(served):
    status, headers, body = served[0]["health"]

    assert status == 200
    assert json.loads(body) == {"status": "ok"}
    assert "no-store" in headers["Cache-Control"]


def test_health_answers_503_when_the_keys_no_longer_decrypt_the_stored_data(production_setup):
    """A worker does not even start with keys that do not decrypt the canary (nextsteps.wsgi);
    while it runs, the data can still change under it (a backup made with other keys restored
    into its database): /health/ then answers 503."""
    database = production_setup["DATABASE_URL"].removeprefix("sqlite:///")
    other_keys = Fernet(Fernet.generate_key())
    with Gunicorn(production_setup) as server:
        healthy = server.request("GET", "/health/")[0]
        with sqlite3.connect(database) as connection:
            connection.execute(
                "UPDATE nextsteps_encryptioncanary SET value = ?",
                [other_keys.encrypt(EncryptionCanary.KNOWN_VALUE.encode()).decode()],
            )
        status, _headers, body = server.request("GET", "/health/")
        with sqlite3.connect(database) as connection:
            connection.execute(
                "UPDATE nextsteps_encryptioncanary SET value = ?",
                [
                    Fernet(production_setup["FIELD_ENCRYPTION_KEYS"].encode())
                    .encrypt(EncryptionCanary.KNOWN_VALUE.encode())
                    .decode()
                ],
            )

    assert healthy == 200
    assert status == 503
    assert json.loads(body) == {"status": "unavailable", "failed": ["encryption_keys"]}


def test_generate_encryption_key_needs_no_settings():
    result = run_python(["manage.py", "generate_encryption_key"], DEBUG="False")

    assert result.returncode == 0, result.stderr
    assert (
        Fernet(result.stdout.strip().encode()).decrypt(
            Fernet(result.stdout.strip().encode()).encrypt(b"x")
        )
        == b"x"
    )
