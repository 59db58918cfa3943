"""The casework screens: who may open them, what their forms accept, what the lists show."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from cases.enums import ReferralStatus
from cases.models import Assistance, Beneficiary, ConsentEvent, Outcome, Referral
from tests.cases.factories import AssistanceFactory, ReferralFactory
from tests.cases.tenancy import CASEWORK_URLS_WITHOUT_OBJECT as URLS_WITHOUT_OBJECT
from tests.cases.tenancy import OBJECT_URLS
from tests.factories import BeneficiaryFactory, OrganisationFactory, make_member

PERSON_URLS = sorted(name for name, spec in OBJECT_URLS.items() if "code" in spec.missing(None))
REFERRAL_URLS = sorted(set(OBJECT_URLS) - set(PERSON_URLS))


def person_form(reference_data, **overrides):
    return {
        "alias": "Dana",
        "category": "exiting_prostitution",
        "sex": "female",
        "birth_year": "1999",
        "nationality": "RO",
        "location": reference_data["location"].pk,
        "intake_date": "2023-04-05",
        "intake_source": "outreach",
        "dependants": "1",
        "legal_name": "Dana Real-Name",
        "processing_consent": "on",
        **overrides,
    }


# -- who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", PERSON_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_for_every_view_of_a_person(
    client_of, charlie, person, url_name, method
):
    # A page that names a second record (the merge's) names another of hers.
    second = {"other": person.code} if "other" in OBJECT_URLS[url_name].missing(None) else {}
    url = reverse(url_name, kwargs={"code": person.code, **second})
    assert getattr(client_of(charlie), method)(url).status_code == 404


@pytest.mark.parametrize("url_name", REFERRAL_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_for_every_view_of_a_referral(
    client_of, charlie, referral, url_name, method
):
    url = reverse(url_name, kwargs={"public_id": referral.public_id})
    assert getattr(client_of(charlie), method)(url).status_code == 404


@pytest.mark.parametrize("url_name", sorted(URLS_WITHOUT_OBJECT))
def test_an_outsider_sees_none_of_our_people_on_pages_without_a_record(
    client_of, charlie, referral, url_name
):
    page = client_of(charlie).get(reverse(url_name), {"people": referral.beneficiary.code})

    assert page.status_code == 200
    # (The code may appear in the page's own address, echoed by the language switcher.)
    assert f'value="{referral.beneficiary.code}"' not in page.content.decode()
    assert referral.beneficiary.alias not in page.content.decode()


@pytest.mark.parametrize("role", [Role.ORGANISATION_COORDINATOR, Role.PROGRAMME_COORDINATOR])
@pytest.mark.parametrize("url_name", sorted(URLS_WITHOUT_OBJECT))
def test_roles_without_casework_get_403(client_of, betania, role, url_name):
    assert client_of(make_member(role, betania)).get(reverse(url_name)).status_code == 403


def test_a_coordinator_of_the_same_organisation_does_not_open_a_file(client_of, betania, person):
    coordinator = make_member(Role.ORGANISATION_COORDINATOR, betania)
    url = reverse("cases:beneficiary_detail", kwargs={"code": person.code})

    assert client_of(coordinator).get(url).status_code == 404


# -- forms: what they accept -----------------------------------------------------------------------


def test_registering_through_the_form(client_of, alice, reference_data):
    response = client_of(alice).post(
        reverse("cases:beneficiary_create"), person_form(reference_data)
    )

    person = Beneficiary.objects.get()
    assert response.url == reverse("cases:beneficiary_detail", kwargs={"code": "BET-2023-0001"})
    assert (person.code, person.legal_name, person.organisation) == (
        "BET-2023-0001",
        "Dana Real-Name",
        alice.organisation,
    )


def test_posting_organisation_code_or_author_changes_nothing(
    client_of, alice, charlie, reference_data
):
    client_of(alice).post(
        reverse("cases:beneficiary_create"),
        person_form(
            reference_data,
            organisation=charlie.organisation.pk,
            code="OUT-2023-0999",
            created_by=charlie.pk,
            erased_at="2023-01-01T00:00",
        ),
    )

    person = Beneficiary.objects.get()
    assert (person.organisation, person.code, person.created_by, person.erased_at) == (
        alice.organisation,
        "BET-2023-0001",
        alice,
        None,
    )


def test_editing_cannot_move_a_person_to_another_organisation(
    client_of, alice, charlie, person, reference_data
):
    client_of(alice).post(
        reverse("cases:beneficiary_update", kwargs={"code": person.code}),
        person_form(
            reference_data,
            status="closed",
            organisation=charlie.organisation.pk,
            code="OUT-2023-0001",
            safety_reason="still in danger",
            safety_flag="on",
        ),
    )

    person.refresh_from_db()
    # The status changes only by closing the case (with a reason and a date), never here.
    assert (person.status, person.organisation, person.code[:3]) == (
        "active",
        alice.organisation,
        "BET",
    )


def test_assistance_posted_with_another_organisation_and_referral_stays_ours(
    client_of, alice, charlie, person, reference_data
):
    theirs = ReferralFactory(beneficiary=BeneficiaryFactory(organisation=charlie.organisation))
    client_of(alice).post(
        reverse("cases:assistance_create", kwargs={"code": person.code}),
        {
            "service_type": reference_data["shelter"].pk,
            "date": "2023-03-01",
            "quantity": "7",
            "sub_project": reference_data["sub_project"].pk,
            "organisation": charlie.organisation.pk,
            "beneficiary": theirs.beneficiary.pk,
            "referral": theirs.pk,
        },
    )

    logged = Assistance.objects.get()
    assert (logged.beneficiary, logged.organisation, logged.referral, logged.unit) == (
        person,
        alice.organisation,
        None,
        "nights",
    )


def test_a_group_entry_with_another_organisations_code_saves_nothing(
    client_of, alice, charlie, reference_data
):
    ours = BeneficiaryFactory.create_batch(2, organisation=alice.organisation)
    theirs = BeneficiaryFactory(organisation=charlie.organisation)
    response = client_of(alice).post(
        reverse("cases:assistance_bulk"),
        {
            "people": [person.code for person in [*ours, theirs]],
            "service_type": reference_data["food"].pk,
            "date": "2023-03-01",
            "quantity": "1",
            "sub_project": reference_data["refugee_project"].pk,
        },
    )

    assert response.status_code == 400
    assert "is not one of your organisation" in response.content.decode()
    assert not Assistance.objects.exists()


def test_a_group_entry_logs_for_everyone_ticked(client_of, alice, reference_data):
    people = BeneficiaryFactory.create_batch(
        12, organisation=alice.organisation, category="refugee"
    )
    codes = [person.code for person in people]
    client = client_of(alice)

    form_page = client.get(reverse("cases:assistance_bulk"), {"people": codes}).content.decode()
    response = client.post(
        reverse("cases:assistance_bulk"),
        {
            "people": codes,
            "service_type": reference_data["food"].pk,
            "date": "2023-03-01",
            "sub_project": reference_data["refugee_project"].pk,
        },
    )

    assert all(code in form_page for code in codes)
    assert response.status_code == 302
    assert Assistance.objects.filter(service_type=reference_data["food"]).count() == 12


def test_a_consent_cannot_name_the_own_organisation_as_partner(client_of, alice, person):
    response = client_of(alice).post(
        reverse("cases:consent_create", kwargs={"code": person.code}),
        {
            "purpose": "sharing",
            "partner": alice.organisation.pk,
            "action": "given",
            "on": "2023-03-01",
        },
    )

    assert response.status_code == 400
    assert not ConsentEvent.objects.exists()


def test_the_referral_form_explains_a_missing_consent(
    client_of, alice, person, ijm, reference_data
):
    response = client_of(alice).post(
        reverse("cases:referral_create", kwargs={"code": person.code}),
        {
            "to_organisation": ijm.pk,
            "services": [reference_data["legal"].pk],
            "due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
            "message": "She needs a lawyer before the hearing",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "The person has not consented to sharing the record with IJM (test) yet" in page
    assert "She needs a lawyer before the hearing" in page  # what she typed is still there
    assert not Referral.objects.exists()


def test_a_safety_flag_needs_a_reason(client_of, alice, reference_data):
    response = client_of(alice).post(
        reverse("cases:beneficiary_create"), person_form(reference_data, safety_flag="on")
    )

    assert response.status_code == 400
    assert "Say in a few words what the danger is" in response.content.decode()
    assert not Beneficiary.objects.exists()


def test_registering_without_consent_is_refused(client_of, alice, reference_data):
    form = person_form(reference_data)
    del form["processing_consent"]

    response = client_of(alice).post(reverse("cases:beneficiary_create"), form)

    assert "only be registered with their consent" in response.content.decode()
    assert not Beneficiary.objects.exists()


def test_an_outcome_is_recorded_for_the_person(client_of, alice, person):
    client_of(alice).post(
        reverse("cases:outcome_create", kwargs={"code": person.code}),
        {"kind": "employed", "date": "2023-06-01"},
    )

    assert Outcome.objects.get().beneficiary == person


def test_the_decline_form_asks_for_a_reason(client_of, referral, ijm_caseworker):
    response = client_of(ijm_caseworker).post(
        reverse("cases:referral_decline", kwargs={"public_id": referral.public_id}), {"reason": ""}
    )

    assert response.status_code == 400
    assert "Say why the referral is declined" in response.content.decode()
    assert Referral.objects.get().status == "sent"


def test_answering_an_answered_referral_says_what_happened(client_of, referral, ijm_caseworker):
    client = client_of(ijm_caseworker)
    url = reverse("cases:referral_accept", kwargs={"public_id": referral.public_id})

    client.post(url)
    response = client.post(url, follow=True)

    assert "Someone changed this referral in the meantime: it is now accepted" in (
        response.content.decode()
    )


# -- lists -----------------------------------------------------------------------------------------


def list_codes(client, **filters):
    page = client.get(reverse("cases:beneficiary_list"), filters)
    return sorted(person.code for person in page.context["page"].object_list)


def test_the_list_searches_by_code_or_alias(client_of, alice, reference_data):
    dana = BeneficiaryFactory(organisation=alice.organisation, alias="Dana")
    other = BeneficiaryFactory(organisation=alice.organisation, alias="Ilinca")
    client = client_of(alice)

    assert list_codes(client, q="dan") == [dana.code]
    assert list_codes(client, q=other.code.lower()) == [other.code]


def test_the_list_filters_on_one_and_the_same_piece_of_help(client_of, alice, reference_data):
    fed_in_march = BeneficiaryFactory(organisation=alice.organisation)
    AssistanceFactory(
        beneficiary=fed_in_march, service_type=reference_data["food"], date="2023-03-05"
    )
    fed_earlier = BeneficiaryFactory(organisation=alice.organisation)
    AssistanceFactory(
        beneficiary=fed_earlier, service_type=reference_data["food"], date="2023-01-05"
    )
    AssistanceFactory(
        beneficiary=fed_earlier, service_type=reference_data["shelter"], date="2023-03-05"
    )

    codes = list_codes(
        client_of(alice),
        service_type=reference_data["food"].pk,
        assisted_from="2023-03-01",
        assisted_until="2023-03-31",
    )

    assert codes == [fed_in_march.code]


def test_a_list_filtered_by_a_service_pages_in_list_order_with_its_count(
    client_of, alice, reference_data
):
    # Counted and paged from the keys read once (nextsteps.pagination.KeysReadOncePaginator).
    fed = [
        BeneficiaryFactory(organisation=alice.organisation, intake_date=date(2022, 1, day))
        for day in range(1, 28)
    ]
    for person in fed:
        AssistanceFactory(
            beneficiary=person, service_type=reference_data["food"], date="2023-03-05"
        )
    BeneficiaryFactory(organisation=alice.organisation, intake_date=date(2022, 2, 1))  # not fed
    client = client_of(alice)
    filters = {"service_type": reference_data["food"].pk, "assisted_from": "2023-03-01"}

    first = client.get(reverse("cases:beneficiary_list"), filters).context["page"]
    second = client.get(reverse("cases:beneficiary_list"), {**filters, "page": 2}).context["page"]

    newest_first = [person.code for person in reversed(fed)]
    assert first.paginator.count == 27
    assert [person.code for person in first.object_list] == newest_first[:25]
    assert [person.code for person in second.object_list] == newest_first[25:]
    assert second.has_previous() and not second.has_next()


def test_a_list_filtered_by_a_service_nobody_had_is_empty(client_of, alice, reference_data):
    BeneficiaryFactory(organisation=alice.organisation)

    page = client_of(alice).get(
        reverse("cases:beneficiary_list"), {"service_type": reference_data["food"].pk}
    )

    assert page.context["page"].paginator.count == 0
    assert "Nobody matches these filters." in page.content.decode()


def test_the_list_filters_people_with_an_open_referral(client_of, alice, referral, reference_data):
    BeneficiaryFactory(organisation=alice.organisation)

    assert list_codes(client_of(alice), has_open_referral="true") == [referral.beneficiary.code]


def test_the_list_filters_people_without_an_open_referral(
    client_of, alice, referral, ijm, reference_data
):
    not_referred = BeneficiaryFactory(organisation=alice.organisation)
    ReferralFactory(
        beneficiary=BeneficiaryFactory(organisation=alice.organisation),
        to_organisation=ijm,
        status=ReferralStatus.COMPLETED,
    )
    ReferralFactory(
        beneficiary=referral.beneficiary,
        to_organisation=OrganisationFactory(),
        status=ReferralStatus.ACCEPTED,
    )

    without = list_codes(client_of(alice), has_open_referral="false")

    assert not_referred.code in without
    assert referral.beneficiary.code not in without
    assert len(without) == 2  # the one whose referral is completed, too
    # Twice referred, listed once.
    assert list_codes(client_of(alice), has_open_referral="true") == [referral.beneficiary.code]


def test_the_inbox_puts_overdue_referrals_first(client_of, ijm_caseworker, betania, ijm):
    today = timezone.localdate()
    due_later = ReferralFactory(
        beneficiary=BeneficiaryFactory(organisation=betania), to_organisation=ijm
    )
    overdue = ReferralFactory(
        beneficiary=BeneficiaryFactory(organisation=betania),
        to_organisation=ijm,
        sent_on=today - timedelta(days=30),
        due_date=today - timedelta(days=2),
    )
    accepted = ReferralFactory(
        beneficiary=BeneficiaryFactory(organisation=betania), to_organisation=ijm, status="accepted"
    )
    ReferralFactory(
        beneficiary=BeneficiaryFactory(organisation=betania),
        to_organisation=ijm,
        status="completed",
    )

    inbox = client_of(ijm_caseworker).get(reverse("cases:referral_inbox")).context["inbox"]

    assert list(inbox) == [overdue, due_later, accepted]


def test_the_inbox_and_the_sent_list_are_paginated_each_on_its_own(
    client_of, alice, ijm_caseworker, betania, ijm
):
    for _ in range(27):
        ReferralFactory(beneficiary=BeneficiaryFactory(organisation=betania), to_organisation=ijm)
    for _ in range(3):
        ReferralFactory(beneficiary=BeneficiaryFactory(organisation=ijm), from_organisation=ijm)
    client = client_of(ijm_caseworker)

    first = client.get(reverse("cases:referral_inbox"))
    second = client.get(reverse("cases:referral_inbox"), {"page": 2, "sent_page": 1})

    assert len(first.context["inbox"]) == 25
    assert len(second.context["inbox"]) == 2
    assert len(second.context["awaiting"]) == 3
    assert set(first.context["inbox"]).isdisjoint(second.context["inbox"])
    assert "?page=2" in first.content.decode()
    assert "sent_page=" not in first.content.decode()


def test_the_home_page_shows_flagged_people_and_recent_entries(
    client_of, alice, referral, reference_data
):
    AssistanceFactory(beneficiary=referral.beneficiary, service_type=reference_data["shelter"])

    page = client_of(alice).get(reverse("cases:home")).content.decode()

    flagged, recent = (
        page.split(f'data-testid="{name}"')[1][:1500]
        for name in ("flagged-people", "recent-entries")
    )
    assert "Trafficker looking for her" in flagged
    assert "Shelter" in recent
