"""Every filter the growing lists offer is answered through an index on PostgreSQL (issue 14
point 4): the people list's filters and search, the referral inbox and the audit log's filters.

Each list's own query (built by its selector and filter, as the page builds it) is explained
with sequential scans priced out of reach (``enable_seqscan = off``): a filter that some index
serves then shows that index in the plan with the filtered column in its condition; a filter no
index serves still reads the whole table, whatever it costs, and fails here. The table can thus
stay small; the benchmark (bench/) times the same lists at national scale."""

from datetime import date

import pytest
from django.db import connection

from accounts.enums import Role
from accounts.filters import AuditEventFilter
from accounts.selectors import audit_events_for
from cases.filters import BeneficiaryFilter
from cases.selectors import beneficiary_rows_for, referral_inbox_for
from nextsteps.scoping import organisation_scope
from tests.factories import BeneficiaryFactory, ServiceTypeFactory, make_member

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="index plans are PostgreSQL's (production)"
)


def index_conditions(queryset, table: str) -> list[str]:
    """The conditions through which the query's plan reads ``table`` by one of its indexes."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        [[plan]] = cursor.fetchall()
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        indexes = {name for (name,) in cursor.fetchall()}
    return [
        node.get("Index Cond", "")
        for node in _nodes(plan[0]["Plan"])
        if node.get("Index Name") in indexes
    ]


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def assert_read_through_an_index(queryset, table, column):
    conditions = index_conditions(queryset, table)
    assert any(column in condition for condition in conditions), (
        f"no index of {table} serves {column}: {conditions}"
    )


@pytest.fixture
def alice(betania):
    return make_member(Role.CASEWORKER, betania)


@pytest.fixture
def scoped(alice):
    with organisation_scope([alice.organisation.pk]):
        yield


PEOPLE_FILTERS = [
    ({"status": "active"}, "cases_beneficiary", "status"),
    ({"category": "refugee"}, "cases_beneficiary", "category"),
    ({"q": "Mir"}, "cases_beneficiary", "alias"),
    ({"q": "BET-2022"}, "cases_beneficiary", "code"),
    ({"assisted_from": "2022-01-01", "assisted_until": "2022-03-31"}, "cases_assistance", "date"),
]


@pytest.mark.parametrize(("data", "table", "column"), PEOPLE_FILTERS)
def test_the_people_list_filters_through_an_index(alice, scoped, data, table, column):
    BeneficiaryFactory(organisation=alice.organisation)
    people = BeneficiaryFilter(data, queryset=beneficiary_rows_for(alice))
    assert people.is_valid(), people.errors

    assert_read_through_an_index(people.qs, table, column)


def test_the_people_list_finds_who_had_a_service_through_an_index(alice, scoped):
    service = ServiceTypeFactory(code="shelter")
    people = BeneficiaryFilter(
        {"service_type": service.pk, "assisted_from": "2022-01-01"},
        queryset=beneficiary_rows_for(alice),
    )
    assert people.is_valid(), people.errors

    assert_read_through_an_index(people.qs, "cases_assistance", "service_type_id")


def test_the_people_list_reads_only_the_organisation_through_an_index(alice, scoped):
    assert_read_through_an_index(beneficiary_rows_for(alice), "cases_beneficiary", "organisation")


def test_the_referral_inbox_reads_the_referrals_received_through_an_index(alice, scoped):
    inbox = referral_inbox_for(alice, today=date(2024, 1, 1))

    assert_read_through_an_index(inbox, "cases_referral", "to_organisation_id")


AUDIT_FILTERS = [
    ("action", lambda world: "export", "action"),
    ("record", lambda world: "BET-2022-0001", "object_reference"),
    ("occurred_from", lambda world: "2024-01-01", "occurred_at"),
    ("organisation", lambda world: world.organisation.slug, "organisation_id"),
    ("actor", lambda world: world.public_id, "actor_id"),
]


@pytest.mark.parametrize(("name", "value", "column"), AUDIT_FILTERS)
def test_the_audit_log_filters_through_an_index(alice, name, value, column):
    officer = make_member(Role.DATA_PROTECTION_OFFICER)
    events = AuditEventFilter({name: value(alice)}, queryset=audit_events_for(officer))
    assert events.is_valid(), events.errors

    assert_read_through_an_index(events.qs, "accounts_auditevent", column)
