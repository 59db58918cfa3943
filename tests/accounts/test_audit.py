import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

import accounts.services
from accounts.enums import AuditAction
from accounts.models import AuditEvent
from accounts.services import record_audit, record_audit_for_references
from nextsteps.request_context import RequestContext, reset_request_context, set_request_context
from tests.factories import BeneficiaryFactory


@pytest.fixture
def event(alice):
    return record_audit(
        AuditAction.VIEW, BeneficiaryFactory(organisation=alice.organisation), by=alice
    )


def test_an_audit_row_names_the_record_by_its_code_and_its_organisation(event, alice):
    assert event.object_reference.startswith("BET-")
    assert event.object_type == "cases.beneficiary"
    assert event.organisation == alice.organisation
    assert event.actor == alice


def test_the_app_cannot_change_or_delete_audit_rows(event):
    event.detail = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
@pytest.mark.parametrize(
    "statement",
    ["UPDATE accounts_auditevent SET detail = 'rewritten'", "DELETE FROM accounts_auditevent"],
)
def test_postgresql_refuses_updates_and_deletes_of_audit_rows(event, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def test_a_request_gives_its_audit_rows_an_id_and_address(client_of, alice):
    client = client_of(alice)

    response = client.post(reverse("accounts:logout"), REMOTE_ADDR="10.9.8.7")

    event = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert event.ip_address == "10.9.8.7"
    assert event.request_id == response["X-Request-ID"]


def test_rows_for_references_are_one_per_reference_in_order(alice, monkeypatch):
    # On PostgreSQL the database makes the rows from the list (one statement per 10,000);
    # elsewhere bulk_create does: either way the same rows.
    monkeypatch.setattr(accounts.services, "REFERENCES_PER_INSERT", 2)
    codes = ["BET-2024-0003", "BET-2024-0001", "BET-2024-0002", "BET-2023-0009", "BET-2024-0001"]
    before = timezone.now()
    token = set_request_context(RequestContext(ip_address="192.0.2.7", request_id="r-42"))
    try:
        record_audit_for_references(
            AuditAction.EXPORT,
            codes,
            object_type="cases.beneficiary",
            by=alice,
            organisation=alice.organisation,
            detail="in the people list export" + "." * 300,
        )
    finally:
        reset_request_context(token)

    rows = list(AuditEvent.objects.order_by("id"))
    assert [row.object_reference for row in rows] == codes
    assert {
        (row.actor, row.organisation, row.action, row.object_type, row.detail, row.ip_address)
        for row in rows
    } == {
        (
            alice,
            alice.organisation,
            AuditAction.EXPORT,
            "cases.beneficiary",
            ("in the people list export" + "." * 300)[:255],
            "192.0.2.7",
        )
    }
    assert {row.request_id for row in rows} == {"r-42"}
    assert len({row.public_id for row in rows}) == len(codes)
    assert all(row.public_id.version == 4 for row in rows)
    assert all(before <= row.occurred_at <= timezone.now() for row in rows)
