"""A late entry into a locked year: saved with a warning, frozen in every view of the year
(the partnership's table, each organisation's view, the breakdown, the financial report, the
exports), flagged, then restated with a reason, the published figure kept beside the new one
and visible in the period's history."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases.models import ServiceType
from pillars.models import Expense, FrozenResult, SubProject
from tests.factories import BeneficiaryFactory, LocationFactory, make_member
from tests.reports.builders import add_records, build_plan
from tests.reports.reading import page_indicator_rows

TABLE = reverse("reports:indicator_table")
REASON = "Late December entries from Oradea"


@pytest.fixture
def plan(db):
    plan = build_plan()
    add_records(plan, 6)
    add_records(plan, 8, organisation=plan.theirs)
    Expense.objects.create(
        line=plan.lines["staff"],
        organisation=plan.ours,
        date=date(2022, 5, 1),
        amount=Decimal(100),
        currency="EUR",
        amount_eur=Decimal(100),
    )
    return plan


def logged_in(user):
    """A browser of its own for ``user`` (several people look at the same year here)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator(plan):
    return logged_in(make_member(Role.PROGRAMME_COORDINATOR))


def people_assisted(client, **query):
    response = client.get(TABLE, {"period": "2022", **query})
    rows = {label: result for _p, label, _t, result, _r in page_indicator_rows(response.content)}
    return rows["People assisted"], response.content.decode()


def breakdown(client, plan):
    response = client.get(
        reverse("reports:indicator_breakdown"), {"period": "2022", "indicator": "people"}
    )
    return {organisation.slug: figure for organisation, figure in response.context["breakdown"]}


def spent_on_staff_in_2022(client):
    response = client.get(reverse("reports:financial"), {"period": "2022"})
    (staff,) = [row for row in response.context["financial"].lines if row.label == "Staff"]
    return staff.actuals[0]


def exported_people(client):
    response = client.get(
        reverse("reports:indicator_table_export", args=["csv"]), {"period": "2022"}
    )
    rows = csv.DictReader(io.StringIO(response.content.decode()))
    (people,) = [row for row in rows if row["indicator_code"] == "people"]
    return int(people["result"]), people["origin"]


def log_late_help(plan):
    """A caseworker of ours registers a woman who came in on 1 December 2022 and logs her
    shelter on the 15th, after 2022 was locked; our coordinator books 1,000 EUR of staff."""
    caseworker = make_member(Role.CASEWORKER, plan.ours)
    person = BeneficiaryFactory(
        organisation=plan.ours,
        location=LocationFactory(code="oradea"),
        intake_date=date(2022, 12, 1),
    )
    response = logged_in(caseworker).post(
        reverse("cases:assistance_create", kwargs={"code": person.code}),
        {
            "service_type": ServiceType.objects.get(code="shelter").pk,
            "date": "2022-12-15",
            "sub_project": SubProject.objects.get(code="main").pk,
        },
        follow=True,
    )
    booking = logged_in(make_member(Role.ORGANISATION_COORDINATOR, plan.ours)).post(
        reverse("pillars:expense_create"),
        {
            "line": plan.lines["staff"].pk,
            "date": "2022-11-30",
            "amount": "1000",
            "currency": "EUR",
            "rate": "1",
        },
        follow=True,
    )
    return response, booking


def test_a_late_entry_warns_and_is_saved(plan, coordinator):
    coordinator.post(reverse("pillars:period_lock", kwargs={"public_id": plan.year.public_id}))

    response, booking = log_late_help(plan)

    warning = "2022 is locked: this entry will not change the published report until 2022 is "
    assert warning in response.content.decode()
    assert warning in booking.content.decode()
    assert plan.ours.assistance_given.filter(date=date(2022, 12, 15)).count() == 1
    assert Expense.objects.filter(amount_eur=1000).count() == 1


def test_the_locked_year_is_frozen_everywhere_until_restated(plan, coordinator):
    our_coordinator = logged_in(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))
    # Hand-computed: 6 of ours and 8 of theirs were assisted in 2022. Staff: 10 EUR per
    # record (add_records) and our 100 EUR: 60 + 80 + 100 = 240, of which ours 160.
    assert people_assisted(coordinator)[0] == 14
    coordinator.post(reverse("pillars:period_lock", kwargs={"public_id": plan.year.public_id}))

    log_late_help(plan)

    figure, page = people_assisted(coordinator)
    assert figure == 14
    assert "needs restatement: the records now compute 15" in page
    assert people_assisted(our_coordinator, organisation="ours")[0] == 6
    assert people_assisted(coordinator, organisation="ours")[0] == 6
    assert breakdown(coordinator, plan) == {"ours": 6, "theirs": 8}
    assert spent_on_staff_in_2022(coordinator) == Decimal(240)
    assert spent_on_staff_in_2022(our_coordinator) == Decimal(160)
    assert exported_people(coordinator) == (14, "frozen")
    # The whole programme is not locked: it follows the records.
    assert people_assisted(coordinator) != people_assisted(coordinator, period="2022-2023")

    restate = reverse("pillars:period_restate", kwargs={"public_id": plan.year.public_id})
    preview = coordinator.get(restate).content.decode()
    assert "People assisted" in preview
    assert coordinator.post(restate, {"reason": " "}).status_code == 400
    assert coordinator.post(restate, {"reason": REASON}).status_code == 302

    figure, page = people_assisted(coordinator)
    assert figure == 15
    restated_on = date.today().isoformat()
    assert (
        f"published 14, restated 15 on {restated_on} by the programme coordinator: {REASON}" in page
    )
    assert people_assisted(our_coordinator, organisation="ours")[0] == 7
    assert breakdown(coordinator, plan) == {"ours": 7, "theirs": 8}
    assert spent_on_staff_in_2022(coordinator) == Decimal(1240)
    assert spent_on_staff_in_2022(our_coordinator) == Decimal(1160)
    assert exported_people(coordinator) == (15, "frozen")
    # The published 14 is kept, superseded, beside the restated 15.
    people = plan.indicators["people"]
    kept = FrozenResult.objects.filter(period=plan.year, indicator=people, dimension="")
    assert sorted((int(row.value), row.superseded_at is None) for row in kept) == [
        (14, False),
        (15, True),
    ]
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_reference=str(plan.year.public_id)
    ).latest("id")
    assert "people 14->15" in event.detail
    assert "spent: Staff 240.00->1240.00" in event.detail


def test_coordinators_read_the_history_of_the_published_figures(plan, coordinator):
    coordinator.post(reverse("pillars:period_lock", kwargs={"public_id": plan.year.public_id}))
    log_late_help(plan)
    restate = reverse("pillars:period_restate", kwargs={"public_id": plan.year.public_id})
    coordinator.post(restate, {"reason": REASON})
    history = reverse("pillars:period_history", kwargs={"public_id": plan.year.public_id})

    for client in (coordinator, logged_in(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))):
        page = " ".join(client.get(history).content.decode().split())
        assert REASON in page
        assert "by the Programme coordinator" in page
        assert (
            '<td>people</td><td class="text-end">14</td><td class="text-end fw-semibold">15</td>'
            in page
        )
    caseworker = logged_in(make_member(Role.CASEWORKER, plan.ours))
    assert caseworker.get(history).status_code == 404
