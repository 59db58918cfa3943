"""Domain functions of the programme plan: their rules, their writes and their audit rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from pillars.enums import ActivityKind, ComputationKind, Currency
from pillars.models import Activity, Expense, Period, Remark, ReportLayout, Target
from pillars.results import Origin, figures_for
from pillars.services import (
    clear_result,
    create_custom_period,
    enter_result,
    save_activity,
    save_expense,
    save_volunteer,
    set_target,
    write_remark,
)
from tests.factories import BeneficiaryFactory, make_member
from tests.pillars.factories import (
    ActivityFactory,
    IndicatorFactory,
    SafetyNetFactory,
    VolunteerFactory,
    add_row,
    make_plan,
)


@pytest.fixture
def plan(db, betania, outsider_organisation):
    plan = make_plan()
    plan.coordinator = make_member(Role.ORGANISATION_COORDINATOR, betania)
    plan.programme_coordinator = make_member(Role.PROGRAMME_COORDINATOR)
    plan.ours = BeneficiaryFactory.create_batch(3, organisation=betania, location=plan.oradea)
    plan.theirs = BeneficiaryFactory(organisation=outsider_organisation, location=plan.oradea)
    return plan


def new_activity(plan, organisation, **fields):
    return Activity(
        pillar=plan.pillars[1],
        organisation=organisation,
        kind=fields.pop("kind", ActivityKind.VOCATIONAL_TRAINING_COURSE),
        title="Sewing course",
        starts_on=date(2022, 3, 7),
        location=plan.oradea,
        sub_project=plan.main,
        **fields,
    )


def audit_rows(record):
    return list(
        AuditEvent.objects.filter(object_reference=record.audit_reference).values_list(
            "action", flat=True
        )
    )


# -- activities ------------------------------------------------------------------------------


def test_an_activity_is_recorded_with_its_people_and_volunteers(plan, betania):
    volunteer = VolunteerFactory(organisation=betania, active_from=date(2022, 1, 1))
    activity = new_activity(plan, betania)

    save_activity(activity, participants=plan.ours[:2], volunteers=[volunteer], by=plan.coordinator)

    activity.refresh_from_db()
    assert set(activity.beneficiaries.all()) == set(plan.ours[:2])
    assert list(activity.volunteers.all()) == [volunteer]
    # No number given: everyone registered
    assert activity.participants == 2
    assert activity.recorded_by == plan.coordinator
    assert audit_rows(activity) == [AuditAction.CREATE]


def test_changing_the_people_of_an_activity_replaces_them(plan, betania):
    activity = new_activity(plan, betania)
    save_activity(activity, participants=plan.ours[:2], volunteers=[], by=plan.coordinator)

    save_activity(activity, participants=plan.ours[1:], volunteers=[], by=plan.coordinator)

    assert set(activity.beneficiaries.all()) == set(plan.ours[1:])
    assert audit_rows(activity) == [AuditAction.UPDATE, AuditAction.CREATE]


def test_only_the_organisations_own_records_can_take_part(plan, betania):
    activity = new_activity(plan, betania)

    with pytest.raises(ValidationError) as refused:
        save_activity(
            activity, participants=[plan.ours[0], plan.theirs], volunteers=[], by=plan.coordinator
        )

    assert "participant_codes" in refused.value.message_dict
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


@pytest.mark.parametrize(
    ("fields", "volunteer_from", "field"),
    [
        ({"participants": 1}, date(2022, 1, 1), "participants"),
        ({"online_reach": 5000}, date(2022, 1, 1), "online_reach"),
        ({}, date(2022, 6, 1), "volunteers"),
        ({"ends_on": date(2022, 3, 1)}, date(2022, 1, 1), "__all__"),
    ],
)
def test_activity_rules(plan, betania, fields, volunteer_from, field):
    volunteer = VolunteerFactory(organisation=betania, active_from=volunteer_from)
    activity = new_activity(plan, betania, **fields)

    with pytest.raises(ValidationError) as refused:
        save_activity(
            activity, participants=plan.ours[:2], volunteers=[volunteer], by=plan.coordinator
        )

    assert field in refused.value.message_dict
    assert not Activity.objects.exists()


def test_a_safety_net_meeting_belongs_to_one_of_the_organisations_own_nets(
    plan, betania, outsider_organisation
):
    meeting = new_activity(
        plan,
        betania,
        kind=ActivityKind.SAFETY_NET_MEETING,
        safety_net=SafetyNetFactory(organisation=outsider_organisation),
    )
    workshop = new_activity(plan, betania, safety_net=SafetyNetFactory(organisation=betania))

    for activity in (meeting, workshop):
        with pytest.raises(ValidationError) as refused:
            save_activity(activity, participants=[], volunteers=[], by=plan.coordinator)
        assert "safety_net" in refused.value.message_dict


def test_a_volunteer_cannot_stop_before_starting(plan, betania):
    volunteer = VolunteerFactory.build(
        organisation=betania,
        location=plan.oradea,
        active_from=date(2022, 5, 1),
        active_until=date(2022, 4, 1),
    )

    with pytest.raises(ValidationError, match="cannot stop before starting"):
        save_volunteer(volunteer, by=plan.coordinator)


# -- expenses --------------------------------------------------------------------------------


def new_expense(plan, organisation, line=0, **fields):
    return Expense(
        line=plan.lines[line], organisation=organisation, date=date(2022, 4, 1), **fields
    )


def test_an_expense_in_lei_is_booked_in_euros_at_its_rate(plan, betania):
    expense = new_expense(
        plan, betania, amount=Decimal("1000.00"), currency=Currency.RON, rate=Decimal("4.9300")
    )

    save_expense(expense, by=plan.coordinator)

    expense.refresh_from_db()
    assert expense.amount_eur == Decimal("202.84")
    assert audit_rows(expense) == [AuditAction.CREATE]


def test_an_expense_in_euros_keeps_a_rate_of_one(plan, betania):
    expense = new_expense(
        plan, betania, amount=Decimal("250.50"), currency=Currency.EUR, rate=Decimal("4.9")
    )

    save_expense(expense, by=plan.coordinator)

    assert (expense.rate, expense.amount_eur) == (Decimal(1), Decimal("250.50"))


def test_only_the_exchange_rate_line_takes_negative_amounts(plan, betania):
    refund = new_expense(plan, betania, amount=Decimal(-100), currency=Currency.EUR)
    difference = new_expense(plan, betania, line=1, amount=Decimal(-207), currency=Currency.EUR)

    with pytest.raises(ValidationError) as refused:
        save_expense(refund, by=plan.coordinator)
    save_expense(difference, by=plan.coordinator)

    assert "amount" in refused.value.message_dict
    assert list(Expense.objects.values_list("amount_eur", flat=True)) == [Decimal(-207)]


def test_a_rate_of_zero_is_refused_with_a_message(plan, betania):
    expense = new_expense(plan, betania, amount=Decimal(10), currency=Currency.RON, rate=0)

    with pytest.raises(ValidationError, match="above zero"):
        save_expense(expense, by=plan.coordinator)


# -- targets, remarks and results entered by hand ---------------------------------------------


@pytest.fixture
def indicator(plan):
    return IndicatorFactory(
        programme=plan.programme,
        pillar=plan.pillars[1],
        computation=ComputationKind.ACTIVITY_PARTICIPANTS,
    )


def test_targets_are_set_changed_and_removed(plan, indicator):
    year = plan.periods["2022"]
    by = plan.programme_coordinator

    set_target(indicator, year, 20, by=by)
    set_target(indicator, year, 25, by=by)
    assert Target.objects.get(indicator=indicator, period=year).value == 25
    set_target(indicator, year, None, by=by)

    assert not Target.objects.exists()
    assert audit_rows(indicator) == [AuditAction.DELETE, AuditAction.UPDATE, AuditAction.CREATE]


def test_remarks_belong_to_rows_of_the_periods_table(plan, indicator):
    year = plan.periods["2022"]
    row = add_row(plan, indicator)
    other_layout = ReportLayout.objects.create(programme=plan.programme, name="Other")
    custom = Period.objects.create(
        programme=plan.programme,
        kind="custom",
        label="Q1",
        start_date=date(2022, 1, 1),
        end_date=date(2022, 3, 31),
        layout=other_layout,
    )

    write_remark(row, year, "  Two conferences.  ", by=plan.programme_coordinator)
    with pytest.raises(ValidationError, match="not printed"):
        write_remark(row, custom, "Elsewhere", by=plan.programme_coordinator)
    assert Remark.objects.get().text == "Two conferences."
    write_remark(row, year, "", by=plan.programme_coordinator)

    assert not Remark.objects.exists()


def test_an_override_needs_a_reason_and_shows_as_overridden(plan, indicator):
    year = plan.periods["2022"]
    ActivityFactory(pillar=plan.pillars[1], starts_on=date(2022, 5, 1), participants=40)

    with pytest.raises(ValidationError, match="needs a reason"):
        enter_result(indicator, year, 45, reason="  ", by=plan.programme_coordinator)
    enter_result(indicator, year, 45, reason="5 walk-ins", by=plan.programme_coordinator)
    overridden = figures_for([indicator], year)[indicator.pk]
    clear_result(indicator, year, by=plan.programme_coordinator)
    computed = figures_for([indicator], year)[indicator.pk]

    assert (overridden.value, overridden.origin, overridden.computed) == (45, Origin.OVERRIDE, 40)
    assert overridden.entry.reason == "5 walk-ins"
    assert (computed.value, computed.origin) == (40, Origin.COMPUTED)


def test_a_figure_entered_by_hand_needs_no_reason(plan):
    manual = IndicatorFactory(
        programme=plan.programme, pillar=plan.pillars[2], computation=ComputationKind.MANUAL
    )
    year = plan.periods["2022"]

    enter_result(manual, year, 4, reason="", by=plan.programme_coordinator)

    figure = figures_for([manual], year)[manual.pk]
    assert (figure.value, figure.origin) == (4, Origin.MANUAL)


# -- custom periods --------------------------------------------------------------------------


def test_a_quarter_on_request_computes_over_its_own_dates(plan, indicator):
    ActivityFactory(pillar=plan.pillars[1], starts_on=date(2023, 2, 1), participants=7)
    ActivityFactory(pillar=plan.pillars[1], starts_on=date(2023, 4, 1), participants=9)

    quarter = create_custom_period(
        plan.programme,
        label="2023-Q1",
        start_date=date(2023, 1, 1),
        end_date=date(2023, 3, 31),
        layout=plan.layout,
        by=plan.programme_coordinator,
    )

    assert quarter.kind == "custom"
    assert figures_for([indicator], quarter)[indicator.pk].value == 7
    assert audit_rows(quarter) == [AuditAction.CREATE]


@pytest.mark.parametrize(
    ("label", "start", "end", "message"),
    [
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31), "within the programme"),
        ("2022", date(2022, 1, 1), date(2022, 3, 31), "already exists"),
        ("backwards", date(2022, 3, 1), date(2022, 1, 1), "end after it starts"),
    ],
)
def test_a_custom_period_must_make_sense(plan, label, start, end, message):
    with pytest.raises(ValidationError, match=message):
        create_custom_period(
            plan.programme,
            label=label,
            start_date=start,
            end_date=end,
            layout=plan.layout,
            by=plan.programme_coordinator,
        )
