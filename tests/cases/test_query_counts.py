"""Each list view runs the same number of queries for one record as for fifty."""

from datetime import date

import pytest
from django.urls import reverse

from cases import services
from cases.models import Task
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
def test_people_list_filtered_by_service_and_dates(
    client_of, alice, ijm, reference_data, django_assert_num_queries, count
):
    people_with_everything(alice.organisation, ijm, reference_data, count)
    client = client_of(alice)
    filters = {"service_type": reference_data["shelter"].pk, "assisted_from": "2000-01-01"}

    # the service chosen, the keys of the list (counted by their number), the filter form's
    # three lists, one page
    with django_assert_num_queries(11):
        response = client.get(reverse("cases:beneficiary_list"), filters)

    assert len(response.context["page"].object_list) == min(count, 25)
    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize("count", SIZES)
def test_people_search(
    client_of, alice, ijm, reference_data, django_assert_num_queries, monkeypatch, count
):
    # Fifty matches are more than the search counts up to: a page of a list counted only so far
    # (one row read beyond it) needs no more queries than one counted exactly.
    monkeypatch.setattr("cases.views.casework.PEOPLE_COUNTED_UP_TO", 20)
    for person in people_with_everything(alice.organisation, ijm, reference_data, count):
        person.alias = f"Dana {person.pk}"
        person.save(update_fields=["alias"])
    client = client_of(alice)

    # count (up to the bound), the filter form's three lists, one page
    with django_assert_num_queries(10):
        response = client.get(reverse("cases:beneficiary_list"), {"q": "dana"})

    assert len(response.context["page"].object_list) == min(count, 25)
    assert response.context["page"].paginator.count_is_bounded == (count > 20)


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
def test_caseworker_home(
    client_of, alice, ijm, ijm_caseworker, reference_data, django_assert_num_queries, count
):
    # Betania's people referred to IJM, waiting for IJM's answer; IJM's own people, flagged,
    # helped, each with a task overdue for IJM's caseworker.
    people_with_everything(alice.organisation, ijm, reference_data, count)
    for person in people_with_everything(ijm, alice.organisation, reference_data, count):
        Task.objects.create(
            beneficiary=person,
            organisation=ijm,
            title="Call her",
            due_date=date(2023, 1, 1),
            assignee=ijm_caseworker,
        )
    client = client_of(ijm_caseworker)

    # referrals awaiting an answer and their services, my tasks, flagged people, recent
    # assistance (the counts in the navigation come with the user)
    with django_assert_num_queries(10):
        response = client.get(reverse("cases:home"))

    assert len(response.context["awaiting_answer"]) == count
    assert len(response.context["my_tasks"]) == count
    assert len(response.context["flagged_people"]) == min(count, 16)


@pytest.mark.parametrize("count", SIZES)
def test_person_page_with_plan_tasks_and_notes(
    client_of, alice, ijm, person, reference_data, django_assert_num_queries, count
):
    for number in range(count):
        goal = services.add_goal(person, by=alice, goal_type=None, title=f"Goal {number}")
        services.add_task(person, by=alice, title="Call", due_date=date(2030, 1, 1), goal=goal)
        note = services.write_note(person, by=alice, text=f"Note {number}")
        services.correct_note(note, by=alice, text="Corrected", reason="Typo")
        AssistanceFactory(beneficiary=person, service_type=reference_data["shelter"])
    client = client_of(alice)

    # the record, its audit row, consent; transfers; referrals; goals; open tasks; notes;
    # documents; the timeline's assistance, referral steps, outcomes, corrections and case events
    with django_assert_num_queries(20):
        response = client.get(reverse("cases:beneficiary_detail", kwargs={"code": person.code}))

    assert len(response.context["open_tasks"]) == count
    assert len(response.context["notes"]) == 2 * count + 1


@pytest.mark.parametrize("count", SIZES)
def test_transfer_list(
    client_of, ijm_caseworker, alice, ijm, reference_data, django_assert_num_queries, count
):
    from cases.enums import TransferStatus
    from cases.models import Transfer

    for index, person in enumerate(
        BeneficiaryFactory.create_batch(2 * count, organisation=alice.organisation)
    ):
        Transfer.objects.create(
            beneficiary=person,
            from_organisation=alice.organisation,
            to_organisation=ijm,
            reason="She moves",
            status=TransferStatus.REQUESTED if index % 2 else TransferStatus.DECLINED,
        )
    client = client_of(ijm_caseworker)

    # to answer, asked (none here), answered (count, page)
    with django_assert_num_queries(9):
        response = client.get(reverse("cases:transfer_list"))

    assert len(response.context["to_answer"]) == count
    assert len(response.context["answered"]) == min(count, 25)
