"""Each computation kind of pillars.computations against a small data set whose answers were
worked out by hand (see the comments in ``records``).

Two organisations, A and B. Three people, all in A's or B's records:
    Ana  (A, exiting prostitution, Oradea, taken in 2021-10-01): assisted by A in 2022 and 2023
         and by B in 2022; employed in 2022 (A) and again in 2023 (B); referred A -> B in 2022
    Bea  (A, refugee, Oradea, taken in 2022-04-01): assisted by A in 2022 (refugee project)
    Cora (B, exiting prostitution, Bucharest, taken in 2021-09-01): assisted by B in 2021;
         reintegrated in 2023; referred B -> A in 2023 (still open)
"""

from datetime import date
from types import SimpleNamespace

import pytest

from pillars.computations import (
    NO_FILTERS,
    ReportFilters,
    compute,
    compute_by_month,
    compute_by_month_for,
    compute_by_organisation,
    describe_parameters,
    indicators_counting,
    records_of,
)
from pillars.enums import ActivityKind, ComputationKind
from tests.factories import BeneficiaryFactory, OrganisationFactory, ServiceTypeFactory
from tests.pillars.factories import (
    ActivityFactory,
    AssistanceFactory,
    IndicatorFactory,
    OutcomeFactory,
    ReferralFactory,
    SafetyNetFactory,
    VolunteerFactory,
    make_plan,
)


