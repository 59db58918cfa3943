"""A figure of the past does not move when a person is moved or recategorised today: the rows of
help, outcomes, referrals and activities carry her category and location of their day. Only an
explicit, audited restatement changes the past. And nothing is dated before the intake, or
before the referral it answers."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services
from cases.enums import Category, OutcomeKind
from pillars.computations import ReportFilters, compute
from pillars.enums import ComputationKind
from tests.cases.factories import ReferralFactory
from tests.factories import (
    BeneficiaryFactory,
    OrganisationFactory,
    ServiceTypeFactory,
    make_member,
)
from tests.pillars.factories import ActivityFactory, IndicatorFactory, make_plan

EXITING = Category.EXITING_PROSTITUTION
VICTIM = Category.VICTIM_OF_TRAFFICKING


@pytest.fixture
def world(db, betania):
    plan = make_plan()
    pillar = plan.pillars[1]

    def indicator(computation, **parameters):
        return IndicatorFactory(pillar=pillar, computation=computation, parameters=parameters)

    caseworker = make_member(Role.CASEWORKER, betania)
    people = {
        name: BeneficiaryFactory(
            organisation=betania, category=EXITING, location=location, intake_date=intake
        )
        for name, location, intake in [
            ("ana", plan.oradea, date(2022, 2, 1)),
            ("bea", plan.oradea, date(2022, 3, 1)),
            ("cora", plan.bucharest, date(2022, 4, 1)),
        ]
    }
    shelter = ServiceTypeFactory(code="shelter")
    for person in people.values():
        services.log_assistance(
            person,
            by=caseworker,
            service_type=shelter,
            date=date(2022, 6, 1),
            sub_project=plan.main,
        )
    services.record_outcome(
        people["ana"], kind=OutcomeKind.EMPLOYED, on=date(2022, 9, 1), by=caseworker
    )
    ActivityFactory(
        pillar=pillar,
        organisation=betania,
        starts_on=date(2022, 5, 5),
        location=plan.oradea,
        sub_project=plan.main,
        people=[people["ana"]],
    )
    ReferralFactory(beneficiary=people["ana"], sent_on=date(2022, 7, 1))
    indicators = {
        "step_out_oradea": indicator(
            ComputationKind.ASSISTED_PEOPLE, categories=[EXITING], locations=["oradea"]
        ),
        "step_out_bucharest": indicator(
            ComputationKind.ASSISTED_PEOPLE, categories=[EXITING], locations=["bucharest"]
        ),
        "step_out": indicator(ComputationKind.ASSISTED_PEOPLE, categories=[EXITING]),
        "new_exiting": indicator(ComputationKind.NEW_PEOPLE, categories=[EXITING]),
        "new_in_oradea": indicator(ComputationKind.NEW_PEOPLE, locations=["oradea"]),
        "employed_exiting": indicator(
            ComputationKind.PEOPLE_WITH_OUTCOME, categories=[EXITING], outcome_kinds=["employed"]
        ),
        "workshop_exiting": indicator(ComputationKind.ACTIVITY_PEOPLE, categories=[EXITING]),
        "referrals": indicator(ComputationKind.REFERRALS),
    }
    return plan, caseworker, people, indicators, shelter


def figures(world, label, filters=None):
    plan, _caseworker, _people, indicators, _shelter = world
    period = plan.periods[label]
    computed = compute(
        indicators.values(), period.start_date, period.end_date, filters or ReportFilters()
    )
    return {name: computed.get(indicator.pk) for name, indicator in indicators.items()}


# Worked out by hand from the fixture: Ana and Bea in Oradea, Cora in Bucharest, all three
# exiting prostitution, came in and were helped in 2022; Ana found a job, took part in a
# workshop and was referred (in Oradea).
FIGURES_2022 = {
    "step_out_oradea": 2,
    "step_out_bucharest": 1,
    "step_out": 3,
    "new_exiting": 3,
    "new_in_oradea": 2,
    "employed_exiting": 1,
    "workshop_exiting": 1,
    "referrals": 1,
}


def test_moving_and_recategorising_a_person_today_leaves_every_past_figure(world, betania):
    plan, caseworker, people, _indicators, shelter = world
    assert figures(world, "2022") == FIGURES_2022
    oradea_referrals = figures(world, "2022", ReportFilters(location=plan.oradea))["referrals"]
    assert oradea_referrals == 1

    ana = people["ana"]
    ana.location = plan.bucharest
    ana.category = VICTIM
    services.update_beneficiary(ana, changed_fields=["location", "category"], by=caseworker)

    assert figures(world, "2022") == FIGURES_2022
    assert figures(world, "2022", ReportFilters(location=plan.oradea))["referrals"] == 1
    assert figures(world, "2022", ReportFilters(location=plan.bucharest))["referrals"] == 0

    # Help given after the move counts her as she is now: in Bucharest, a victim of trafficking.
    services.log_assistance(
        ana, by=caseworker, service_type=shelter, date=date(2023, 2, 1), sub_project=plan.main
    )
    in_2023 = figures(world, "2023")
    assert (in_2023["step_out_oradea"], in_2023["step_out_bucharest"], in_2023["step_out"]) == (
        0,
        0,
        0,
    )
    # Over the programme she counts once, in Oradea as she was in 2022.
    programme = figures(world, "2021-2023")
    assert (programme["step_out_oradea"], programme["step_out"]) == (2, 3)


def test_a_restatement_changes_the_past_on_purpose_and_says_why(world, betania):
    plan, _caseworker, people, _indicators, _shelter = world
    admin = make_member(Role.ORGANISATION_ADMIN, betania)

    restated = services.restate_attributes(
        people["bea"],
        since=date(2022, 1, 1),
        category=VICTIM,
        location=plan.oradea,
        reason="Identified as a victim of trafficking at intake; wrongly recorded",
        by=admin,
    )

    assert restated == {
        "assistance": 1,
        "outcomes": 0,
        "referrals": 0,
        "activities": 0,
        "intake": 1,
    }
    # Bea no longer counts among the women exiting prostitution, in 2022 too.
    assert figures(world, "2022") == {
        **FIGURES_2022,
        "step_out_oradea": 1,
        "step_out": 2,
        "new_exiting": 2,
    }
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_reference=people["bea"].code)
    assert "since 2022-01-01" in event.detail
    assert "wrongly recorded" in event.detail


def test_a_restatement_needs_a_reason_and_an_admin(world, betania):
    plan, caseworker, people, _indicators, _shelter = world
    admin = make_member(Role.ORGANISATION_ADMIN, betania)
    arguments = {"since": date(2022, 1, 1), "category": VICTIM, "location": plan.oradea}

    with pytest.raises(ValidationError, match="Only an admin"):
        services.restate_attributes(people["bea"], reason="typo", by=caseworker, **arguments)
    with pytest.raises(ValidationError, match="Say why"):
        services.restate_attributes(people["bea"], reason="  ", by=admin, **arguments)

    assert figures(world, "2022") == FIGURES_2022


def test_no_help_and_no_outcome_before_the_intake(world):
    plan, caseworker, people, _indicators, shelter = world
    bea = people["bea"]  # came in on 2022-03-01

    with pytest.raises(ValidationError, match=r"before .* came in"):
        services.log_assistance(
            bea, by=caseworker, service_type=shelter, date=date(2022, 2, 28), sub_project=plan.main
        )
    with pytest.raises(ValidationError, match="intake on 2022-03-01"):
        services.record_outcome(bea, kind=OutcomeKind.EMPLOYED, on=date(2021, 12, 1), by=caseworker)
    # On the intake day itself is fine.
    services.log_assistance(
        bea, by=caseworker, service_type=shelter, date=date(2022, 3, 1), sub_project=plan.main
    )


def test_no_help_in_answer_to_a_referral_before_it_was_sent(world):
    plan, _caseworker, people, _indicators, shelter = world
    ijm = OrganisationFactory(slug="ijm-test", code_prefix="IJM")
    referral = ReferralFactory(
        beneficiary=people["cora"], to_organisation=ijm, sent_on=date(2026, 1, 10)
    )
    services.accept_referral(referral, by=make_member(Role.CASEWORKER, ijm))
    partner = make_member(Role.CASEWORKER, ijm)

    with pytest.raises(ValidationError, match="before the referral it answers was sent"):
        services.log_assistance(
            people["cora"],
            by=partner,
            referral=referral,
            service_type=shelter,
            date=date(2023, 5, 1),
            sub_project=plan.main,
        )


def test_the_form_says_the_date_is_before_the_intake(world, client_of):
    plan, caseworker, people, _indicators, shelter = world
    bea = people["bea"]

    response = client_of(caseworker).post(
        reverse("cases:assistance_create", kwargs={"code": bea.code}),
        {"service_type": shelter.pk, "date": "2022-01-15", "sub_project": plan.main.pk},
    )

    assert response.status_code != 302
    assert "nothing can be recorded before the intake date" in response.content.decode()
    assert bea.assistance.count() == 1


def test_people_taken_in_stay_with_the_organisation_that_took_them_in(world, betania):
    """A case that moves to another organisation (a transfer) keeps its intake where it was:
    the new-people figures of each organisation read the organisation at intake."""
    _plan, _caseworker, people, _indicators, _shelter = world
    other = OrganisationFactory(slug="other-test", code_prefix="OTH")
    before = figures(world, "2022", ReportFilters(organisation=betania))
    assert (before["new_exiting"], before["new_in_oradea"]) == (3, 2)

    type(people["ana"]).objects.filter(pk=people["ana"].pk).update(organisation=other)

    assert figures(world, "2022", ReportFilters(organisation=betania))["new_exiting"] == 3
    assert figures(world, "2022", ReportFilters(organisation=other))["new_exiting"] == 0
    assert figures(world, "2022") == FIGURES_2022
