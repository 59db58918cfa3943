"""Locking a year publishes, for every choice of the report filters, the figures ``compute``
gives that choice (and the months ``compute_by_month_for`` gives it), from grouped queries: the
number of queries of a lock does not grow with the number of organisations."""

import json
from datetime import date
from itertools import product

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Organisation
from pillars.computations import ReportFilters, compute, compute_by_month_for
from pillars.dashboard_figures import CASELOAD, REFERRALS, caseload_counts, referral_counts
from pillars.enums import ComputationKind
from pillars.models import FrozenDashboard, FrozenResult, Indicator, Location, Period, SubProject
from pillars.results import dimension_of
from pillars.services import lock_period, unlock_period
from tests.factories import BeneficiaryFactory, OrganisationFactory, make_member
from tests.pillars.factories import (
    ActivityFactory,
    AssistanceFactory,
    IndicatorFactory,
    OutcomeFactory,
    ReferralFactory,
    VolunteerFactory,
    make_plan,
)


def every_choice():
    organisations = [None, *Organisation.objects.values_list("pk", flat=True)]
    locations = [None, *Location.objects.values_list("pk", flat=True)]
    sub_projects = [None, *SubProject.objects.values_list("pk", flat=True)]
    for organisation, location, sub_project in product(organisations, locations, sub_projects):
        yield ReportFilters(organisation=organisation, location=location, sub_project=sub_project)


def computed_one_choice_at_a_time(period):
    """{(indicator id, dimension): (figure, months)} as ``compute`` and ``compute_by_month_for``
    give each choice of the filters on its own."""
    indicators = list(Indicator.objects.filter(programme_id=period.programme_id))
    expected = {}
    for filters in every_choice():
        figures = compute(indicators, period.start_date, period.end_date, filters)
        months = compute_by_month_for(indicators, period.start_date, period.end_date, filters)
        for indicator_id, value in figures.items():
            expected[(indicator_id, dimension_of(filters))] = (
                value,
                {month.isoformat(): figure for month, figure in months.get(indicator_id, [])},
            )
    return expected


def published(period):
    return {
        (row.indicator_id, row.dimension): (int(row.value), row.months)
        for row in FrozenResult.objects.current().filter(period=period)
    }


@pytest.mark.parametrize("label", ["2022", "2021-2023"])
def test_every_published_figure_is_what_its_choice_of_filters_computes(demo_data, db, label):
    period = Period.objects.get(label=label)
    expected = computed_one_choice_at_a_time(period)

    lock_period(period, by=make_member(Role.PROGRAMME_COORDINATOR))

    assert published(period) == expected
    # The demo's figures are not all zero: the comparison compares something.
    assert sum(1 for value, _months in expected.values() if value) > 50


def dashboards_one_choice_at_a_time(period, today):
    """{(dashboard, dimension): figures} as ``referral_counts`` and ``caseload_counts`` give
    each choice of the dashboards' filters on its own, through JSON as they are stored."""
    start, end = period.start_date, period.end_date
    organisations = [None, *Organisation.objects.values_list("pk", flat=True)]
    locations = [None, *Location.objects.values_list("pk", flat=True)]
    expected = {}
    for organisation in organisations:
        dimension = dimension_of(ReportFilters(organisation=organisation))
        expected[(REFERRALS, dimension)] = referral_counts(
            start, end, organisation=organisation, today=today
        )
    for organisation, location in product(organisations, locations):
        dimension = dimension_of(ReportFilters(organisation=organisation, location=location))
        expected[(CASELOAD, dimension)] = caseload_counts(
            start, end, organisation=organisation, location=location
        ).figures
    return json.loads(json.dumps({"|".join(key): figures for key, figures in expected.items()}))


@pytest.mark.parametrize("label", ["2022", "2021-2023"])
def test_every_published_dashboard_is_what_its_choice_of_filters_counts(demo_data, db, label):
    period = Period.objects.get(label=label)
    expected = dashboards_one_choice_at_a_time(period, timezone.localdate())

    lock_period(period, by=make_member(Role.PROGRAMME_COORDINATOR))

    rows = FrozenDashboard.objects.current().filter(period=period)
    assert {f"{row.dashboard}|{row.dimension}": row.figures for row in rows} == expected
    # Referrals, waits and intakes the comparison compares.
    assert expected[f"{REFERRALS}|"]["accepted"] > 0
    assert expected[f"{REFERRALS}|"]["median_days_to_accept"] is not None
    assert expected[f"{CASELOAD}|"]["intakes"]


KINDS = [
    ComputationKind.ASSISTED_PEOPLE,
    ComputationKind.NEW_PEOPLE,
    ComputationKind.PEOPLE_WITH_OUTCOME,
    ComputationKind.ACTIVITY_PEOPLE,
    ComputationKind.REFERRALS,
    ComputationKind.ACTIVITY_PARTICIPANTS,
    ComputationKind.ACTIVE_VOLUNTEERS,
]


def add_organisation_with_records(plan, location, sub_project):
    """An organisation with a person assisted, taken in, with an outcome, at an activity,
    referred to it, and a volunteer: a record for every kind of computation."""
    organisation = OrganisationFactory()
    person = BeneficiaryFactory(organisation=organisation, location=location)
    AssistanceFactory(beneficiary=person, location=location, sub_project=sub_project)
    OutcomeFactory(beneficiary=person, location=location, sub_project=sub_project)
    ReferralFactory(to_organisation=organisation, location=location)
    ActivityFactory(
        pillar=plan.pillars[1],
        organisation=organisation,
        location=location,
        sub_project=sub_project,
        starts_on=date(2022, 4, 1),
        people=[person],
    )
    VolunteerFactory(organisation=organisation, location=location)
    return organisation


def queries_of_locking(plan, organisations):
    for number in range(organisations):
        add_organisation_with_records(
            plan, [plan.oradea, plan.bucharest][number % 2], [plan.main, plan.refugee][number % 2]
        )
    year = plan.periods["2022"]
    with CaptureQueriesContext(connection) as queries:
        lock_period(year, by=plan.coordinator)
    # The published rows are inserted in batches, more of them on SQLite (its limit on
    # parameters) as the rows grow: the queries that compute are counted.
    reads = [query for query in queries.captured_queries if not query["sql"].startswith("INSERT")]
    return len(reads), FrozenResult.objects.current().filter(period=year).count()


@pytest.fixture
def plan(db):
    plan = make_plan()
    for kind in KINDS:
        IndicatorFactory(programme=plan.programme, pillar=plan.pillars[1], computation=kind)
    plan.coordinator = make_member(Role.PROGRAMME_COORDINATOR)
    return plan


def test_locking_reads_as_many_queries_with_many_organisations_as_with_one(plan):
    one, published_with_one = queries_of_locking(plan, 1)
    unlock_period(plan.periods["2022"], by=plan.coordinator)

    several, published_with_several = queries_of_locking(plan, 4)

    assert several == one
    # Each organisation more has its published figures.
    assert published_with_several > published_with_one
