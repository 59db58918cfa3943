"""Exports of personal data are encrypted with the password the user typed: without it they do
not open, with it they do; they are refused to roles that may not see identities. Aggregate
exports stay plain files."""

import io
import zipfile

import pytest
from django.urls import reverse
from msoffcrypto.exceptions import DecryptionError
from openpyxl import load_workbook

from accounts.enums import Role
from tests.factories import BeneficiaryFactory, make_member
from tests.office_files import decrypted
from tests.reports.builders import build_plan
from tests.reports.reading import office_text

PASSWORD = "four words make a key"
PASSWORDS = {"password": PASSWORD, "password_again": PASSWORD}


@pytest.fixture
def people(betania):
    return [
        BeneficiaryFactory(organisation=betania, alias="Mirela", legal_name="Ionela Secret-Name"),
        BeneficiaryFactory(organisation=betania, alias="Dana", status="closed"),
    ]


def export_people(client, query="", **data):
    return client.post(f"{reverse('cases:beneficiary_export')}?{query}", {**PASSWORDS, **data})


def test_the_people_list_opens_only_with_its_password(client_of, alice, people):
    response = export_people(client_of(alice), include_identity="on")

    content = response.content
    assert response.status_code == 200
    assert not zipfile.is_zipfile(io.BytesIO(content))
    with pytest.raises(zipfile.BadZipFile):
        load_workbook(io.BytesIO(content))
    for wrong in ["", "four words make a kez", PASSWORD.upper()]:
        with pytest.raises(DecryptionError):
            decrypted(content, wrong)
    rows = list(load_workbook(io.BytesIO(decrypted(content, PASSWORD)))["People"].values)
    assert {row[0] for row in rows[1:]} == {person.code for person in people}
    assert "Ionela Secret-Name" in {cell for row in rows for cell in row}
    assert PASSWORD.encode() not in content


def test_the_access_report_opens_only_with_its_password(client_of, people):
    client = client_of(make_member(Role.DATA_PROTECTION_OFFICER))
    url = reverse("cases:access_report_download", kwargs={"code": people[0].code})

    content = client.post(url, PASSWORDS).content

    with pytest.raises(DecryptionError):
        decrypted(content, "not the password at all")
    text = office_text(decrypted(content, PASSWORD))
    assert "Ionela Secret-Name" in text
    assert people[0].code in text


@pytest.mark.parametrize(
    "role", [Role.ORGANISATION_COORDINATOR, Role.PROGRAMME_COORDINATOR, Role.SITE_ADMIN]
)
def test_roles_that_do_not_see_identities_get_403_for_the_people_list(
    client_of, betania, people, role
):
    client = client_of(make_member(role, betania))

    assert client.get(reverse("cases:beneficiary_export")).status_code == 403
    assert export_people(client).status_code == 403


def test_the_data_protection_officer_exports_access_reports_not_lists(client_of, people):
    client = client_of(make_member(Role.DATA_PROTECTION_OFFICER))

    assert export_people(client).status_code == 403


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ORGANISATION_ADMIN])
def test_no_one_else_gets_an_access_report(client_of, betania, people, role):
    client = client_of(make_member(role, betania))
    url = reverse("cases:access_report_download", kwargs={"code": people[0].code})

    assert client.post(url, PASSWORDS).status_code == 404


@pytest.mark.parametrize("file_format", ["xlsx", "docx"])
def test_an_aggregate_export_stays_a_plain_file(client_of, db, file_format):
    build_plan()
    client = client_of(make_member(Role.PROGRAMME_COORDINATOR))

    response = client.get(
        reverse("reports:indicator_table_export", args=[file_format]), {"period": "2022"}
    )

    assert response.status_code == 200
    assert "Pillar 1" in office_text(response.content)
