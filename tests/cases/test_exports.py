"""The people list export: the caseworker's own organisation's people, as filtered on the list,
never an erased record, identity only when asked for; one audit row per export."""

import io
from datetime import date, datetime, time

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services
from cases.enums import ErasureGround
from cases.exports import people_columns
from cases.selectors import display_value, people_to_export_for
from tests.cases.factories import AssistanceFactory, ReferralFactory
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


def test_every_cell_is_the_persons_value_as_her_record_shows_it(
    client_of, alice, person, betania, dutch_partner, reference_data
):
    # The file is written from plain rows, labels looked up once and identity decrypted a
    # column at a time: it must say what the record, loaded field by field, says.
    BeneficiaryFactory(
        organisation=betania,
        alias="  Ana & <Co>  ",
        sex="male",
        nationality="NL",
        birth_year=1990,
        dependants=2,
        status="closed",
        intake_source="police",
        date_of_birth=date(1987, 3, 12),
        address="Strada Mare 1\nOradea",
        document_numbers="RO 123456",
        phone="",
    )
    unreadable = BeneficiaryFactory(organisation=betania, legal_name="Unknown Key Person")
    stranger = Fernet(Fernet.generate_key()).encrypt(b"written under another key").decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_beneficiary SET legal_name = %s WHERE id = %s", [stranger, unreadable.pk]
        )
    AssistanceFactory(beneficiary=person, date=date(2023, 5, 2))
    ReferralFactory(beneficiary=person, from_organisation=betania, to_organisation=dutch_partner)

    rows = exported_rows(export(client_of(alice), include_identity="on"))

    people = people_to_export_for(alice)
    expected = [
        [_as_read_back(display_value(record, name)) for name in people_columns(True)]
        + [_as_read_back(record.last_assistance_on), "yes" if record.has_open_referral else None]
        for record in people
    ]
    assert [list(row.values()) for row in rows] == expected
    assert len(expected) == 3
    assert {row["legal name"] for row in rows} >= {"unreadable (wrong key)", "Ionela Secret-Name"}


def _as_read_back(value):
    """A value as a spreadsheet program reads the cell back: a day as a moment, nothing for
    an empty text, "yes" or nothing for a yes/no."""
    if isinstance(value, bool):
        return "yes" if value else None
    if isinstance(value, date):
        return datetime.combine(value, time())
    if value == "":
        return None
    if isinstance(value, int):
        return value
    return None if value is None else str(value)
