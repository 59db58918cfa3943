"""Headers on the app's real responses (see tests/test_deployment.py for HSTS and cookies,
which only production settings turn on)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.enums import Role
from tests.factories import make_member

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture
def responses(client, alice, betania):
    """A public page, a page of personal data, an export, a 403 and a 404."""
    public = client.get(reverse("accounts:login"))
    client.force_login(alice)
    personal = client.get(reverse("cases:home"))
    forbidden = client.get(reverse("accounts:audit_log"))
    missing = client.get("/cases/people/BET-2023-9999/")
    client.force_login(make_member(Role.DATA_PROTECTION_OFFICER, betania))
    export = client.post(reverse("accounts:audit_log_export"))
    assert [r.status_code for r in (public, personal, forbidden, missing, export)] == [
        200,
        200,
        403,
        404,
        200,
    ]
    return {
        "public": public,
        "personal": personal,
        "forbidden": forbidden,
        "missing": missing,
        "export": export,
    }


def test_no_response_may_be_stored_by_a_browser_or_proxy(responses):
    for name, response in responses.items():
        assert "no-store" in response["Cache-Control"], name


def test_no_response_sends_a_referrer_or_allows_framing(responses):
    for name, response in responses.items():
        assert response["Referrer-Policy"] == "no-referrer", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name


def test_browser_features_are_switched_off(responses):
    policy = responses["personal"]["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_the_content_security_policy_is_strict(responses):
    directives = dict(
        directive.strip().split(" ", 1)
        for directive in responses["personal"]["Content-Security-Policy"].split(";")
    )

    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in responses["personal"]["Content-Security-Policy"]


def test_no_template_has_inline_script_or_style():
    # The policy would block them in the browser; this finds them before a user does.
    offending = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)", text) or re.search(r"\sstyle=", text):
            offending.append(str(template.relative_to(TEMPLATES)))
        if re.search(r"\son[a-z]+=", text):
            offending.append(f"{template.relative_to(TEMPLATES)} (event handler attribute)")
    assert offending == []
