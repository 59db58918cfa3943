"""A small programme plan and records for the reports' tests that need no full demo: two
organisations, one table layout with a header row and a sub-row, indicators of each kind of rows
read, a budget, and ``add_records(plan, n)`` to grow the records without touching the plan."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from accounts.enums import Role
from cases.enums import ReferralStatus
from cases.models import Assistance, Referral
from pillars.enums import ActivityKind, ComputationKind, Currency, PeriodKind, Unit
from pillars.models import (
    Activity,
    ActivityParticipation,
    BudgetGroup,
    BudgetLine,
    Expense,
    Indicator,
    Period,
    Pillar,
    Programme,
    Remark,
    ReportLayout,
    ReportRow,
    ReportSection,
    SafetyNet,
    Target,
    Volunteer,
)
from tests.factories import (
    BeneficiaryFactory,
    LocationFactory,
    OrganisationFactory,
    ServiceTypeFactory,
    SubProjectFactory,
    make_member,
)

YEAR = 2022


@dataclass
class Plan:
    programme: Programme
    year: Period
    whole: Period
    ours: object
    theirs: object
    indicators: dict
    rows: dict
    lines: dict


def build_plan():
    ours = OrganisationFactory(slug="ours", name="Our organisation", code_prefix="OUR")
    theirs = OrganisationFactory(slug="theirs", name="Their organisation", code_prefix="THR")
    LocationFactory(code="oradea")
    SubProjectFactory(code="main")
    ServiceTypeFactory(code="shelter")
    programme = Programme.objects.create(
        name="Test programme", start_date=date(2022, 1, 1), end_date=date(2023, 12, 31)
    )
    pillars = {
        number: Pillar.objects.create(programme=programme, number=number, name=f"Pillar {number}")
        for number in (1, 2)
    }
    layout = ReportLayout.objects.create(programme=programme, name="Test layout")
    indicators = {
        code: Indicator.objects.create(
            programme=programme,
            pillar=pillars[pillar],
            code=code,
            label=label,
            unit=Unit.PEOPLE,
            computation=computation,
            order=order,
        )
        for order, (code, pillar, label, computation) in enumerate(
            [
                ("people", 1, "People assisted", ComputationKind.ASSISTED_PEOPLE),
                ("volunteers", 1, "Volunteers", ComputationKind.ACTIVE_VOLUNTEERS),
                ("participants", 2, "Participants", ComputationKind.ACTIVITY_PARTICIPANTS),
                ("referrals", 2, "Referral cases", ComputationKind.REFERRALS),
                ("partnerships", 2, "Partnerships", ComputationKind.MANUAL),
                ("attendees", 2, "People at conferences", ComputationKind.ACTIVITY_PEOPLE),
                ("nets", 2, "Safety nets", ComputationKind.ACTIVE_SAFETY_NETS),
            ]
        )
    }
    sections = {
        number: ReportSection.objects.create(
            layout=layout, pillar=pillar, heading=f"Heading of pillar {number}"
        )
        for number, pillar in pillars.items()
    }
    rows = {}
    for position, (key, pillar, label, subrow, code) in enumerate(
        [
            ("people", 1, "People assisted", "", "people"),
            ("volunteers", 1, "Volunteers", "", "volunteers"),
            ("header", 2, "Conferences", "", None),
            ("participants", 2, "Conferences", "participants", "participants"),
            ("referrals", 2, "Referral cases", "", "referrals"),
            ("partnerships", 2, "Partnerships", "", "partnerships"),
            ("attendees", 2, "People at conferences", "", "attendees"),
            ("nets", 2, "Safety nets", "", "nets"),
        ],
        start=1,
    ):
        rows[key] = ReportRow.objects.create(
            section=sections[pillar],
            position=position,
            indicator=indicators[code] if code else None,
            label=label,
            subrow_label=subrow,
        )
    year = Period.objects.create(
        programme=programme,
        kind=PeriodKind.YEAR,
        label=str(YEAR),
        start_date=date(YEAR, 1, 1),
        end_date=date(YEAR, 12, 31),
        layout=layout,
    )
    whole = Period.objects.create(
        programme=programme,
        kind=PeriodKind.PROGRAMME,
        label="2022-2023",
        start_date=programme.start_date,
        end_date=programme.end_date,
        layout=layout,
    )
    for code, value in [("people", 10), ("volunteers", 0), ("participants", 100)]:
        Target.objects.create(period=year, indicator=indicators[code], value=value)
    Remark.objects.create(period=year, row=rows["people"], text="People came through outreach.")
    group = BudgetGroup.objects.create(programme=programme, order=0, subtotal_label="Subtotal")
    lines = {
        "staff": BudgetLine.objects.create(
            group=group, order=0, label="Staff", budget=Decimal(1000), pillar=pillars[1]
        ),
        "activities": BudgetLine.objects.create(
            group=group, order=1, label="Activities", budget=Decimal(500), pillar=pillars[2]
        ),
    }
    return Plan(programme, year, whole, ours, theirs, indicators, rows, lines)


def add_records(plan, count, organisation=None):
    """``count`` of each kind of record the plan's indicators read, of one organisation."""
    organisation = organisation or plan.ours
    location = LocationFactory(code="oradea")
    sub_project = SubProjectFactory(code="main")
    service = ServiceTypeFactory(code="shelter")
    caseworker = make_member(Role.CASEWORKER, organisation)
    people = BeneficiaryFactory.create_batch(
        count, organisation=organisation, location=location, intake_date=date(YEAR, 3, 1)
    )
    other = plan.theirs if organisation == plan.ours else plan.ours
    pillar_two = plan.programme.pillars.get(number=2)
    for index, person in enumerate(people):
        on = date(YEAR, 1, 1) + timedelta(days=index % 360)
        Assistance.objects.create(
            beneficiary=person,
            organisation=organisation,
            service_type=service,
            date=on,
            sub_project=sub_project,
            recorded_by=caseworker,
        )
        Referral.objects.create(
            beneficiary=person,
            from_organisation=other,
            to_organisation=organisation,
            due_date=on + timedelta(days=14),
            status=ReferralStatus.ACCEPTED,
            sent_on=on,
        )
        conference = Activity.objects.create(
            pillar=pillar_two,
            organisation=organisation,
            kind=ActivityKind.CONFERENCE,
            title=f"Conference {index}",
            starts_on=on,
            location=location,
            sub_project=sub_project,
            participants=10,
        )
        ActivityParticipation.objects.create(activity=conference, beneficiary=person)
        SafetyNet.objects.create(
            organisation=organisation,
            name=f"Safety net {index}",
            location=location,
            sub_project=sub_project,
            started_on=on,
        )
        Volunteer.objects.create(
            organisation=organisation,
            name=f"Volunteer {index}",
            location=location,
            active_from=on,
        )
        Expense.objects.create(
            line=plan.lines["staff"],
            organisation=organisation,
            date=on,
            amount=Decimal(10),
            currency=Currency.EUR,
            amount_eur=Decimal(10),
        )
    return people
