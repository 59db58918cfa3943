"""The budget dashboard's chart of spending per month shows a locked year as published: an
expense dated in locked 2022 but entered after the lock moves neither the table nor the chart
until 2022 is restated; the months of 2023 (not locked) follow the records.

Hand-computed on tests/reports/builders.py (programme 2022-2023, no records added): before the
lock, ours spends 100 EUR on staff in March 2022 and theirs 30 EUR on activities in March 2022;
ours spends 20 EUR on staff in February 2023. So the partnership's March 2022 is 130, ours 100,
theirs 30; February 2023 is 20. After the lock, ours enters 50 EUR dated March 2022 and 40 EUR
dated February 2023."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from pillars.models import Expense, FrozenSpending
from pillars.services import restate_period
from tests.factories import make_member
from tests.reports.builders import build_plan
from tests.reports.test_every_view_of_a_locked_year import lock, restate

MARCH_2022, APRIL_2022, FEBRUARY_2023 = "Mar 2022", "Apr 2022", "Feb 2023"
NOT_KEPT = "Monthly spending not kept for 2022, locked on"


def spend(plan, organisation, line, on, euros):
    return Expense.objects.create(
        line=plan.lines[line],
        organisation=organisation,
        date=on,
        amount=Decimal(euros),
        currency="EUR",
        amount_eur=Decimal(euros),
    )


@pytest.fixture
def plan(db):
    plan = build_plan()
    spend(plan, plan.ours, "staff", date(2022, 3, 10), 100)
    spend(plan, plan.theirs, "activities", date(2022, 3, 20), 30)
    spend(plan, plan.ours, "staff", date(2023, 2, 5), 20)
    return plan


def spend_late(plan):
    """What ours enters after 2022 is locked."""
    spend(plan, plan.ours, "staff", date(2022, 3, 25), 50)
    spend(plan, plan.ours, "staff", date(2023, 2, 15), 40)


def chart(client, **query):
    """({month label: euros} of the chart, the page)."""
    response = client.get(reverse("reports:budget_dashboard"), query)
    assert response.status_code == 200
    columns = {column.label: column.value for column in response.context["chart"].columns}
    return columns, response.content.decode()


def test_a_late_expense_moves_the_chart_of_a_locked_year_only_once_restated(
    plan, programme_coordinator, our_coordinator
):
    lock(programme_coordinator, plan)
    spend_late(plan)

    partnership, page = chart(programme_coordinator)
    ours, _page = chart(our_coordinator)
    assert (partnership[MARCH_2022], partnership[FEBRUARY_2023]) == (130, 60)
    assert (ours[MARCH_2022], ours[FEBRUARY_2023]) == (100, 60)
    assert NOT_KEPT not in page

    restate(programme_coordinator, plan)

    partnership, _page = chart(programme_coordinator)
    ours, _page = chart(our_coordinator)
    assert (partnership[MARCH_2022], partnership[FEBRUARY_2023]) == (180, 60)
    assert (ours[MARCH_2022], ours[FEBRUARY_2023]) == (150, 60)


def test_the_organisation_filter_shows_what_that_organisation_published(
    plan, programme_coordinator
):
    lock(programme_coordinator, plan)
    spend(plan, plan.theirs, "activities", date(2022, 3, 28), 70)

    theirs, _page = chart(programme_coordinator, organisation="theirs")
    ours, _page = chart(programme_coordinator, organisation="ours")

    assert (theirs[MARCH_2022], theirs[FEBRUARY_2023]) == (30, 0)
    assert (ours[MARCH_2022], ours[FEBRUARY_2023]) == (100, 20)


def test_a_year_never_locked_follows_the_records(plan, programme_coordinator):
    spend_late(plan)

    partnership, page = chart(programme_coordinator)

    assert (partnership[MARCH_2022], partnership[FEBRUARY_2023]) == (180, 60)
    assert NOT_KEPT not in page


def test_a_year_locked_before_months_were_kept_is_left_out_and_says_so(plan, programme_coordinator):
    lock(programme_coordinator, plan)
    # What a lock made before this change left: the amounts without their months.
    FrozenSpending.objects.filter(period=plan.year).update(months=None)
    spend_late(plan)

    partnership, page = chart(programme_coordinator)

    assert MARCH_2022 not in partnership
    assert not [label for label in partnership if label.endswith("2022")]
    assert partnership[FEBRUARY_2023] == 60
    assert NOT_KEPT in page
    assert "its total stands in the table" in page


def test_an_expense_moved_to_another_month_of_the_year_is_restated_with_its_months(
    plan, programme_coordinator
):
    lock(programme_coordinator, plan)
    Expense.objects.filter(amount_eur=100).update(date=date(2022, 4, 2))

    restatement = restate_period(
        plan.year, reason="Dated in the wrong month", by=make_member(Role.PROGRAMME_COORDINATOR)
    )

    partnership, _page = chart(programme_coordinator)
    assert (partnership[MARCH_2022], partnership[APRIL_2022]) == (30, 100)
    assert {"indicator": "spent: Staff", "published": "100.00", "restated": "100.00"} in (
        restatement.changes
    )


@pytest.mark.parametrize(("locked", "queries"), [(False, 26), (True, 27)])
def test_the_chart_of_a_locked_year_costs_no_more_queries(
    plan, programme_coordinator, django_assert_num_queries, locked, queries
):
    # 26: tests/reports/test_query_counts.py pins 29 for the programme coordinator's first
    # request, which also notes the session's activity (3 queries). The chart reads the locked
    # years and their published months in two queries, locked or not; a locked year adds only
    # the financial table's read of its published spending per line.
    if locked:
        lock(programme_coordinator, plan)
        spend_late(plan)
    programme_coordinator.get(reverse("notifications:list"))  # notes the session's activity
    with django_assert_num_queries(queries):
        chart(programme_coordinator)
