"""Report pages read from the read replica when one is configured (DATABASE_REPLICA_URL,
nextsteps.db_routers); casework and every write stay on the primary. Tested with a second
database alias that opens its own connection to the test database."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.enums import Role
from cases.models import Assistance
from nextsteps.db_routers import ReplicaRouter, reading_from_replica
from tests.factories import make_member
from tests.reports.builders import add_records, build_plan

ROUTERS = ["nextsteps.db_routers.ReplicaRouter"]


def test_only_reads_inside_a_report_go_to_the_replica():
    router = ReplicaRouter()

    assert router.db_for_read(Assistance) == "default"
    with reading_from_replica():
        assert router.db_for_read(Assistance) == "replica"
        assert router.db_for_write(Assistance) == "default"
    assert router.db_for_read(Assistance) == "default"
    assert router.allow_migrate("default", "cases") is True
    assert router.allow_migrate("replica", "cases") is False


@pytest.fixture(scope="module")
def replica_database(django_db_setup, django_db_blocker):
    """A second alias on the same test database, with a connection of its own; module-scoped
    so that it exists before each test declares the databases it uses."""
    connections.settings["replica"] = dict(connections["default"].settings_dict)
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]


@pytest.fixture
def replica_alias(replica_database):
    with override_settings(DATABASE_ROUTERS=ROUTERS):
        yield connections["replica"]


def selects_of(captured, table):
    return [q["sql"] for q in captured if q["sql"].startswith("SELECT") and table in q["sql"]]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_report_page_reads_its_figures_from_the_replica_and_writes_its_audit_row_to_the_primary(
    replica_alias, client_of
):
    plan = build_plan()
    add_records(plan, 3)
    client = client_of(make_member(Role.PROGRAMME_COORDINATOR))

    with (
        CaptureQueriesContext(replica_alias) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(reverse("reports:indicator_table"), {"period": "2022"})

    assert response.status_code == 200
    # The people helped in the year: from the assistance facts (pillars.facts).
    assert selects_of(on_replica, "pillars_assistancefact")
    assert not selects_of(on_primary, "pillars_assistancefact")
    assert not selects_of(on_primary, "cases_assistance")


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_casework_never_reads_from_the_replica(replica_alias, client_of):
    plan = build_plan()
    add_records(plan, 2)
    client = client_of(make_member(Role.CASEWORKER, plan.ours))

    with CaptureQueriesContext(replica_alias) as on_replica:
        response = client.get(reverse("cases:beneficiary_list"))

    assert response.status_code == 200
    assert len(on_replica) == 0