@pytest.fixture
def records(db):
    plan = make_plan()
    a = OrganisationFactory(slug="org-a", code_prefix="AAA")
    b = OrganisationFactory(slug="org-b", code_prefix="BBB")
    shelter = ServiceTypeFactory(code="shelter")
    counselling = ServiceTypeFactory(code="counselling")
    ana = BeneficiaryFactory(
        organisation=a,
        category="exiting_prostitution",
        location=plan.oradea,
        intake_date=date(2021, 10, 1),
    )
    bea = BeneficiaryFactory(
        organisation=a, category="refugee", location=plan.oradea, intake_date=date(2022, 4, 1)
    )
    cora = BeneficiaryFactory(
        organisation=b,
        category="exiting_prostitution",
        location=plan.bucharest,
        intake_date=date(2021, 9, 1),
    )
    for person, organisation, service, day, sub_project in [
        (ana, a, shelter, date(2022, 3, 1), plan.main),
        (ana, a, counselling, date(2023, 2, 1), plan.main),
        (ana, b, counselling, date(2022, 6, 1), plan.main),
        (bea, a, shelter, date(2022, 5, 1), plan.refugee),
        (cora, b, shelter, date(2021, 9, 1), plan.main),
    ]:
        AssistanceFactory(
            beneficiary=person,
            organisation=organisation,
            service_type=service,
            date=day,
            sub_project=sub_project,
        )
    OutcomeFactory(beneficiary=ana, organisation=a, kind="employed", date=date(2022, 11, 1))
    OutcomeFactory(beneficiary=ana, organisation=b, kind="employed", date=date(2023, 1, 15))
    OutcomeFactory(beneficiary=cora, organisation=b, kind="reintegrated", date=date(2023, 3, 1))
    ReferralFactory(
        beneficiary=ana,
        from_organisation=a,
        to_organisation=b,
        sent_on=date(2022, 5, 20),
        status="accepted",
    )
    ReferralFactory(
        beneficiary=bea,
        from_organisation=a,
        to_organisation=b,
        sent_on=date(2022, 7, 1),
        status="declined",
    )
    ReferralFactory(
        beneficiary=cora,
        from_organisation=b,
        to_organisation=a,
        sent_on=date(2023, 2, 2),
        status="sent",
    )

    pillar_one, pillar_three = plan.pillars[1], plan.pillars[3]

    def activity(organisation, kind, day, location, sub_project, participants=0, **fields):
        return ActivityFactory(
            pillar=fields.pop("pillar", pillar_three),
            organisation=organisation,
            kind=kind,
            starts_on=day,
            location=location,
            sub_project=sub_project,
            participants=participants,
            **fields,
        )

    workshop = ActivityKind.AWARENESS_WORKSHOP
    sketch = ActivityKind.THEATRE_SKETCH
    vocational = ActivityKind.VOCATIONAL_TRAINING_COURSE
    workshop_a = activity(a, workshop, date(2022, 3, 10), plan.oradea, plan.main, 30)
    activity(b, workshop, date(2022, 9, 10), plan.bucharest, plan.main, 45)
    activity(a, sketch, date(2023, 4, 4), plan.oradea, plan.refugee, 20)
    activity(
        b,
        ActivityKind.ONLINE_CAMPAIGN,
        date(2023, 6, 5),
        plan.bucharest,
        plan.refugee,
        online_reach=490000,
    )
    # A conference of pillar 1: pillar-3 indicators of conferences do not count it.
    activity(
        a,
        ActivityKind.CONFERENCE,
        date(2022, 5, 19),
        plan.oradea,
        plan.main,
        130,
        pillar=pillar_one,
    )
    course_2022 = activity(
        a, vocational, date(2022, 3, 7), plan.oradea, plan.main, 2, people=[ana, bea]
    )
    activity(a, vocational, date(2023, 3, 7), plan.oradea, plan.main, 1, people=[ana])
    activity(b, vocational, date(2023, 5, 1), plan.bucharest, plan.main, 1, people=[cora])

    # Volunteers: the first is active across the 2021/2022 year boundary.
    VolunteerFactory(
        organisation=a,
        location=plan.oradea,
        active_from=date(2021, 9, 1),
        active_until=date(2022, 6, 30),
    )
    VolunteerFactory(organisation=a, location=plan.oradea, active_from=date(2022, 2, 1))
    VolunteerFactory(
        organisation=b,
        location=plan.bucharest,
        active_from=date(2023, 1, 10),
        active_until=date(2023, 3, 31),
    )
    VolunteerFactory(
        organisation=a,
        location=plan.oradea,
        active_from=date(2021, 8, 15),
        active_until=date(2021, 12, 31),
    )

    # Safety nets: the second ended before the end of 2022.
    SafetyNetFactory(
        organisation=a, location=plan.oradea, sub_project=plan.main, started_on=date(2022, 3, 1)
    )
    SafetyNetFactory(
        organisation=a,
        location=plan.oradea,
        sub_project=plan.main,
        started_on=date(2022, 6, 1),
        ended_on=date(2022, 10, 31),
    )
    SafetyNetFactory(
        organisation=b,
        location=plan.bucharest,
        sub_project=plan.refugee,
        started_on=date(2023, 3, 1),
    )

    def indicator(computation, pillar=pillar_three, **parameters):
        return IndicatorFactory(
            programme=plan.programme, pillar=pillar, computation=computation, parameters=parameters
        )

    kinds = [workshop, sketch]
    return SimpleNamespace(
        plan=plan,
        a=a,
        b=b,
        ana=ana,
        bea=bea,
        cora=cora,
        workshop_a=workshop_a,
        course_2022=course_2022,
        assisted=indicator(ComputationKind.ASSISTED_PEOPLE, pillar_one),
        sheltered_exiting=indicator(
            ComputationKind.ASSISTED_PEOPLE,
            pillar_one,
            service_types=["shelter"],
            categories=["exiting_prostitution"],
        ),
        new_people=indicator(ComputationKind.NEW_PEOPLE, pillar_one),
        new_refugees=indicator(ComputationKind.NEW_PEOPLE, pillar_one, categories=["refugee"]),
        employed=indicator(
            ComputationKind.PEOPLE_WITH_OUTCOME, pillar_one, outcome_kinds=["employed"]
        ),
        any_outcome=indicator(ComputationKind.PEOPLE_WITH_OUTCOME, pillar_one),
        taken_on_referrals=indicator(
            ComputationKind.REFERRALS, pillar_one, statuses=["accepted", "completed"]
        ),
        referrals_to_b=indicator(ComputationKind.REFERRALS, pillar_one, to_organisations=["org-b"]),
        all_referrals=indicator(ComputationKind.REFERRALS, pillar_one),
        awareness_activities=indicator(ComputationKind.ACTIVITIES, activity_kinds=kinds),
        awareness_participants=indicator(
            ComputationKind.ACTIVITY_PARTICIPANTS, activity_kinds=kinds
        ),
        pillar_three_conferences=indicator(
            ComputationKind.ACTIVITIES, activity_kinds=[ActivityKind.CONFERENCE]
        ),
        pillar_one_conferences=indicator(
            ComputationKind.ACTIVITIES, pillar_one, activity_kinds=[ActivityKind.CONFERENCE]
        ),
        online_reach=indicator(
            ComputationKind.ACTIVITY_REACH, activity_kinds=[ActivityKind.ONLINE_CAMPAIGN]
        ),
        trained_people=indicator(ComputationKind.ACTIVITY_PEOPLE, activity_kinds=[vocational]),
        volunteers=indicator(ComputationKind.ACTIVE_VOLUNTEERS, pillar_one),
        safety_nets=indicator(ComputationKind.ACTIVE_SAFETY_NETS),
        manual=indicator(ComputationKind.MANUAL),
    )


