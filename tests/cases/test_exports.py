"""The people list export: the caseworker's own organisation's people, as filtered on the list,
never an erased record, identity only when asked for; one audit row per export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services
from cases.enums import ErasureGround
from tests.factories import BeneficiaryFactory, make_member
from tests.office_files import decrypted

PASSWORD = "four words make a key"
PASSWORDS = {"password": PASSWORD, "password_again": PASSWORD}


def exported_rows(response):
    sheet = load_workbook(io.BytesIO(decrypted(response.content, PASSWORD)))["People"]
    header, *rows = sheet.values
    return [dict(zip(header, row, strict=True)) for row in rows]


def export(client, query=None, **data):
    url = reverse("cases:beneficiary_export")
    return client.post(f"{url}?{query or ''}", {**PASSWORDS, **data})


def test_the_export_holds_the_filtered_list_of_our_people_only(
    client_of, alice, person, charlie, betania
):
    closed = BeneficiaryFactory(organisation=betania, status="closed", alias="Closed one")
    BeneficiaryFactory(organisation=charlie.organisation, status="closed", alias="Theirs")

    response = export(client_of(alice), "status=closed")

    rows = exported_rows(response)
    assert [(row["code"], row["alias"]) for row in rows] == [(closed.code, "Closed one")]
    assert "legal name" not in rows[0]  # identity is left out unless asked for
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_reference="")
    assert (event.actor, event.organisation) == (alice, betania)
    assert event.detail == (
        "people list, 1 records, encrypted XLSX, identity left out; status=closed"
    )


def test_identity_is_in_the_file_only_when_asked_for(client_of, alice, person):
    rows = exported_rows(export(client_of(alice), include_identity="on"))

    assert rows[0]["legal name"] == "Ionela Secret-Name"
    assert rows[0]["phone"] == "+40 711 222 333"
    assert "notes" not in rows[0]


def test_an_erased_record_is_never_exported(client_of, alice, person, betania):
    kept = BeneficiaryFactory(organisation=betania)
    services.erase_beneficiary(
        person, ground=ErasureGround.REQUEST, by=make_member(Role.DATA_PROTECTION_OFFICER)
    )

    rows = exported_rows(export(client_of(alice)))

    assert [row["code"] for row in rows] == [kept.code]


def test_a_search_is_named_in_the_audit_row_but_not_its_text(client_of, alice, person):
    export(client_of(alice), f"q={person.alias}")

    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_reference="")
    assert event.detail.endswith("; search")
    assert person.alias not in event.detail


def test_the_form_page_says_how_many_people_the_file_will_hold(client_of, alice, person):
    response = client_of(alice).get(reverse("cases:beneficiary_export"), {"status": "active"})

    assert response.status_code == 200
    assert "1 people, as filtered on the list" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_wrong_filter_goes_back_to_the_list(client_of, alice, person):
    response = export(client_of(alice), "assisted_from=2023-02-01&assisted_until=2023-01-01")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:beneficiary_list"))
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("count", [1, 50])
def test_the_export_costs_the_same_queries_for_one_person_as_for_fifty(
    client_of, alice, betania, django_assert_num_queries, count
):
    BeneficiaryFactory.create_batch(count, organisation=betania)
    client = client_of(alice)
    client.get(reverse("cases:beneficiary_list"))

    # session, user; how many people (a long list goes to a background job); the places' names
    # (looked up once for every row); the people (with their last assistance and open
    # referrals); the audit row and one row per person in one insert, in the export's
    # transaction (4); the session's last-activity stamp, likewise (3)
    with django_assert_num_queries(12):
        response = export(client)

    assert len(exported_rows(response)) == count


def test_text_is_written_as_text_never_as_a_formula(client_of, alice, betania):
    BeneficiaryFactory(organisation=betania, alias='=HYPERLINK("http://x.example")')

    response = export(client_of(alice))

    sheet = load_workbook(io.BytesIO(decrypted(response.content, PASSWORD)))["People"]
    alias = sheet.cell(2, 2)
    assert (alias.value, alias.data_type) == ('=HYPERLINK("http://x.example")', "s")
