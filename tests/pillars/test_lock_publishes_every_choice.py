"""Locking a year publishes, for every choice of the report filters, the figures ``compute``
gives that choice (and the months ``compute_by_month_for`` gives it), from grouped queries: the
number of queries of a lock does not grow with the number of organisations."""

from datetime import date
from itertools import product

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.enums import Role
from accounts.models import Organisation
from pillars.computations import ReportFilters, compute, compute_by_month_for
from pillars.enums import ComputationKind
from pillars.models import FrozenResult, Indicator, Location, Period, SubProject
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
    return len(queries.captured_queries), FrozenResult.objects.current().filter(period=year).count()


@pytest.fixture
def plan(db):
    plan = make_plan()
    for kind in KINDS:
        IndicatorFactory(programme=plan.programme, pillar=plan.pillars[1], computation=kind)
    plan.coordinator = make_member(Role.PROGRAMME_COORDINATOR)
    return plan


def test_locking_takes_as_many_queries_with_many_organisations_as_with_one(plan):
    one, published_with_one = queries_of_locking(plan, 1)
    unlock_period(plan.periods["2022"], by=plan.coordinator)

    several, published_with_several = queries_of_locking(plan, 4)

    assert several == one
    # Each organisation more has its published figures.
    assert published_with_several > published_with_one
