"""The activity list and a pillar's plan take the same number of queries with 1 record as with
50: rows are fetched with their relations and figures are aggregated in SQL."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.enums import Role
from pillars.enums import ComputationKind
from pillars.models import Remark, Target
from tests.factories import BeneficiaryFactory, make_member
from tests.pillars.factories import ActivityFactory, IndicatorFactory, add_row, make_plan

COMPUTATIONS = [
    ComputationKind.ACTIVITY_PARTICIPANTS,
    ComputationKind.ACTIVITY_PEOPLE,
    ComputationKind.ASSISTED_PEOPLE,
    ComputationKind.ACTIVE_VOLUNTEERS,
    ComputationKind.MANUAL,
]


@pytest.fixture
def plan(db, betania):
    plan = make_plan()
    plan.coordinator = make_member(Role.ORGANISATION_COORDINATOR, betania)
    plan.programme_coordinator = make_member(Role.PROGRAMME_COORDINATOR)
    plan.organisation = betania
    return plan


def add_activities(plan, count):
    person = BeneficiaryFactory(organisation=plan.organisation)
    for number in range(count):
        ActivityFactory(
            pillar=plan.pillars[number % 3 + 1],
            organisation=plan.organisation,
            starts_on=date(2022, 1, 1) + timedelta(days=number),
            location=plan.oradea,
            sub_project=plan.main,
            people=[person],
        )


def add_indicators(plan, count):
    """``count`` indicators of each kind of computation (one query per kind of rows read)."""
    year = plan.periods["2022"]
    for number in range(count * len(COMPUTATIONS)):
        indicator = IndicatorFactory(
            programme=plan.programme,
            pillar=plan.pillars[1],
            computation=COMPUTATIONS[number % len(COMPUTATIONS)],
        )
        row = add_row(plan, indicator, subrow=f"sub-row {number}" if number % 2 else "")
        Target.objects.create(period=year, indicator=indicator, value=10 + number)
        Remark.objects.create(period=year, row=row, text=f"Remark {number}")


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(("role", "queries"), [("coordinator", 11), ("programme_coordinator", 12)])
def test_activity_list(plan, client_of, django_assert_num_queries, count, role, queries):
    add_activities(plan, count)
    client = client_of(getattr(plan, role))

    with django_assert_num_queries(queries):
        response = client.get(reverse("pillars:activity_list"), {"kind": "awareness_workshop"})

    assert response.context["page_obj"].paginator.count == count


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(("role", "queries"), [("coordinator", 16), ("programme_coordinator", 17)])
def test_indicator_plan(plan, client_of, django_assert_num_queries, count, role, queries):
    add_indicators(plan, count)
    add_activities(plan, 5)
    client = client_of(getattr(plan, role))
    url = f"{reverse('pillars:indicator_plan')}?period={plan.periods['2022'].public_id}&pillar=1"

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert len(response.context["lines"]) == count * len(COMPUTATIONS)
