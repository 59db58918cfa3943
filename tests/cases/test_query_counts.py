"""Each list view runs the same number of queries for one record as for fifty."""

import pytest
from django.urls import reverse

from tests.cases.factories import AssistanceFactory, ReferralFactory
from tests.factories import BeneficiaryFactory

# Every count is 2 (session; user with membership) + the view's own + 3 (the session's
# last-activity stamp saved in a transaction).
SIZES = [1, 50]


def people_with_everything(organisation, partner, reference_data, count):
    people = BeneficiaryFactory.create_batch(
        count, organisation=organisation, safety_flag=True, safety_reason="danger"
    )
    for person in people:
        AssistanceFactory(beneficiary=person, service_type=reference_data["shelter"])
        referral = ReferralFactory(beneficiary=person, to_organisation=partner)
        referral.services.set([reference_data["legal"], reference_data["shelter"]])
    return people


@pytest.mark.parametrize("count", SIZES)
def test_people_list(client_of, alice, ijm, reference_data, django_assert_num_queries, count):
    people_with_everything(alice.organisation, ijm, reference_data, count)
    client = client_of(alice)

    # count, the filter form's three lists (locations, services, sub-projects), one page
    with django_assert_num_queries(10):
        response = client.get(reverse("cases:beneficiary_list"), {"status": "active"})

    assert len(response.context["page"].object_list) == min(count, 25)


@pytest.mark.parametrize("count", SIZES)
def test_referral_inbox(
    client_of, ijm_caseworker, alice, ijm, reference_data, django_assert_num_queries, count
):
    people_with_everything(alice.organisation, ijm, reference_data, count)
    client = client_of(ijm_caseworker)

    # received referrals (count, page), their services, referrals sent (count; none here),
    # erasure notices
    with django_assert_num_queries(10):
        response = client.get(reverse("cases:referral_inbox"))

    assert len(response.context["inbox"]) == min(count, 25)


@pytest.mark.parametrize("count", SIZES)
def test_caseworker_home(client_of, alice, ijm, reference_data, django_assert_num_queries, count):
    people_with_everything(alice.organisation, ijm, reference_data, count)
    client = client_of(alice)

    # flagged people, open referrals and their services, recent assistance
    with django_assert_num_queries(9):
        response = client.get(reverse("cases:home"))

    assert len(response.context["flagged_people"]) == min(count, 16)
