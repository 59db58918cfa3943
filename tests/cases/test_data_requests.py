"""The data protection officer's data requests: finding a record by code, its summary (no
identity), the access report (everything, audited), its encrypted download, and erasure."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases.enums import ReferralStatus
from cases.models import Beneficiary, CaseNote, ErasureNotice
from tests.cases.factories import AssistanceFactory
from tests.factories import make_member
from tests.office_files import decrypted
from tests.reports.reading import office_text

PASSWORD = "four words make a key"


@pytest.fixture
def dpo(db):
    return make_member(Role.DATA_PROTECTION_OFFICER, email="dpo@partnership.test")


@pytest.fixture
def dpo_client(client_of, dpo):
    return client_of(dpo)


@pytest.fixture
def full_file(person, referral, ijm_caseworker, alice, reference_data):
    """Betania's person with something of every kind: help with a note, a referral to IJM with
    a message, accepted and helped against, an outcome, an activity, and a look by IJM."""
    from cases.models import Outcome
    from tests.pillars.factories import ActivityFactory

    referral.message = "Message only partners read"
    referral.status = ReferralStatus.ACCEPTED
    referral.save()
    AssistanceFactory(beneficiary=person, note="Assistance note only Betania reads")
    AssistanceFactory(
        beneficiary=person, organisation=ijm_caseworker.organisation, referral=referral
    )
    Outcome.objects.create(
        beneficiary=person,
        organisation=person.organisation,
        kind="employed",
        date=date(2023, 5, 1),
        note="Outcome note",
    )
    ActivityFactory(organisation=person.organisation, title="Sewing course", people=[person])
    her_caseworker = Client()
    her_caseworker.force_login(alice)
    her_caseworker.get(reverse("cases:beneficiary_detail", kwargs={"code": person.code}))
    return person


def audit_rows(action, code):
    return AuditEvent.objects.filter(action=action, object_reference=code)


# -- finding a record ----------------------------------------------------------------------------


def test_a_record_is_found_by_its_code_in_any_letter_case(dpo_client, person):
    response = dpo_client.get(reverse("cases:data_requests"), {"code": person.code.lower()})

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:data_request", kwargs={"code": person.code})


def test_an_unknown_code_is_said_so(dpo_client, person):
    response = dpo_client.get(reverse("cases:data_requests"), {"code": "BET-1999-0001"})

    assert response.status_code == 400
    assert "No record has this code." in response.content.decode()


@pytest.mark.parametrize(
    "role",
    [
        Role.CASEWORKER,
        Role.ORGANISATION_ADMIN,
        Role.ORGANISATION_COORDINATOR,
        Role.PROGRAMME_COORDINATOR,
        Role.SITE_ADMIN,
    ],
)
@pytest.mark.parametrize("url_name", ["cases:data_requests", "cases:retention"])
def test_only_the_data_protection_officer_handles_requests(
    client_of, betania, person, role, url_name
):
    client = client_of(make_member(role, betania))

    assert client.get(reverse(url_name)).status_code == 403
    detail = reverse("cases:data_request", kwargs={"code": person.code})
    assert client.get(detail).status_code == 404


# -- the summary and the access report -----------------------------------------------------------


def test_the_summary_counts_what_is_held_without_her_identity(dpo_client, full_file):
    response = dpo_client.get(reverse("cases:data_request", kwargs={"code": full_file.code}))

    content = response.content.decode()
    assert response.status_code == 200
    assert full_file.code in content
    assert "IJM (test)" in content  # the partner she was referred to
    for private in ["Mirela", "Ionela Secret-Name", "Notes only Betania reads", "Trafficker"]:
        assert private not in content
    looks = audit_rows(AuditAction.VIEW, full_file.code).filter(detail="data request summary")
    assert looks.count() == 1


def test_the_access_report_shows_everything_held(dpo_client, full_file, dpo):
    before = AuditEvent.objects.count()

    response = dpo_client.get(reverse("cases:access_report", kwargs={"code": full_file.code}))

    content = response.content.decode()
    assert response.status_code == 200
    for held in [
        "Mirela",
        "Ionela Secret-Name",
        "+40 711 222 333",
        "Notes only Betania reads",
        "Trafficker looking for her",
        "Assistance note only Betania reads",
        "Message only partners read",
        "Outcome note",
        "Sewing course",
        "Sharing with a partner organisation",  # her consent to share with IJM
        "IJM (test)",
    ]:
        assert held in content, held
    # Who looked: organisation and role, not the staff member's address.
    looks = content.split('data-testid="section-looks"')[1].split("</section>")[0]
    assert "Betania (test)" in looks and "Caseworker" in looks
    assert "alice@betania.test" not in content
    assert AuditEvent.objects.count() == before + 1
    assert audit_rows(AuditAction.VIEW, full_file.code).filter(actor=dpo, detail="access report")


@pytest.mark.parametrize("more_help", [0, 30])
def test_the_access_report_costs_the_same_queries_however_full_the_file(
    dpo_client, full_file, django_assert_num_queries, more_help
):
    url = reverse("cases:access_report", kwargs={"code": full_file.code})
    dpo_client.get(url)  # the session's first page stamps what every later page reads
    AssistanceFactory.create_batch(more_help, beneficiary=full_file, note="More help")

    # session, user; the record; how long its history is (one query of counts: a long one is
    # prepared by an export job); its audit row; assistance, referrals, their services and
    # steps, consent, outcomes, notes, goals, tasks, activities, documents, transfers, looks,
    # partners; not the session's last-activity stamp (noted once a minute, by the page before)
    with django_assert_num_queries(19):
        dpo_client.get(url)


def test_the_download_is_encrypted_and_audited_once(dpo_client, full_file):
    url = reverse("cases:access_report_download", kwargs={"code": full_file.code})

    response = dpo_client.post(url, {"password": PASSWORD, "password_again": PASSWORD})

    assert response["Content-Disposition"] == (
        f'attachment; filename="access-report-{full_file.code}.docx"'
    )
    text = office_text(decrypted(response.content, PASSWORD))
    assert "Ionela Secret-Name" in text and "Message only partners read" in text
    assert audit_rows(AuditAction.EXPORT, full_file.code).count() == 1


@pytest.mark.parametrize(
    ("password", "again"),
    [("four words make a key", "four words make a kez"), ("short", "short"), ("", "")],
)
def test_a_bad_password_gets_no_file_and_no_audit_row(dpo_client, person, password, again):
    url = reverse("cases:access_report_download", kwargs={"code": person.code})

    response = dpo_client.post(url, {"password": password, "password_again": again})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not audit_rows(AuditAction.EXPORT, person.code).exists()


# -- erasure ---------------------------------------------------------------------------------


def test_erasure_asks_for_the_code_again(dpo_client, person):
    url = reverse("cases:erasure", kwargs={"code": person.code})
    assert dpo_client.get(url).status_code == 200

    response = dpo_client.post(url, {"ground": "request", "confirm_code": "BET-2022-9999"})

    assert response.status_code == 400
    person.refresh_from_db()
    assert not person.is_erased
    assert audit_rows(AuditAction.VIEW, person.code).count() == 2  # the page, twice
    assert not audit_rows(AuditAction.ERASE, person.code).exists()


def test_erasure_leaves_a_stub_and_tells_the_partner(dpo_client, full_file, dpo, ijm):
    url = reverse("cases:erasure", kwargs={"code": full_file.code})

    response = dpo_client.post(url, {"ground": "request", "confirm_code": full_file.code.lower()})

    assert response.status_code == 302
    stub = Beneficiary.objects.get(pk=full_file.pk)
    assert stub.is_erased
    assert (stub.alias, stub.legal_name, stub.safety_reason) == ("", "", "")
    assert [note.text for note in CaseNote.objects.filter(beneficiary=stub)] == [""]
    assert list(ErasureNotice.objects.values_list("organisation", flat=True)) == [ijm.pk]
    erased = audit_rows(AuditAction.ERASE, full_file.code).get()
    assert (erased.actor, erased.detail) == (
        dpo,
        "erased (request); partners told: 1; documents removed: 0",
    )
    # Nothing is left to report or erase.
    again = dpo_client.get(url)
    assert again.status_code == 302
    report = reverse("cases:access_report", kwargs={"code": full_file.code})
    assert dpo_client.get(report).status_code == 302
