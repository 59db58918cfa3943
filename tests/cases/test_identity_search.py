"""Searching the organisation's own people by legal name or phone, through the blind index:
exact after normalisation, never a partner's people, every search audited without what was
typed."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services
from cases.enums import ErasureGround
from cases.models import Beneficiary
from tests.factories import make_member

URL = "cases:identity_search"


def register(reference_data, user, **identity):
    person = Beneficiary(
        alias=identity.pop("alias", "Dana"),
        category="exiting_prostitution",
        location=reference_data["location"],
        intake_date=date(2023, 4, 5),
        intake_source="outreach",
        **identity,
    )
    return services.register_beneficiary(person, by=user)


def search(client, kind, value):
    return client.post(reverse(URL), {"kind": kind, "value": value})


@pytest.fixture
def ioana(alice, reference_data):
    return register(
        reference_data,
        alice,
        alias="Mirela",
        legal_name="Ioana Popescu",
        phone="+40 721 000 000",
    )


@pytest.mark.parametrize(
    ("kind", "typed"),
    [
        ("legal_name", "IOANA  POPESCU"),
        ("legal_name", "ioana popéscu"),
        ("phone", "0040721000000"),
        ("phone", "0721-000-000"),
    ],
)
def test_a_person_is_found_by_her_legal_name_or_phone_however_typed(
    client_of, alice, ioana, kind, typed
):
    response = search(client_of(alice), kind, typed)

    assert response.status_code == 200
    assert [person.code for person in response.context["found"]] == [ioana.code]
    assert reverse("cases:beneficiary_detail", kwargs={"code": ioana.code}) in (
        response.content.decode()
    )


def test_part_of_a_name_finds_nobody(client_of, alice, ioana):
    response = search(client_of(alice), "legal_name", "Ioana")

    assert response.context["found"] == []


def test_each_search_is_audited_with_its_kind_and_codes_never_the_value(
    client_of, alice, ioana, reference_data
):
    sister = register(reference_data, alice, legal_name="Ana Popescu", phone="+40721000000")

    search(client_of(alice), "phone", "+40 721 000 000")

    summary = AuditEvent.objects.get(detail__startswith="identity search")
    assert summary.detail == (f"identity search by phone: 2 found: {ioana.code}, {sister.code}")
    assert (summary.actor, summary.organisation, summary.action) == (
        alice,
        alice.organisation,
        AuditAction.VIEW,
    )
    per_record = AuditEvent.objects.filter(detail="found by an identity search (phone)")
    assert sorted(per_record.values_list("object_reference", flat=True)) == sorted(
        [ioana.code, sister.code]
    )
    for row in AuditEvent.objects.all():
        assert "721" not in row.detail
        assert "popescu" not in row.detail.casefold()


def test_a_search_that_finds_nobody_is_audited_too(client_of, alice, ioana):
    search(client_of(alice), "legal_name", "Someone Else")

    assert AuditEvent.objects.filter(detail="identity search by legal_name: 0 found").exists()


def test_a_partners_people_are_never_found(client_of, alice, charlie, reference_data):
    theirs = register(
        reference_data, charlie, alias="Cireasa", legal_name="Ioana Popescu", phone="+40721000000"
    )

    for kind, value in (("legal_name", "Ioana Popescu"), ("phone", "+40 721 000 000")):
        response = search(client_of(alice), kind, value)

        assert response.context["found"] == []
        assert theirs.code.encode() not in response.content
        assert b"Cireasa" not in response.content


def test_an_outsider_finds_nothing_of_ours(client_of, charlie, ioana):
    response = search(client_of(charlie), "legal_name", "Ioana Popescu")

    assert response.status_code == 200
    assert ioana.code.encode() not in response.content
    assert b"Mirela" not in response.content


def test_an_erased_person_is_not_found(client_of, alice, ioana):
    dpo = make_member(Role.DATA_PROTECTION_OFFICER)
    services.erase_beneficiary(ioana, ground=ErasureGround.REQUEST, by=dpo)

    response = search(client_of(alice), "legal_name", "Ioana Popescu")

    assert response.context["found"] == []


def test_a_role_that_sees_no_identities_may_not_search(client_of, betania, ioana):
    coordinator = make_member(Role.ORGANISATION_COORDINATOR, betania)

    response = search(client_of(coordinator), "legal_name", "Ioana Popescu")

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(detail__startswith="identity search").exists()


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("phone", "12", "A phone number has at least 6 digits."),
        ("legal_name", " ... ", "Type a name."),
        ("phone", "", "This field is required."),
    ],
)
def test_a_search_for_nothing_says_what_is_wrong(client_of, alice, kind, typed, message):
    response = search(client_of(alice), kind, typed)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(detail__startswith="identity search").exists()


def test_the_searched_value_is_not_in_the_address(client_of, alice, ioana):
    page = client_of(alice).get(reverse(URL)).content.decode()

    assert 'method="post"' in page


@pytest.mark.parametrize("count", [1, 30])
def test_the_query_count_does_not_grow_with_the_people_found(
    client_of, alice, reference_data, django_assert_num_queries, count
):
    for _number in range(count):
        register(reference_data, alice, phone="+40 721 000 000")
    client = client_of(alice)

    # session, user; the search (people with their location); in a transaction (savepoint,
    # release): the summary row and the rows per record, one insert; the session's
    # last-activity stamp (savepoint, update, release)
    with django_assert_num_queries(10):
        response = search(client, "phone", "+40 721 000 000")

    assert len(response.context["found"]) == count
