"""The figure cache (pillars.data_version): figures are computed once per data version, and any
write to the rows they are computed from, however it is made, gives a new version. On
PostgreSQL the version rises at commit; a transaction that wrote reads around the cache."""

from datetime import date

import pytest
from django.db import connection, transaction

from cases.models import Assistance
from pillars.computations import compute
from pillars.data_version import current_version
from pillars.enums import ComputationKind
from tests.factories import BeneficiaryFactory
from tests.pillars.factories import AssistanceFactory, IndicatorFactory, make_plan

is_postgresql = connection.vendor == "postgresql"


def assisted_people_indicator(plan):
    return IndicatorFactory(pillar=plan.pillars[1], computation=ComputationKind.ASSISTED_PEOPLE)


def figure(indicator, year="2022"):
    return compute([indicator], date(int(year), 1, 1), date(int(year), 12, 31))[indicator.pk]


@pytest.mark.django_db(transaction=True)
def test_the_same_figures_again_cost_one_query_and_a_write_changes_them(
    django_assert_num_queries,
):
    plan = make_plan()
    indicator = assisted_people_indicator(plan)
    AssistanceFactory(date=date(2022, 3, 1))
    assert figure(indicator) == 1

    # the data version only
    with django_assert_num_queries(1):
        assert figure(indicator) == 1

    AssistanceFactory(date=date(2022, 5, 1))
    assert figure(indicator) == 2


@pytest.mark.django_db(transaction=True)
def test_a_bulk_update_that_skips_every_signal_still_changes_the_version():
    plan = make_plan()
    indicator = assisted_people_indicator(plan)
    AssistanceFactory(date=date(2022, 3, 1))
    assert figure(indicator) == 1
    before = current_version()

    Assistance.objects.update(date=date(2023, 3, 1))

    assert current_version() > before
    assert figure(indicator) == 0
    assert figure(indicator, "2023") == 1


@pytest.mark.django_db(transaction=True)
def test_a_write_inside_a_transaction_is_counted_before_the_transaction_ends():
    plan = make_plan()
    indicator = assisted_people_indicator(plan)
    person = BeneficiaryFactory()
    assert figure(indicator) == 0

    with transaction.atomic():
        AssistanceFactory(beneficiary=person, date=date(2022, 3, 1))
        # The figure read in the writing transaction already counts the new row.
        assert figure(indicator) == 1

    assert figure(indicator) == 1


@pytest.mark.skipif(not is_postgresql, reason="the version rises at commit on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_version_rises_once_per_transaction_at_commit():
    person = BeneficiaryFactory()
    first = AssistanceFactory(beneficiary=person, date=date(2022, 3, 1))
    before = current_version()

    with transaction.atomic():
        for day in range(2, 7):
            AssistanceFactory(
                beneficiary=person,
                date=date(2022, 3, day),
                service_type=first.service_type,
                sub_project=first.sub_project,
                organisation=first.organisation,
            )
        # Not counted yet, and this transaction reads around the cache meanwhile.
        assert current_version() is None

    # One transaction, one step, however many rows it wrote.
    assert current_version() - before == 1


@pytest.mark.django_db
def test_figures_computed_inside_a_test_transaction_follow_its_writes():
    plan = make_plan()
    indicator = assisted_people_indicator(plan)
    AssistanceFactory(date=date(2022, 3, 1))
    assert figure(indicator) == 1

    AssistanceFactory(date=date(2022, 4, 1))

    assert figure(indicator) == 2
