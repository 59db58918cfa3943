"""Production settings, checked on real responses of a Django started with them."""

import json

import pytest

from tests.processes import PRODUCTION, run_python


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
