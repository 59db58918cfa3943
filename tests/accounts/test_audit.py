import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from accounts.services import record_audit
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
