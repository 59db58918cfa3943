"""The main navigation marks the section of the current page (aria-current)."""

import lxml.html
import pytest
from django.urls import reverse

from accounts.enums import Role
from nextsteps.navigation import main_navigation
from tests.factories import make_member

CASEWORK = {"record_casework"}


def current_of(path, permissions):
    return [
        (str(link.label), link.current)
        for link in main_navigation(path, permissions)
        if link.current
    ]


def test_the_section_whose_address_starts_the_path_longest_is_current():
    assert current_of("/cases/", CASEWORK) == [("Casework", "page")]
    assert current_of("/cases/people/", CASEWORK) == [("People", "page")]
    assert current_of("/cases/people/BET-2021-0001/", CASEWORK) == [("People", "true")]
    assert current_of("/cases/referrals/", CASEWORK) == [("Referrals", "page")]


def test_pages_of_a_section_elsewhere_mark_that_section():
    assert current_of("/cases/data-requests/BET-2021-0001/", {"view_audit_log"}) == [
        ("Data protection", "true")
    ]
    assert current_of("/plan/volunteers/", {"manage_activities", "view_aggregates"}) == [
        ("Activities", "true")
    ]
    assert current_of("/plan/periods/", {"manage_activities", "view_aggregates"}) == [
        ("Indicators", "true")
    ]


def test_a_page_outside_every_section_marks_none():
    assert current_of("/accounts/password/", CASEWORK) == []


@pytest.mark.parametrize(
    ("role", "url", "current"),
    [
        (Role.CASEWORKER, "cases:beneficiary_list", "People"),
        (Role.PROGRAMME_COORDINATOR, "reports:dashboard", "Dashboards"),
        (Role.ORGANISATION_ADMIN, "accounts:administration_home", "Administration"),
    ],
)
def test_the_page_marks_its_section_in_the_main_navigation(client, db, role, url, current):
    client.force_login(make_member(role))

    document = lxml.html.fromstring(client.get(reverse(url)).content)

    marked = document.xpath("//nav[contains(@class, 'site-navbar')]//a[@aria-current]")
    assert [(link.text_content().strip(), link.get("aria-current")) for link in marked] == [
        (current, "page")
    ]
