"""A report costs the same number of queries with 1 record or 50: figures are aggregated in SQL
(pillars.computations), never counted row by row."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from tests.factories import make_member
from tests.reports.builders import add_records, build_plan

# URL name, query string, queries for the programme coordinator, for an organisation coordinator
# (each page that shows figures reads the data version once per kind of figures it shows)
PAGES = [
    ("reports:home", "", 6, 6),
    ("reports:indicator_table", "period=2022", 24, 22),
    ("reports:indicator_table_print", "period=2022", 19, 18),
    ("reports:financial", "", 26, 24),
    # One more: the outcome indicators, shown whatever the layout (none in this plan).
    ("reports:dashboard", "period=2022", 30, 28),
    # One more than before their figures were cached under the data version: the version.
    ("reports:referrals_dashboard", "period=2022", 14, 13),
    ("reports:caseload_dashboard", "period=2022", 14, 13),
    # Two more than before the chart read a locked year's published months: the locked years,
    # and their published months (whatever the years locked).
    ("reports:budget_dashboard", "", 29, 27),
]


@pytest.fixture
def plan(db):
    return build_plan()


@pytest.mark.parametrize("records", [1, 50])
@pytest.mark.parametrize(("url_name", "query", "partnership", "organisation"), PAGES)
def test_a_report_page_costs_the_same_queries_whatever_the_records(
    plan, client_of, django_assert_num_queries, records, url_name, query, partnership, organisation
):
    add_records(plan, records)
    url = f"{reverse(url_name)}?{query}"
    for role, expected in [
        (Role.PROGRAMME_COORDINATOR, partnership),
        (Role.ORGANISATION_COORDINATOR, organisation),
    ]:
        client = client_of(make_member(role, plan.ours))
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("records", [1, 50])
def test_the_records_behind_a_figure_cost_the_same_queries(
    plan, client_of, django_assert_num_queries, records
):
    add_records(plan, records)
    client = client_of(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))
    url = f"{reverse('reports:indicator_records')}?period=2022&indicator=people"

    with django_assert_num_queries(24):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.count(b">OUR-2022-") == records


@pytest.mark.parametrize("records", [1, 50])
def test_the_breakdown_by_organisation_costs_the_same_queries(
    plan, client_of, django_assert_num_queries, records
):
    add_records(plan, records)
    add_records(plan, records, organisation=plan.theirs)
    client = client_of(make_member(Role.PROGRAMME_COORDINATOR))
    url = f"{reverse('reports:indicator_breakdown')}?period=2022&indicator=participants"

    with django_assert_num_queries(23):
        response = client.get(url)

    assert response.status_code == 200