def figure(indicator, label, filters=NO_FILTERS, *, records):
    period = records.plan.periods[label]
    return compute([indicator], period.start_date, period.end_date, filters).get(indicator.pk)


YEARS_AND_PROGRAMME = ["2021", "2022", "2023", "2021-2023"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Ana and Bea in 2022, Ana in 2023, Cora in 2021; each person once over the programme
        # (3), where the years add up to 4.
        ("assisted", [1, 2, 1, 3]),
        # Shelter for women exiting prostitution: Cora (2021), Ana (2022)
        ("sheltered_exiting", [1, 1, 0, 2]),
        # Taken in: Ana and Cora in 2021, Bea in 2022
        ("new_people", [2, 1, 0, 3]),
        ("new_refugees", [0, 1, 0, 1]),
        # Ana employed in 2022 and again in 2023: once over the programme
        ("employed", [0, 1, 1, 1]),
        ("any_outcome", [0, 1, 2, 2]),
        ("taken_on_referrals", [0, 1, 0, 1]),
        ("referrals_to_b", [0, 2, 0, 2]),
        ("all_referrals", [0, 2, 1, 3]),
        # Two workshops in 2022, one sketch in 2023
        ("awareness_activities", [0, 2, 1, 3]),
        ("awareness_participants", [0, 75, 20, 95]),
        # The only conference is pillar 1's
        ("pillar_three_conferences", [0, 0, 0, 0]),
        ("pillar_one_conferences", [0, 1, 0, 1]),
        ("online_reach", [0, 0, 490000, 490000]),
        # Ana and Bea trained in 2022, Ana and Cora in 2023: three people over the programme
        ("trained_people", [0, 2, 2, 3]),
        # The volunteer active from 2021-09 to 2022-06 counts in 2021 and in 2022, once overall
        ("volunteers", [2, 2, 2, 4]),
        # Active at the end of the period: the net ended in October 2022 never counts
        ("safety_nets", [0, 1, 2, 2]),
    ],
)
def test_each_computation_against_figures_worked_out_by_hand(records, name, expected):
    indicator = getattr(records, name)

    assert [figure(indicator, label, records=records) for label in YEARS_AND_PROGRAMME] == expected


def test_indicators_entered_by_hand_are_not_computed(records):
    period = records.plan.periods["2022"]

    assert records.manual.pk not in compute([records.manual], period.start_date, period.end_date)


def test_all_indicators_are_answered_by_one_query_per_kind_of_rows(
    records, django_assert_num_queries
):
    indicators = [value for value in vars(records).values() if hasattr(value, "computation")]
    period = records.plan.periods["2021-2023"]

    # The data version (pillars.data_version), then the assistance facts (pillars.facts), the
    # assistance rows (for the indicator naming a service, which the facts do not carry),
    # Beneficiary, Outcome, Referral, Activity, ActivityParticipation, Volunteer, SafetyNet
    with django_assert_num_queries(10):
        figures = compute(indicators, period.start_date, period.end_date)

    assert figures[records.assisted.pk] == 3
    assert figures[records.safety_nets.pk] == 2


