"""Run by tests/test_deployment.py in a fresh interpreter with production settings (DEBUG off,
own keys, a host name): migrates an empty SQLite database, logs a user in over HTTPS with the
test client and prints, as JSON, the headers and cookies the real responses carried."""

import json
import sys

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from accounts.models import User  # noqa: E402

HOST = "casework.example.org"
PASSWORD = "a long enough passphrase"


def headers_of(response):
    return dict(response.items())


def cookies_of(response):
    return {
        name: {
            "secure": bool(morsel["secure"]),
            "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"],
            "path": morsel["path"],
        }
        for name, morsel in response.cookies.items()
    }


def main():
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        User.objects.create_user("probe@casework.example.org", PASSWORD)
    browser = Client(HTTP_HOST=HOST)
    plain_http = browser.get("/accounts/login/")
    login_page = browser.get("/accounts/login/", secure=True)
    logged_in = browser.post(
        "/accounts/login/",
        {"username": "probe@casework.example.org", "password": PASSWORD},
        secure=True,
    )
    after_password = browser.get("/", secure=True, follow=True)
    json.dump(
        {
            "plain_http": {
                "status": plain_http.status_code,
                "location": plain_http.get("Location"),
            },
            "login_page": {"headers": headers_of(login_page), "cookies": cookies_of(login_page)},
            "logged_in": {"status": logged_in.status_code, "cookies": cookies_of(logged_in)},
            "after_password": {
                "path": after_password.request["PATH_INFO"],
                "headers": headers_of(after_password),
            },
        },
        sys.stdout,
    )


main()
