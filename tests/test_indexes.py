"""Every filter the growing lists offer is answered through an index on PostgreSQL (issue 14
point 4): the people list's filters and search, the referral inbox and the audit log's filters.

Each list's own query (built by its selector and filter, as the page builds it) is explained
over two organisations of a few thousand people, with the planner's statistics up to date and
sequential scans priced out of reach (``enable_seqscan = off``): a filter that an index serves
shows that index in the plan with the filtered column in its condition; a filter no index
serves reads the organisation's people one by one and fails here. The benchmark (bench/) times
the same lists at national scale."""

from datetime import date

import pytest
from django.db import connection

from accounts.enums import Role
from accounts.filters import AuditEventFilter
from accounts.selectors import audit_events_for
from cases.filters import BeneficiaryFilter
from cases.models import Beneficiary
from cases.selectors import beneficiary_rows_for, referral_inbox_for
from nextsteps.scoping import organisation_scope, scopes_disabled
from tests.factories import BeneficiaryFactory, LocationFactory, ServiceTypeFactory, make_member

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="index plans are PostgreSQL's (production)"
)


def explained(queryset) -> dict:
    """The plan of the query, with sequential scans priced out of reach."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        [[plan]] = cursor.fetchall()
    return plan[0]["Plan"]


def index_conditions(queryset, table: str) -> list[str]:
    """The conditions through which the query's plan reads ``table`` by one of its indexes."""
    plan = explained(queryset)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        indexes = {name for (name,) in cursor.fetchall()}
    return [
        node.get("Index Cond", "") for node in _nodes(plan) if node.get("Index Name") in indexes
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


PEOPLE_PER_ORGANISATION = 1500


@pytest.fixture
def alice(betania, outsider_organisation):
    """A caseworker of an organisation of 1,500 people (beside another of as many): most of them
    active and exiting prostitution, a few closed or refugees, in ten places, one Mirela."""
    for organisation in (betania, outsider_organisation):
        places = [LocationFactory(code=f"{organisation.slug}-{number}") for number in range(10)]
        people = [
            _with_intake_facts(
                BeneficiaryFactory.build(
                    organisation=organisation,
                    location=places[number % len(places)],
                    code=f"{organisation.code_prefix}-2022-{number:04d}",
                    alias="Mirela" if number == 7 else f"Alias {number}",
                    status="closed" if number % 20 == 0 else "active",
                    category="refugee" if number % 10 == 0 else "exiting_prostitution",
                    legal_name="",
                    phone="",
                )
            )
            for number in range(1, PEOPLE_PER_ORGANISATION + 1)
        ]
        Beneficiary.objects.bulk_create(people)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_beneficiary")
    return make_member(Role.CASEWORKER, betania)


def _with_intake_facts(person):
    """What ``save`` fills in and ``bulk_create`` does not: the facts as they were at intake."""
    person.category_at_intake = person.category
    person.location_at_intake = person.location
    person.organisation_at_intake = person.organisation
    return person


@pytest.fixture
def scoped(alice):
    with organisation_scope([alice.organisation.pk]):
        yield


PEOPLE_FILTERS = [
    ({"assisted_from": "2022-01-01", "assisted_until": "2022-03-31"}, "cases_assistance", "date"),
]


@pytest.mark.parametrize(("data", "table", "column"), PEOPLE_FILTERS)
def test_the_people_list_filters_through_an_index(alice, scoped, data, table, column):
    people = BeneficiaryFilter(data, queryset=beneficiary_rows_for(alice))
    assert people.is_valid(), people.errors

    # Without the list's order: on a page of 25 the planner may rightly read the organisation's
    # people in list order (beneficiary_list_order) and filter them; the question here is
    # whether an index answers the filter itself.
    assert_read_through_an_index(people.qs.order_by(), table, column)


# A filter on the person's own columns that a few of the organisation's people meet: closed
# cases, refugees, one place.
PAGE_FILTERS = [
    ({"status": "closed"}, "status"),
    ({"category": "refugee"}, "category"),
    ("location", "location_id"),
]


@pytest.mark.parametrize(("data", "column"), PAGE_FILTERS)
def test_a_page_of_the_filtered_people_list_is_read_in_list_order_from_an_index(
    alice, scoped, data, column
):
    if data == "location":
        data = {"location": Beneficiary.objects.filter(code="BET-2022-0001").get().location_id}
    people = BeneficiaryFilter(data, queryset=beneficiary_rows_for(alice))
    assert people.is_valid(), people.errors
    # The page's keys, as nextsteps.pagination.PageByKeysPaginator asks for them.
    page_keys = people.qs.values("pk")[:25]

    plan = explained(page_keys)

    assert not [node for node in _nodes(plan) if node["Node Type"] == "Sort"], (
        "the page is sorted after reading every match instead of read in list order"
    )
    assert_read_through_an_index(page_keys, "cases_beneficiary", column)


TRIGRAM_INDEXES = {"beneficiary_alias_trigram": "alias", "beneficiary_code_trigram": "code"}


@pytest.mark.parametrize("term", ["mirela", "2022-0007"])
def test_the_people_search_reads_code_and_alias_through_trigram_indexes(alice, term):
    # Over the whole partnership: within one organisation of 1,500 people the planner rightly
    # reads the organisation's list index, which holds code and alias, and tests each entry
    # (as it does at national scale for a common word); a rare term (a code) found among
    # 200,000 people is found through these indexes.
    with scopes_disabled():
        people = BeneficiaryFilter({"q": term}, queryset=Beneficiary.objects.all())
        assert people.is_valid(), people.errors
        plan = explained(people.qs.order_by())

    read = {
        TRIGRAM_INDEXES[node["Index Name"]]: node["Index Cond"]
        for node in _nodes(plan)
        if node.get("Index Name") in TRIGRAM_INDEXES
    }
    assert set(read) == {"alias", "code"}, plan
    assert all(term.upper() in condition for condition in read.values())


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
