"""Factories of the programme plan and of the casework records its indicators read, and
``make_plan()``: a small programme with its periods, pillars and one table layout."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import factory
from factory.django import DjangoModelFactory

from pillars.enums import ActivityKind, ComputationKind, Currency, Unit
from pillars.services import generate_periods
from tests.factories import (
    BeneficiaryFactory,
    LocationFactory,
    OrganisationFactory,
    ServiceTypeFactory,
    SubProjectFactory,
)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = "pillars.Programme"

    name = factory.Sequence(lambda n: f"Programme {n}")
    start_date = date(2021, 8, 1)
    end_date = date(2023, 12, 31)


class PillarFactory(DjangoModelFactory):
    class Meta:
        model = "pillars.Pillar"

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Pillar {n + 1}")


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = "pillars.Indicator"

    pillar = factory.SubFactory(PillarFactory)
    programme = factory.LazyAttribute(lambda indicator: indicator.pillar.programme)
    code = factory.Sequence(lambda n: f"indicator-{n}")
    label = factory.Sequence(lambda n: f"Indicator {n}")
    unit = Unit.PEOPLE
    computation = ComputationKind.ACTIVITY_PARTICIPANTS
    parameters = factory.LazyFunction(dict)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = "pillars.Activity"
        skip_postgeneration_save = True

    pillar = factory.SubFactory(PillarFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = ActivityKind.AWARENESS_WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    starts_on = date(2022, 3, 10)
    location = factory.SubFactory(LocationFactory)
    sub_project = factory.SubFactory(SubProjectFactory)
    participants = 10

    @factory.post_generation
    def people(activity, create, people, **kwargs):
        from pillars.models import ActivityParticipation

        if create and people:
            ActivityParticipation.objects.bulk_create(
                ActivityParticipation(activity=activity, beneficiary=person).stamp_attributes()
                for person in people
            )


class VolunteerFactory(DjangoModelFactory):
    class Meta:
        model = "pillars.Volunteer"

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Volunteer {n}.")
    location = factory.SubFactory(LocationFactory)
    active_from = date(2022, 1, 1)


class SafetyNetFactory(DjangoModelFactory):
    class Meta:
        model = "pillars.SafetyNet"

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Safety net {n}")
    location = factory.SubFactory(LocationFactory)
    sub_project = factory.SubFactory(SubProjectFactory)
    started_on = date(2022, 3, 1)


class BudgetGroupFactory(DjangoModelFactory):
    class Meta:
        model = "pillars.BudgetGroup"

    programme = factory.SubFactory(ProgrammeFactory)
    order = factory.Sequence(lambda n: n)
    subtotal_label = "Subtotal"


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = "pillars.BudgetLine"

    group = factory.SubFactory(BudgetGroupFactory)
    order = factory.Sequence(lambda n: n)
    label = factory.Sequence(lambda n: f"Budget line {n}")
    budget = Decimal(10000)


class ExpenseFactory(DjangoModelFactory):
    class Meta:
        model = "pillars.Expense"

    line = factory.SubFactory(BudgetLineFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    date = date(2022, 4, 1)
    description = "Rent"
    amount = Decimal(100)
    currency = Currency.EUR
    rate = Decimal(1)
    amount_eur = factory.LazyAttribute(lambda expense: expense.amount / expense.rate)


class AssistanceFactory(DjangoModelFactory):
    class Meta:
        model = "cases.Assistance"

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    organisation = factory.LazyAttribute(lambda assistance: assistance.beneficiary.organisation)
    service_type = factory.SubFactory(ServiceTypeFactory)
    date = date(2022, 3, 1)
    sub_project = factory.SubFactory(SubProjectFactory)


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = "cases.Outcome"

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    organisation = factory.LazyAttribute(lambda outcome: outcome.beneficiary.organisation)
    kind = "employed"
    date = date(2022, 11, 1)


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = "cases.Referral"

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    from_organisation = factory.LazyAttribute(lambda referral: referral.beneficiary.organisation)
    to_organisation = factory.SubFactory(OrganisationFactory)
    due_date = date(2022, 6, 1)
    sent_on = date(2022, 5, 20)


def make_plan():
    """A programme (August 2021 - December 2023) with pillars 1-3, one table layout with a
    section per pillar, its periods (each year and the whole programme) and a budget of two
    lines. Records are added by each test."""
    from pillars.models import ReportLayout, ReportSection

    programme = ProgrammeFactory()
    pillars = {number: PillarFactory(programme=programme, number=number) for number in (1, 2, 3)}
    layout = ReportLayout.objects.create(programme=programme, name="Annual report")
    sections = {
        number: ReportSection.objects.create(
            layout=layout, pillar=pillar, heading=f"Heading {number}"
        )
        for number, pillar in pillars.items()
    }
    periods = generate_periods(programme, year_layout=layout, programme_layout=layout)
    group = BudgetGroupFactory(programme=programme, order=0, subtotal_label="Subtotal")
    return SimpleNamespace(
        programme=programme,
        pillars=pillars,
        layout=layout,
        sections=sections,
        periods={period.label: period for period in periods},
        lines=[
            BudgetLineFactory(group=group, order=0, label="Staff costs"),
            BudgetLineFactory(
                group=BudgetGroupFactory(programme=programme, order=1, subtotal_label=""),
                order=0,
                label="Exchange rate differences",
                budget=Decimal(0),
                is_exchange_difference=True,
            ),
        ],
        oradea=LocationFactory(code="oradea"),
        bucharest=LocationFactory(code="bucharest"),
        main=SubProjectFactory(code="main"),
        refugee=SubProjectFactory(code="refugee"),
    )


def add_row(plan, indicator=None, *, label=None, subrow="", pillar=1):
    """Print ``indicator`` (or a header) as the next row of its pillar's section."""
    from pillars.models import ReportRow

    section = plan.sections[indicator.pillar.number if indicator else pillar]
    return ReportRow.objects.create(
        section=section,
        position=section.rows.count() + 1,
        indicator=indicator,
        label=label or (indicator.label if indicator else "Header"),
        subrow_label=subrow,
    )
