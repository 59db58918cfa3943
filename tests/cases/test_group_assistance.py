"""Group assistance across pages: every result of the list's search and filters, or the
registered participants of an activity; a confirmation that counts them; one transaction."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Assistance
from tests.factories import BeneficiaryFactory
from tests.pillars.factories import ActivityFactory

PAGE = 25


def entry(reference_data, **fields):
    return {
        "service_type": reference_data["food"].pk,
        "date": "2023-06-01",
        "quantity": "1",
        "unit": "items",
        "sub_project": reference_data["sub_project"].pk,
        "note": "",
        **fields,
    }


def test_all_results_of_a_filter_are_picked_across_pages(client_of, alice, betania, reference_data):
    refugees = BeneficiaryFactory.create_batch(
        PAGE + 5, organisation=betania, category="refugee", intake_date=date(2023, 1, 5)
    )
    BeneficiaryFactory(organisation=betania, category="exiting_prostitution")
    client = client_of(alice)
    url = f"{reverse('cases:assistance_bulk')}?all=1&category=refugee"

    confirmation = client.get(url)

    assert "The same entry is logged for 30 people" in confirmation.content.decode()
    picked = confirmation.context["form"].fields["people"].queryset
    assert set(picked) == set(refugees)
    response = client.post(url, entry(reference_data, people=[p.code for p in refugees]))
    assert response.status_code == 302
    assert Assistance.objects.filter(service_type=reference_data["food"]).count() == PAGE + 5


def test_the_list_links_every_result_to_group_help(client_of, alice, betania):
    BeneficiaryFactory.create_batch(3, organisation=betania, category="refugee")

    page = client_of(alice).get(reverse("cases:beneficiary_list"), {"category": "refugee"})

    assert "?all=1&amp;category=refugee" in page.content.decode()


def test_the_participants_of_an_activity_are_picked(client_of, alice, betania, reference_data):
    women = BeneficiaryFactory.create_batch(3, organisation=betania, intake_date=date(2023, 1, 5))
    course = ActivityFactory(organisation=betania, people=women[:2])
    url = f"{reverse('cases:assistance_bulk')}?activity={course.public_id}"
    client = client_of(alice)

    confirmation = client.get(url)

    assert set(confirmation.context["form"].fields["people"].queryset) == set(women[:2])
    client.post(url, entry(reference_data, people=[person.code for person in women]))
    # The third woman was not in the course: the whole entry is refused, nothing saved.
    assert not Assistance.objects.exists()
    client.post(url, entry(reference_data, people=[person.code for person in women[:2]]))
    assert Assistance.objects.count() == 2


def test_another_organisations_activity_picks_nobody(client_of, alice, ijm, betania):
    theirs = ActivityFactory(organisation=ijm, people=[BeneficiaryFactory(organisation=betania)])

    confirmation = client_of(alice).get(
        f"{reverse('cases:assistance_bulk')}?activity={theirs.public_id}"
    )

    assert not confirmation.context["form"].fields["people"].queryset.exists()


@pytest.mark.parametrize("value", ["not-a-uuid", ""])
def test_a_broken_activity_address_picks_nobody(client_of, alice, value):
    response = client_of(alice).get(f"{reverse('cases:assistance_bulk')}?activity={value}")

    assert response.status_code == 200
    assert not response.context["form"].fields["people"].queryset.exists()
