"""A search of the people list is counted only up to a bound (issue 14): a common word matches
thousands of people, and counting them all cost more than the rest of the page."""

import lxml.html
import pytest
from django.urls import reverse

from tests.factories import BeneficiaryFactory

PEOPLE = reverse("cases:beneficiary_list")


@pytest.fixture
def counted_up_to_5(monkeypatch):
    monkeypatch.setattr("cases.views.casework.PEOPLE_COUNTED_UP_TO", 5)
    monkeypatch.setattr("cases.views.casework.PEOPLE_PER_PAGE", 3)


def register(organisation, alias, how_many):
    return [
        BeneficiaryFactory(organisation=organisation, alias=f"{alias} {number}")
        for number in range(how_many)
    ]


def shown(response, testid):
    [element] = lxml.html.fromstring(response.content).xpath(f'//*[@data-testid="{testid}"]')
    return " ".join(element.text_content().split())


def codes_on(response):
    return [person.code for person in response.context["page"].object_list]


def test_a_search_with_more_matches_than_the_bound_says_more_than_and_pages_to_its_end(
    client_of, alice, reference_data, counted_up_to_5
):
    danas = register(alice.organisation, "Dana", 11)
    register(alice.organisation, "Ilinca", 2)
    client = client_of(alice)

    pages = [client.get(PEOPLE, {"q": "dana", "page": number}) for number in (1, 2, 3, 4)]

    first, last = pages[0], pages[-1]
    assert shown(first, "result-count") == "More than 5 people: narrow the search"
    assert shown(first, "group-help-all") == "Log assistance for everyone found"
    assert "Page 1" in first.content.decode() and "Page 1 of" not in first.content.decode()
    # Past the bound, each page still links to the next, until the last match.
    assert "page=4" in pages[2].content.decode()
    assert len(codes_on(last)) == 2
    assert "page=5" not in last.content.decode() and "page=3" in last.content.decode()
    found = [code for page in pages for code in codes_on(page)]
    assert sorted(found) == sorted(person.code for person in danas)
    # The links keep the search.
    assert "q=dana" in first.content.decode().split("page=2")[0].rsplit('href="', 1)[1]


def test_a_page_past_the_end_of_a_long_search_shows_its_last_page(
    client_of, alice, reference_data, counted_up_to_5
):
    register(alice.organisation, "Dana", 11)

    response = client_of(alice).get(PEOPLE, {"q": "dana", "page": 99})

    assert response.status_code == 200
    assert codes_on(response)


def test_a_search_within_the_bound_is_counted_exactly(
    client_of, alice, reference_data, counted_up_to_5
):
    register(alice.organisation, "Dana", 5)
    register(alice.organisation, "Ilinca", 2)

    response = client_of(alice).get(PEOPLE, {"q": "dana"})

    assert shown(response, "result-count") == "5 people"
    assert shown(response, "group-help-all") == "Log assistance for all 5 found"
    assert "Page 1 of 2" in response.content.decode()


def test_the_list_and_its_filters_are_counted_exactly_beyond_the_bound(
    client_of, alice, reference_data, counted_up_to_5
):
    # Counted from an index, or found as a set built whole: a bound would save them nothing.
    register(alice.organisation, "Dana", 7)
    client = client_of(alice)

    assert shown(client.get(PEOPLE), "result-count") == "7 people"
    assert shown(client.get(PEOPLE, {"status": "active"}), "result-count") == "7 people"
    assert shown(client.get(PEOPLE, {"q": "  "}), "result-count") == "7 people"
