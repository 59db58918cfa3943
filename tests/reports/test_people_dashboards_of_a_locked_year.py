"""The referrals and caseload dashboards of a locked year are published with its figures, for
every choice of their filters, and show what was published whatever is entered into the year
later; restating compares them, publishes them again and names what changed (aggregates only);
a year locked before they were published says so and shows the table's published figures, never
today's records as if published. A figure whose months moved within the locked year (its total
unchanged) is restated too.

Hand-computed on tests/reports/builders.py: 6 people of ours and 8 of theirs, all active at
Oradea, taken in on 1 March 2022; each is referred once in January 2022 (to her organisation,
by the other one, accepted) and assisted once in January. Partnership: 14 referrals sent and
accepted, all in January; 14 active people, 14 taken in in March. Ours (sent by or to us): 14
referrals too (6 to us, 8 from us). After the lock, a late referral (from us to them, accepted,
5 December 2022) or a late intake (a woman of ours taken in on 1 December 2022)."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.enums import Role
from accounts.models import AuditEvent
from cases.enums import ReferralStatus
from cases.models import Assistance, Beneficiary, Referral
from pillars.models import FrozenDashboard, Restatement
from pillars.services import restate_period, unlock_period
from pillars.small_counts import Suppressed
from tests.factories import BeneficiaryFactory, LocationFactory, make_member
from tests.reports.builders import add_records, build_plan
from tests.reports.test_every_view_of_a_locked_year import REASON, lock, restate

DECEMBER = date(2022, 12, 1)


@pytest.fixture
def plan(db):
    plan = build_plan()
    add_records(plan, 6)
    add_records(plan, 8, organisation=plan.theirs)
    return plan


def refer_late(plan):
    """A referral of one of our women to them dated 5 December 2022, entered after the lock."""
    person = Beneficiary.objects.filter(organisation=plan.ours).first()
    return Referral.objects.create(
        beneficiary=person,
        from_organisation=plan.ours,
        to_organisation=plan.theirs,
        due_date=date(2022, 12, 19),
        status=ReferralStatus.ACCEPTED,
        sent_on=date(2022, 12, 5),
    )


def take_in_late(plan):
    """A woman of ours taken in on 1 December 2022, registered after the lock."""
    return BeneficiaryFactory(
        organisation=plan.ours, location=LocationFactory(code="oradea"), intake_date=DECEMBER
    )


def referrals(client, **query):
    response = client.get(reverse("reports:referrals_dashboard"), {"period": "2022", **query})
    assert response.status_code == 200
    return response.context["summary"], " ".join(response.content.decode().split())


def caseload(client, **query):
    response = client.get(reverse("reports:caseload_dashboard"), {"period": "2022", **query})
    assert response.status_code == 200
    return response.context["summary"], " ".join(response.content.decode().split())


def in_month(series, month):
    return dict(series)[month]


def history(client, plan):
    response = client.get(
        reverse("pillars:period_history", kwargs={"public_id": plan.year.public_id})
    )
    assert response.status_code == 200
    ((_restatement, changes), *_older) = response.context["restatements"]
    return {change.label: (change.published, change.restated) for change in changes}, (
        " ".join(response.content.decode().split())
    )


PUBLISHED_NOTE = "every figure here is as published on"


# -- the referrals dashboard -----------------------------------------------------------------


def test_a_late_referral_leaves_the_published_dashboard_until_restated(
    plan, programme_coordinator, our_coordinator
):
    summary, page = referrals(programme_coordinator)
    assert (summary.sent, summary.accepted, PUBLISHED_NOTE in page) == (14, 14, False)
    lock(programme_coordinator, plan)

    refer_late(plan)

    # Published: 14 sent, nothing in December, with the note; for ours as well.
    summary, page = referrals(programme_coordinator)
    assert (summary.sent, summary.accepted, in_month(summary.per_month, DECEMBER)) == (14, 14, 0)
    assert "2022 was locked on" in page and PUBLISHED_NOTE in page
    assert "by what had become of them on" in page
    assert referrals(our_coordinator)[0].sent == 14
    assert referrals(programme_coordinator, organisation="ours")[0].sent == 14
    # The programme, not locked, follows the records.
    whole = programme_coordinator.get(
        reverse("reports:referrals_dashboard"), {"period": "2022-2023"}
    )
    assert whole.context["summary"].sent == 15
    assert 'data-testid="published-dashboard"' not in whole.content.decode()

    restate(programme_coordinator, plan)

    summary, page = referrals(programme_coordinator)
    assert (summary.sent, summary.accepted) == (15, 15)
    # One referral in December: a small count, hidden from the partnership-wide view as live.
    assert isinstance(in_month(summary.per_month, DECEMBER), Suppressed)
    assert PUBLISHED_NOTE in page
    assert in_month(referrals(our_coordinator)[0].per_month, DECEMBER) == 1
    assert referrals(our_coordinator)[0].sent == 15

    changes, page = history(programme_coordinator, plan)
    assert changes["Referrals dashboard: Sent"] == (14, 15)
    assert changes["Referrals dashboard: Accepted"] == (14, 15)
    assert changes["Referrals dashboard: sent in December 2022"] == (0, Suppressed())
    # Our coordinator sees no small count hidden (her dashboards show them too).
    assert history(our_coordinator, plan)[0]["Referrals dashboard: sent in December 2022"] == (
        0,
        1,
    )
    audit = AuditEvent.objects.filter(detail__startswith="restated period 2022").get()
    assert "referrals dashboard: sent 14->15" in audit.detail
    assert "referrals dashboard: accepted 14->15" in audit.detail
    # The referrals figure of the table changed with it.
    assert "referrals 14->15" in audit.detail


def test_small_counts_of_a_published_dashboard_are_hidden_as_live_ones(plan, programme_coordinator):
    Referral.objects.filter(to_organisation=plan.ours).update(status=ReferralStatus.DECLINED)
    Referral.objects.filter(
        pk=Referral.objects.filter(to_organisation=plan.ours).first().pk
    ).update(status=ReferralStatus.WITHDRAWN)
    live, _page = referrals(programme_coordinator)
    # 8 accepted, 5 declined, 1 withdrawn: the withdrawn one is hidden, and so is the total
    # (it would give it away).
    assert (live.accepted, live.declined, live.withdrawn, live.sent) == (8, 5, Suppressed(), None)
    lock(programme_coordinator, plan)

    published, page = referrals(programme_coordinator)

    assert published == live
    assert PUBLISHED_NOTE in page
    # The records themselves are kept whole: who sees every count sees them.
    (row,) = FrozenDashboard.objects.filter(
        period=plan.year, dashboard="referrals", dimension=""
    ).values_list("figures", flat=True)
    assert (row["sent"], row["withdrawn"]) == (14, 1)


# -- the caseload dashboard ------------------------------------------------------------------


def test_a_late_intake_leaves_the_published_caseload_until_restated(
    plan, programme_coordinator, our_coordinator
):
    lock(programme_coordinator, plan)

    take_in_late(plan)

    summary, page = caseload(programme_coordinator)
    assert (summary.total, in_month(summary.intakes_per_month, date(2022, 3, 1))) == (14, 14)
    assert in_month(summary.intakes_per_month, DECEMBER) == 0
    assert PUBLISHED_NOTE in page and "as published" in page
    assert caseload(our_coordinator)[0].total == 6
    assert caseload(programme_coordinator, location="oradea")[0].total == 14

    # Only the caseload changed (nobody was assisted, no figure of the table moved): restating
    # publishes it again all the same.
    restatement = restate_period(
        plan.year, reason=REASON, by=make_member(Role.PROGRAMME_COORDINATOR)
    )

    summary, _page = caseload(programme_coordinator)
    assert summary.total == 15
    assert isinstance(in_month(summary.intakes_per_month, DECEMBER), Suppressed)
    assert caseload(our_coordinator)[0].total == 7
    assert {change["indicator"] for change in restatement.changes} == {
        "caseload dashboard: active people",
        "caseload dashboard: active exiting_prostitution in oradea",
        "caseload dashboard: new intakes in 2022-12",
    }
    changes, _page = history(programme_coordinator, plan)
    assert changes["Caseload dashboard: all active people"] == (14, 15)
    assert changes["Caseload dashboard: new intakes in December 2022"] == (0, Suppressed())


def test_unlocking_lets_the_dashboards_follow_the_records_again(plan, programme_coordinator):
    lock(programme_coordinator, plan)
    refer_late(plan)
    assert referrals(programme_coordinator)[0].sent == 14

    unlock_period(plan.year, by=make_member(Role.PROGRAMME_COORDINATOR))
    plan.year.refresh_from_db()

    summary, page = referrals(programme_coordinator)
    assert summary.sent == 15
    assert PUBLISHED_NOTE not in page
    assert not FrozenDashboard.objects.current().filter(period=plan.year).exists()
    # What was published stays in the period's history.
    assert FrozenDashboard.objects.filter(period=plan.year).count() > 0


# -- a year locked before the dashboards were published ----------------------------------------


def test_a_year_locked_before_the_dashboards_were_published_says_so(
    plan, programme_coordinator, our_coordinator
):
    lock(programme_coordinator, plan)
    # What a lock made before this change left: the table's figures, no dashboards.
    FrozenDashboard.objects.all().delete()
    refer_late(plan)

    summary, page = referrals(programme_coordinator)

    # Not today's 15 shown as published: nothing of the dashboard, and the table's published
    # figure of the same records.
    assert summary is None
    assert "before this dashboard was published with its figures" in page
    assert 'Referral cases: <span class="fw-semibold">14</span>' in page
    assert PUBLISHED_NOTE not in page
    assert '<span class="fw-semibold">15</span>' not in page
    summary, page = caseload(our_coordinator)
    assert summary is None
    assert "before this dashboard was published with its figures" in page
    page = programme_coordinator.get(
        reverse("pillars:period_history", kwargs={"public_id": plan.year.public_id})
    ).content.decode()
    assert 'data-testid="dashboards-not-kept"' in page

    restate(programme_coordinator, plan)

    # Restating publishes them: the first published dashboard names its totals.
    assert referrals(programme_coordinator)[0].sent == 15
    assert caseload(programme_coordinator)[0].total == 14
    changes, _page = history(programme_coordinator, plan)
    assert changes["Referrals dashboard: Sent"] == (None, 15)
    assert changes["Caseload dashboard: all active people"] == (None, 14)
    assert "Referrals dashboard: sent in December 2022" not in changes


# -- a figure whose months moved ---------------------------------------------------------------


def test_an_assistance_moved_within_the_locked_year_is_restated_with_its_months(
    plan, programme_coordinator, our_coordinator
):
    lock(programme_coordinator, plan)
    # One of our January assistances was in April: the year's total stays 6 (ours), 14.
    moved = Assistance.objects.filter(organisation=plan.ours).order_by("date").first()
    Assistance.objects.filter(pk=moved.pk).update(date=date(2022, 4, 1))

    restatement = restate_period(
        plan.year, reason="Dated in the wrong month", by=make_member(Role.PROGRAMME_COORDINATOR)
    )

    assert {"indicator": "people", "published": "14", "restated": "14"} in restatement.changes
    response = our_coordinator.get(reverse("reports:dashboard"), {"period": "2022"})
    (item,) = [i for i in response.context["indicators"] if i["row"].indicator.code == "people"]
    assert item["row"].result == 6
    assert {c.label: c.value for c in item["trend"].columns if c.value} == {
        "Jan 2022": 5,
        "Apr 2022": 1,
    }
    assert Restatement.objects.filter(period=plan.year).count() == 1


def test_nothing_moved_is_still_nothing_to_restate(plan, programme_coordinator):
    from django.core.exceptions import ValidationError

    lock(programme_coordinator, plan)

    with pytest.raises(ValidationError, match="nothing to restate"):
        restate_period(plan.year, reason=REASON, by=make_member(Role.PROGRAMME_COORDINATOR))


# -- cost --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "locked", "queries"),
    [
        ("reports:referrals_dashboard", False, 11),
        ("reports:referrals_dashboard", True, 8),
        ("reports:caseload_dashboard", False, 11),
        ("reports:caseload_dashboard", True, 10),
    ],
)
def test_a_published_dashboard_costs_no_more_queries(
    plan, programme_coordinator, django_assert_num_queries, url_name, locked, queries
):
    # 11 for the live dashboard (tests/reports/test_query_counts.py pins 14 for a first request,
    # which also notes the session's activity: 3 queries): the data version, then the figures;
    # a locked year reads its published dashboard in one query instead (no data version:
    # published figures do not follow the records), and the caseload then reads its locations'
    # names.
    if locked:
        lock(programme_coordinator, plan)
        refer_late(plan)
    programme_coordinator.get(reverse("notifications:list"))  # notes the session's activity
    with django_assert_num_queries(queries):
        assert programme_coordinator.get(reverse(url_name), {"period": "2022"}).status_code == 200
    assert Beneficiary.objects.exists()


def test_the_audit_row_names_as_many_changes_as_it_holds_and_counts_the_rest():
    from pillars.services import _audit_detail

    changes = [
        {
            "indicator": f"caseload dashboard: new intakes in 2022-{month:02d}",
            "published": "0",
            "restated": "1",
        }
        for month in range(1, 13)
    ]

    detail = _audit_detail("restated period 2022: ", changes)

    assert len(detail) <= 255
    assert detail.startswith(
        "restated period 2022: caseload dashboard: new intakes in 2022-01 0->1; "
    )
    named = detail.count("->")
    assert detail.endswith(f"; and {12 - named} more in the period's history")
