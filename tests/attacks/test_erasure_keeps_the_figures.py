"""Erasure keeps every figure: on the demo, every period's full table (the partnership's and
each organisation's contribution), each organisation's share of every figure, the financial
report and the dashboards read exactly the same before and after the data protection officer
erases several people, among them one who was referred and helped by the partner, one who took
part in activities and one with outcomes, and anonymises the retention list."""

from datetime import date

import pytest
from django.db.models import Q

from accounts.models import Organisation, User
from cases.enums import ErasureGround, ReferralStatus
from cases.models import Assistance, Beneficiary, ConsentEvent, Outcome, Referral
from cases.selectors import retention_cutoff, retention_due_for
from cases.services import anonymise_closed_records, erase_beneficiary
from pillars.budget import financial_table
from pillars.computations import ReportFilters, compute_by_organisation
from pillars.models import Indicator, Period, Programme
from reports.dashboards import caseload_summary, referral_summary
from reports.tables import indicator_table


def every_figure():
    figures = {}
    organisations = list(Organisation.objects.order_by("slug"))
    indicators = list(Indicator.objects.all())
    for period in Period.objects.select_related("layout", "programme").order_by("label"):
        for organisation in [None, *organisations]:
            table = indicator_table(period, filters=ReportFilters(organisation=organisation))
            figures[("table", period.label, getattr(organisation, "slug", None))] = [
                (
                    *(row.label, row.subrow, row.target, row.result, row.origin, row.remark),
                    *(row.status, row.needs_restatement),
                )
                for row in table.rows
            ]
        figures[("shares", period.label)] = compute_by_organisation(
            indicators, period.start_date, period.end_date
        )
    for programme in Programme.objects.all():
        start, end = programme.start_date, programme.end_date
        for organisation in [None, *organisations]:
            slug = getattr(organisation, "slug", None)
            figures[("financial", programme.pk, slug)] = [
                (row.label, row.kind, row.budget, row.actuals)
                for row in financial_table(programme, organisation=organisation).rows
            ]
            figures[("referrals", programme.pk, slug)] = referral_summary(
                start, end, organisation=organisation
            )
            figures[("caseload", programme.pk, slug)] = caseload_summary(
                start, end, organisation=organisation
            )
    return figures


def people_to_erase():
    """A person referred and helped against the referral, one who took part in an activity,
    one with outcomes, and an active one: the links every kind of indicator counts."""
    referred = Beneficiary.objects.filter(
        referrals__status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED],
        assistance__referral__isnull=False,
    ).first()
    participant = Beneficiary.objects.filter(participations__isnull=False).exclude(pk=referred.pk)
    with_outcomes = Beneficiary.objects.filter(outcomes__isnull=False).exclude(
        pk__in=[referred.pk, participant.first().pk]
    )
    chosen = [referred, participant.first(), with_outcomes.first()]
    chosen.append(
        Beneficiary.objects.filter(status="active").exclude(pk__in=[p.pk for p in chosen]).first()
    )
    return chosen


@pytest.fixture
def dpo(demo_data, db):
    return User.objects.get(email="dpo@nextsteps.example")


# A fixed "today" keeps the retention list the same whenever the suite runs: five years after
# the demo's 2021 teenage groups ended.
RETENTION_DAY = date(2026, 11, 22)


def test_erasure_and_retention_keep_every_figure(dpo):
    people = people_to_erase()
    assert len({person.pk for person in people}) == 4
    before = every_figure()

    for person in people:
        erase_beneficiary(person, ground=ErasureGround.REQUEST, by=dpo)
    due = retention_due_for(dpo, today=RETENTION_DAY)
    anonymised = anonymise_closed_records(
        due, expected_count=due.count(), cutoff=retention_cutoff(RETENTION_DAY), by=dpo
    )
    after = every_figure()

    assert len(anonymised) == 16
    assert Beneficiary.objects.filter(erased_at__isnull=False).count() == 4 + len(anonymised)
    assert after == before


def test_an_erased_person_keeps_nothing_but_the_figures(dpo):
    referred = people_to_erase()[0]
    kept = {name: getattr(referred, name) for name in Beneficiary.KEPT_ON_ERASURE}
    kept.pop("updated_at")
    kept.pop("erased_at")
    # The erasure is a save: its version goes up, so an edit form opened before is stale.
    kept["version"] += 1

    erase_beneficiary(referred, ground=ErasureGround.REQUEST, by=dpo)

    stub = Beneficiary.objects.get(pk=referred.pk)
    for field in Beneficiary._meta.concrete_fields:
        value = getattr(stub, field.attname)
        if field.name in kept:
            assert getattr(stub, field.name) == kept[field.name], field.name
        elif field.name not in ("updated_at", "erased_at"):
            assert value in ("", None, 0, False, []), field.name
    assert stub.erased_at is not None
    mine = Q(beneficiary=stub)
    assert not ConsentEvent.objects.filter(mine).exists()
    assert set(Assistance.objects.filter(mine).values_list("note", flat=True)) == {""}
    assert set(Outcome.objects.filter(mine).values_list("note", flat=True)) <= {""}
    for referral in Referral.objects.filter(mine).prefetch_related("events"):
        assert (referral.message, referral.decline_reason) == ("", "")
        assert {event.reason for event in referral.events.all()} <= {""}