@pytest.mark.parametrize(
    ("name", "filters", "expected"),
    [
        ("assisted", "organisation_a", 2),  # Ana and Bea (A assisted both)
        ("assisted", "organisation_b", 2),  # Ana and Cora
        ("assisted", "refugee_project", 1),  # Bea
        ("assisted", "bucharest", 1),  # Cora lives in Bucharest
        ("awareness_activities", "oradea", 2),
        ("awareness_activities", "refugee_project", 1),
        ("volunteers", "organisation_a", 3),
        ("safety_nets", "refugee_project", 1),
        # Referrals count for the organisation that takes the case on
        ("all_referrals", "organisation_b", 2),
    ],
)
def test_report_filters_narrow_the_records(records, name, filters, expected):
    chosen = {
        "organisation_a": ReportFilters(organisation=records.a),
        "organisation_b": ReportFilters(organisation=records.b),
        "refugee_project": ReportFilters(sub_project=records.plan.refugee),
        "oradea": ReportFilters(location=records.plan.oradea),
        "bucharest": ReportFilters(location=records.plan.bucharest),
    }[filters]

    assert figure(getattr(records, name), "2021-2023", chosen, records=records) == expected


@pytest.mark.parametrize("name", ["volunteers", "all_referrals"])
def test_a_filter_that_does_not_apply_leaves_the_indicator_out(records, name):
    # Volunteers and referrals have no sub-project: no figure rather than a wrong one.
    # (An outcome is credited to the sub-project of the person's latest help.)
    indicator = getattr(records, name)
    period = records.plan.periods["2022"]

    figures = compute(
        [indicator, records.assisted],
        period.start_date,
        period.end_date,
        ReportFilters(sub_project=records.plan.refugee),
    )

    assert indicator.pk not in figures
    assert figures[records.assisted.pk] == 1


def test_per_organisation_a_person_counts_once_for_each_organisation(records):
    period = records.plan.periods["2021-2023"]
    indicators = [records.assisted, records.trained_people, records.awareness_participants]

    breakdown = compute_by_organisation(indicators, period.start_date, period.end_date)
    totals = compute(indicators, period.start_date, period.end_date)

    # Ana, assisted by both, counts for A and for B, and once in the total of 3
    assert breakdown[records.assisted.pk] == {records.a.pk: 2, records.b.pk: 2}
    assert totals[records.assisted.pk] == 3
    assert breakdown[records.trained_people.pk] == {records.a.pk: 2, records.b.pk: 1}
    assert breakdown[records.awareness_participants.pk] == {records.a.pk: 50, records.b.pk: 45}


def test_per_month(records):
    period = records.plan.periods["2022"]

    months = compute_by_month(records.awareness_participants, period.start_date, period.end_date)

    assert months == [(date(2022, 3, 1), 30), (date(2022, 9, 1), 45)]


def test_the_trends_of_many_indicators_cost_one_query_per_kind_of_rows(
    records, django_assert_num_queries
):
    period = records.plan.periods["2022"]
    activity_indicators = [records.awareness_participants, records.trained_people]

    # the data version; participations of people, activities: two kinds of rows, two queries
    with django_assert_num_queries(3):
        trends = compute_by_month_for(activity_indicators, period.start_date, period.end_date)

    assert trends[records.awareness_participants.pk] == compute_by_month(
        records.awareness_participants, period.start_date, period.end_date
    )
    assert trends[records.trained_people.pk] == compute_by_month(
        records.trained_people, period.start_date, period.end_date
    )


def test_the_records_a_figure_is_made_of(records):
    period = records.plan.periods["2022"]

    people = records_of(records.assisted, period.start_date, period.end_date)
    volunteers = records_of(records.volunteers, period.start_date, period.end_date)

    assert list(people) == sorted([records.ana, records.bea], key=lambda person: person.code)
    assert volunteers.count() == 2


def test_the_indicators_that_count_an_activity(records):
    indicators = [
        records.awareness_activities,
        records.awareness_participants,
        records.pillar_three_conferences,
        records.online_reach,
        records.trained_people,
        records.assisted,
    ]

    assert indicators_counting(records.workshop_a, indicators) == [
        records.awareness_activities,
        records.awareness_participants,
    ]
    assert indicators_counting(records.course_2022, indicators) == [records.trained_people]


def test_parameters_are_described_in_words(records):
    assert describe_parameters(records.sheltered_exiting) == [
        ("service types", "shelter"),
        ("categories", "Exiting prostitution"),
    ]
