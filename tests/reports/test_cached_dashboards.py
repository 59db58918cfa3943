"""The referrals and caseload dashboards are counted once per data version, as the indicators'
figures are (pillars.data_version): the same dashboard again costs one small query for its
figures, and a write to the rows it counts shows on the next request, whoever made it.
Transactional tests: on PostgreSQL the version rises when the writing transaction commits."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from cases.enums import ReferralStatus, Status
from cases.models import Beneficiary, Referral
from pillars.small_counts import Suppressed
from tests.factories import BeneficiaryFactory, make_member
from tests.reports.builders import add_records, build_plan

pytestmark = pytest.mark.django_db(transaction=True)


def requested(client, url_name):
    """(the dashboard's summary, the queries its request cost)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name), {"period": "2022"})
    assert response.status_code == 200
    return response.context["summary"], len(queries)


def test_the_caseload_is_counted_once_until_a_person_is_taken_in(client_of):
    plan = build_plan()
    add_records(plan, 3)
    client = client_of(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))
    client.get(reverse("notifications:list"))  # notes the session's activity for the minute
    first, first_queries = requested(client, "reports:caseload_dashboard")

    again, again_queries = requested(client, "reports:caseload_dashboard")

    # Active people by category and location, and intakes per month: read from the cache.
    assert again_queries == first_queries - 2
    assert again.total == first.total == 3
    BeneficiaryFactory(organisation=plan.ours, intake_date=date(2022, 5, 2))
    after_the_intake, _queries = requested(client, "reports:caseload_dashboard")
    assert after_the_intake.total == 4
    assert dict(after_the_intake.intakes_per_month)[date(2022, 5, 1)] == 1


def test_the_caseload_follows_a_case_closed_by_a_bulk_update(client_of):
    plan = build_plan()
    add_records(plan, 3)
    client = client_of(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))
    assert requested(client, "reports:caseload_dashboard")[0].total == 3

    # No signal, no domain function: the database trigger raises the version.
    Beneficiary.objects.filter(pk=Beneficiary.objects.order_by("pk").first().pk).update(
        status=Status.CLOSED
    )

    assert requested(client, "reports:caseload_dashboard")[0].total == 2


def test_the_referrals_are_counted_once_until_one_is_answered(client_of):
    plan = build_plan()
    add_records(plan, 2)
    client = client_of(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))
    client.get(reverse("notifications:list"))  # notes the session's activity for the minute
    first, first_queries = requested(client, "reports:referrals_dashboard")

    again, again_queries = requested(client, "reports:referrals_dashboard")

    # The counts, the months and the median wait: read from the cache.
    assert again_queries == first_queries - 3
    assert (again.accepted, again.declined) == (first.accepted, first.declined) == (2, 0)
    Referral.objects.filter(pk=Referral.objects.order_by("pk").first().pk).update(
        status=ReferralStatus.DECLINED
    )
    answered, _queries = requested(client, "reports:referrals_dashboard")
    assert (answered.accepted, answered.declined) == (1, 1)


def test_a_small_count_read_from_the_cache_is_still_hidden(client_of):
    plan = build_plan()
    add_records(plan, 2)
    client = client_of(make_member(Role.PROGRAMME_COORDINATOR))
    requested(client, "reports:caseload_dashboard")

    cached, _queries = requested(client, "reports:caseload_dashboard")

    counts = list(cached.active.values())
    assert counts and all(isinstance(count, Suppressed) for count in counts)
    assert counts[0] == "<5"


def test_the_partnership_and_an_organisation_are_cached_apart(client_of):
    plan = build_plan()
    add_records(plan, 2)
    add_records(plan, 3, organisation=plan.theirs)
    ours = make_member(Role.ORGANISATION_COORDINATOR, plan.ours)
    theirs = make_member(Role.ORGANISATION_COORDINATOR, plan.theirs)

    for member, total in [(ours, 2), (theirs, 3), (ours, 2)]:
        assert requested(client_of(member), "reports:caseload_dashboard")[0].total == total
