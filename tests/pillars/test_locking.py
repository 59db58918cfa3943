"""Locking a period freezes its figures; a later change to the records flags the figure for
restatement instead of changing it; restating re-freezes; unlocking makes figures live again."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.enums import Role
from accounts.models import AuditEvent
from pillars.enums import ComputationKind
from pillars.results import Origin, figures_for
from pillars.services import (
    enter_result,
    lock_period,
    restate_period,
    set_target,
    unlock_period,
    write_remark,
)
from tests.factories import make_member
from tests.pillars.factories import ActivityFactory, IndicatorFactory, add_row, make_plan


@pytest.fixture
def plan(db):
    plan = make_plan()
    plan.indicator = IndicatorFactory(
        programme=plan.programme,
        pillar=plan.pillars[3],
        computation=ComputationKind.ACTIVITY_PARTICIPANTS,
    )
    plan.activity = ActivityFactory(
        pillar=plan.pillars[3], starts_on=date(2022, 3, 10), participants=10
    )
    plan.year = plan.periods["2022"]
    plan.coordinator = make_member(Role.PROGRAMME_COORDINATOR)
    return plan


def figure_of(plan):
    plan.year.refresh_from_db()
    return figures_for([plan.indicator], plan.year)[plan.indicator.pk]


def test_a_live_figure_follows_the_records(plan):
    ActivityFactory(pillar=plan.pillars[3], starts_on=date(2022, 6, 1), participants=15)

    assert figure_of(plan).value == 25
    assert figure_of(plan).origin == Origin.COMPUTED


def test_locking_freezes_the_figure_and_a_later_edit_flags_it(plan):
    lock_period(plan.year, by=plan.coordinator)

    plan.activity.participants = 12
    plan.activity.save()
    ActivityFactory(pillar=plan.pillars[3], starts_on=date(2022, 6, 1), participants=15)
    frozen = figure_of(plan)

    assert frozen.value == 10
    assert frozen.origin == Origin.FROZEN
    assert frozen.computed == 27
    assert frozen.needs_restatement


def test_a_locked_figure_the_records_still_give_is_not_flagged(plan):
    lock_period(plan.year, by=plan.coordinator)

    assert figure_of(plan).value == 10
    assert not figure_of(plan).needs_restatement


def test_restating_refreezes_at_what_the_records_give_now(plan):
    lock_period(plan.year, by=plan.coordinator)
    ActivityFactory(pillar=plan.pillars[3], starts_on=date(2022, 6, 1), participants=15)

    restate_period(plan.year, reason="Late workshop of June", by=plan.coordinator)

    restated = figure_of(plan)
    assert (restated.value, restated.first_published) == (25, 10)
    assert restated.origin == Origin.FROZEN
    assert restated.is_restated
    assert restated.restatement.reason == "Late workshop of June"
    assert not restated.needs_restatement


def test_unlocking_makes_the_figure_live_again(plan):
    lock_period(plan.year, by=plan.coordinator)
    ActivityFactory(pillar=plan.pillars[3], starts_on=date(2022, 6, 1), participants=15)

    unlock_period(plan.year, by=plan.coordinator)

    assert figure_of(plan).value == 25
    assert figure_of(plan).origin == Origin.COMPUTED


def test_other_periods_stay_live_when_one_is_locked(plan):
    lock_period(plan.year, by=plan.coordinator)
    ActivityFactory(pillar=plan.pillars[3], starts_on=date(2022, 6, 1), participants=15)

    programme = plan.periods["2021-2023"]
    assert figures_for([plan.indicator], programme)[plan.indicator.pk].value == 25


def test_each_change_of_state_is_audited(plan):
    lock_period(plan.year, by=plan.coordinator)
    plan.activity.participants = 12
    plan.activity.save()
    restate_period(plan.year, reason="Counted again", by=plan.coordinator)
    unlock_period(plan.year, by=plan.coordinator)

    details = list(
        AuditEvent.objects.filter(object_reference=str(plan.year.public_id))
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == [
        "locked period 2022",
        f"restated period 2022: {plan.indicator.code} 10->12",
        "unlocked period 2022",
    ]


def test_changes_of_state_that_make_no_sense_are_refused(plan):
    with pytest.raises(ValidationError, match="not locked"):
        unlock_period(plan.year, by=plan.coordinator)
    with pytest.raises(ValidationError, match="Only a locked period"):
        restate_period(plan.year, reason="Why not", by=plan.coordinator)
    lock_period(plan.year, by=plan.coordinator)
    with pytest.raises(ValidationError, match="already locked"):
        lock_period(plan.year, by=plan.coordinator)
    with pytest.raises(ValidationError, match="nothing to restate"):
        restate_period(plan.year, reason="Just in case", by=plan.coordinator)
    plan.activity.participants = 12
    plan.activity.save()
    with pytest.raises(ValidationError, match="Say why"):
        restate_period(plan.year, reason=" ", by=plan.coordinator)


def test_a_locked_period_refuses_new_targets_and_results_but_takes_remarks(plan):
    row = add_row(plan, plan.indicator)
    lock_period(plan.year, by=plan.coordinator)
    plan.year.refresh_from_db()

    with pytest.raises(ValidationError, match="locked"):
        set_target(plan.indicator, plan.year, 30, by=plan.coordinator)
    with pytest.raises(ValidationError, match="locked"):
        enter_result(plan.indicator, plan.year, 11, reason="count corrected", by=plan.coordinator)
    remark = write_remark(row, plan.year, "Restated in 2023: late records.", by=plan.coordinator)

    assert remark.text == "Restated in 2023: late records."
