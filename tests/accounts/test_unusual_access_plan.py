"""On PostgreSQL the unusual-access review looks for bursts one user at a time, in the order of
the index of record views by user and time: a window function over what the index returns,
with no sort of the month's views (accounts.unusual_access). The benchmark (bench/) times it at
national scale; this checks the plan that makes it fast."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from accounts.selectors import audit_events_for
from accounts.unusual_access import access_bursts
from tests.factories import make_member

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plan is PostgreSQL's (production)"
)


def plan_of(queryset) -> dict:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_auditevent")
        # At national scale the planner picks this plan by itself (EXPLAIN ANALYZE on the
        # benchmark's database: 122 users, 84,000 views in a month). A few thousand rows cost
        # next to nothing however they are read: price out reading the whole table and
        # sorting, and see that the query leaves a plan that needs neither.
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        [[plan]] = cursor.fetchall()
    return plan[0]["Plan"]


def nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def test_bursts_are_looked_for_per_user_in_index_order_without_sorting_the_views(betania):
    start = datetime(2024, 3, 1, tzinfo=UTC)
    users = [
        make_member(Role.CASEWORKER, betania, email=f"user{n}@betania.test") for n in range(40)
    ]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=users[number % 40],
            organisation=betania,
            action=AuditAction.VIEW,
            object_type="beneficiary",
            object_reference=f"BET-2024-{number % 700:04d}",
            occurred_at=start + timedelta(minutes=3 * number),
        )
        for number in range(8000)
    )
    dpo = make_member(Role.DATA_PROTECTION_OFFICER)

    plan = plan_of(
        access_bursts(audit_events_for(dpo), start=start, end=start + timedelta(days=30))
    )

    windows = [node for node in nodes(plan) if node["Node Type"] == "WindowAgg"]
    assert windows
    for window in windows:
        [below] = window["Plans"]
        # The user's views come in time order from an index (at national scale the one by
        # user and time, audit_record_views_by_actor), never through a sort.
        assert below["Node Type"] in {"Index Only Scan", "Index Scan"}, below["Node Type"]
