"""Hostile record codes in addresses: a NUL (which PostgreSQL cannot even compare), far too
long, a script tag, SQL: never a 500, never echoed unescaped, for every URL that takes a code,
as the roles that may open such URLs."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from accounts.enums import Role
from tests.factories import make_member
from tests.test_tenancy import OBJECT_URLS

SCRIPT = '<script>alert("hostile")</script>'
CODES = ["A\x00B", "A" * 5000, SCRIPT, "BET-2023-0001' OR '1'='1", "%", "..", " "]
CODE_URLS = sorted(name for name, spec in OBJECT_URLS.items() if "code" in spec.missing(None))


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.DATA_PROTECTION_OFFICER])
@pytest.mark.parametrize("url_name", CODE_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_hostile_code_is_not_found(client, betania, role, url_name, method):
    client.force_login(make_member(role, betania))
    # A page that names a second record (the merge's) gets the hostile code there too.
    second = {"other": "OTHER"} if "other" in OBJECT_URLS[url_name].missing(None) else {}
    address = reverse(url_name, kwargs={"code": "CODE", **second})
    for code in CODES:
        hostile = quote(code, safe="")
        response = getattr(client, method)(
            address.replace("CODE", hostile).replace("OTHER", hostile)
        )

        assert response.status_code in (400, 404), code[:20]
        assert SCRIPT not in response.content.decode()


def test_a_nul_anywhere_in_a_request_is_refused(client, alice):
    client.force_login(alice)

    assert client.get("/cases/people/", {"q": "A\x00"}).status_code == 400
    assert client.post("/cases/people/new/", {"alias": "A\x00"}).status_code == 400
    assert client.get("/cases/people/A%00/").status_code == 400
