"""Hostile query strings on every page without a record in its URL (lists, reports, filters,
dashboards): numbers beyond any column, dates at the edge of the calendar, impossible dates,
negative pages, far too long text. Never a 500, on SQLite and on PostgreSQL (issue 13 point 5).

Each page is opened by the first role (of "their" organisation, or partnership-wide) that can
see it, then with every query parameter the project reads set to one hostile value at once."""

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.enums import ORGANISATION_ROLES, Role
from tests.factories import make_member
from tests.test_tenancy import URLS_WITHOUT_OBJECT

# Every query parameter a list, filter or report of the project reads.
PARAMETERS = [
    "page",
    "period",
    "start",
    "end",
    "year",
    "organisation",
    "location",
    "sub_project",
    "pillar",
    "indicator",
    "service_type",
    "category",
    "status",
    "q",
    "date_from",
    "date_until",
    "occurred_from",
    "occurred_until",
    "line",
    "due",
    "action",
    "actor",
    "record",
    "kind",
    "partner",
    "direction",
    "sort",
]
HOSTILE_VALUES = [
    "99999999999999999999",
    "-99999999999999999999",
    "1e400",
    "NaN",
    "-1",
    "9999-12-31",
    "0001-01-01",
    "2023-02-30",
    "10000-01-01",
    "x" * 3000,
    "00000000-0000-0000-0000-000000000000",
]
# Not pages read with a query string: logging out, the language switch, the e-mailed link.
NOT_PAGES = {"accounts:logout", "set_language", "accounts:password_reset_confirm"}
# Pages whose URL takes a file format rather than a record.
KWARGS = {
    "reports:financial_export": {"file_format": "csv"},
    "reports:indicator_table_export": {"file_format": "csv"},
}
ROLES_IN_ORDER = [
    Role.CASEWORKER,
    Role.ORGANISATION_ADMIN,
    Role.ORGANISATION_COORDINATOR,
    Role.PROGRAMME_COORDINATOR,
    Role.DATA_PROTECTION_OFFICER,
    Role.SITE_ADMIN,
]


def a_role_that_sees(client, world, url):
    for role in ROLES_IN_ORDER:
        user = make_member(role, world.theirs if role in ORGANISATION_ROLES else None)
        client.force_login(user)
        if client.get(url).status_code == 200:
            return user
    return None


@pytest.mark.parametrize("url_name", sorted(URLS_WITHOUT_OBJECT - NOT_PAGES))
def test_a_hostile_query_string_never_fails(client, world, url_name):
    url = reverse(url_name, kwargs=KWARGS.get(url_name))
    if a_role_that_sees(client, world, url) is None:
        client.logout()

    failures = []
    for value in HOSTILE_VALUES:
        with transaction.atomic():
            response = client.get(url, dict.fromkeys(PARAMETERS, value))
            transaction.set_rollback(True)
        if response.status_code >= 500:
            failures.append(value[:24])

    assert failures == []


@pytest.mark.parametrize("parameter", ["date_from", "date_until"])
def test_the_unusual_access_review_refuses_the_last_day_of_the_calendar_with_a_message(
    client, db, parameter
):
    officer = make_member(Role.DATA_PROTECTION_OFFICER, None)
    client.force_login(officer)

    response = client.get(
        reverse("accounts:unusual_access"),
        {"date_from": "2026-01-01", "date_until": "2026-01-31", parameter: "9999-12-31"},
    )

    assert response.status_code == 200
    assert "Choose a date between 2000 and 2999." in response.content.decode()
