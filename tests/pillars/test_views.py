"""The programme plan's screens, role by role: organisation coordinators see and change only
their organisation's activities, volunteers and expenses; the programme coordinator sees every
organisation's activities and the partnership's figures, never an identity, and manages the
plan; caseworkers have no access."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from pillars.enums import ActivityKind, ComputationKind
from pillars.models import Activity, Expense, Period, Remark, ResultEntry, Target, Volunteer
from tests.factories import BeneficiaryFactory, make_member
from tests.pillars.factories import (
    ActivityFactory,
    ExpenseFactory,
    IndicatorFactory,
    VolunteerFactory,
    add_row,
    make_plan,
)


@pytest.fixture
def plan(db, betania, outsider_organisation):
    plan = make_plan()
    plan.coordinator = make_member(Role.ORGANISATION_COORDINATOR, betania)
    plan.outsider_coordinator = make_member(Role.ORGANISATION_COORDINATOR, outsider_organisation)
    plan.programme_coordinator = make_member(Role.PROGRAMME_COORDINATOR)
    plan.people = BeneficiaryFactory.create_batch(
        2, organisation=betania, location=plan.oradea, alias="Maria"
    )
    plan.their_person = BeneficiaryFactory(organisation=outsider_organisation, alias="Ioana")
    plan.course = ActivityFactory(
        pillar=plan.pillars[1],
        organisation=betania,
        kind=ActivityKind.VOCATIONAL_TRAINING_COURSE,
        title="Sewing course 2022",
        starts_on=date(2022, 3, 7),
        location=plan.oradea,
        participants=2,
        people=plan.people,
    )
    plan.their_workshop = ActivityFactory(
        pillar=plan.pillars[3],
        organisation=outsider_organisation,
        title="Their workshop",
        starts_on=date(2022, 5, 1),
        participants=40,
        people=[plan.their_person],
    )
    plan.trained = IndicatorFactory(
        programme=plan.programme,
        pillar=plan.pillars[1],
        code="trained",
        computation=ComputationKind.ACTIVITY_PEOPLE,
        parameters={"activity_kinds": [ActivityKind.VOCATIONAL_TRAINING_COURSE]},
    )
    return plan


def audit_count():
    return AuditEvent.objects.count()


# -- activities ------------------------------------------------------------------------------


def test_an_organisation_coordinator_lists_only_her_organisations_activities(plan, client_of):
    response = client_of(plan.coordinator).get(reverse("pillars:activity_list"))

    assert response.status_code == 200
    assert [a.title for a in response.context["page_obj"]] == ["Sewing course 2022"]
    assert "organisation" not in response.context["filter"].form.fields


def test_the_programme_coordinator_lists_every_organisations_activities(plan, client_of):
    client = client_of(plan.programme_coordinator)

    everything = client.get(reverse("pillars:activity_list"))
    theirs = client.get(
        reverse("pillars:activity_list"), {"organisation": plan.their_workshop.organisation_id}
    )

    assert {a.title for a in everything.context["page_obj"]} == {
        "Sewing course 2022",
        "Their workshop",
    }
    assert [a.title for a in theirs.context["page_obj"]] == ["Their workshop"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": ActivityKind.AWARENESS_WORKSHOP}, ["Their workshop"]),
        ({"pillar": "pillar-1"}, ["Sewing course 2022"]),
        ({"period": "2023"}, []),
        ({"period": "2022"}, ["Their workshop", "Sewing course 2022"]),
        ({"title": "sewing"}, ["Sewing course 2022"]),
    ],
)
def test_the_activity_list_filters(plan, client_of, query, expected):
    if query.get("pillar") == "pillar-1":
        query = {"pillar": plan.pillars[1].pk}
    if "period" in query:
        query = {"period": plan.periods[query["period"]].public_id}

    response = client_of(plan.programme_coordinator).get(reverse("pillars:activity_list"), query)

    assert [a.title for a in response.context["page_obj"]] == expected


def test_caseworkers_have_no_access(plan, alice, client_of):
    client = client_of(alice)

    assert client.get(reverse("pillars:activity_list")).status_code == 403
    assert client.get(reverse("pillars:indicator_plan")).status_code == 403
    detail = reverse("pillars:activity_detail", kwargs={"public_id": plan.course.public_id})
    assert client.get(detail).status_code == 404


def test_the_coordinator_sees_the_codes_of_her_organisations_participants(plan, client_of):
    client = client_of(plan.coordinator)
    before = audit_count()

    response = client.get(
        reverse("pillars:activity_detail", kwargs={"public_id": plan.course.public_id})
    )

    page = response.content.decode()
    assert all(person.code in page for person in plan.people)
    assert "Maria" not in page
    assert audit_count() == before + 1
    event = AuditEvent.objects.first()
    assert (event.action, event.object_reference) == (AuditAction.VIEW, str(plan.course.public_id))


def test_the_programme_coordinator_sees_counts_not_identities(plan, client_of):
    client = client_of(plan.programme_coordinator)
    before = audit_count()

    response = client.get(
        reverse("pillars:activity_detail", kwargs={"public_id": plan.course.public_id})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert not any(person.code in page for person in plan.people)
    assert "BET-" not in page
    assert "Maria" not in page
    assert response.context["activity"].registered_people == 2
    assert audit_count() == before + 1


def test_another_organisations_activity_is_not_found_and_not_logged(plan, client_of):
    client = client_of(plan.outsider_coordinator)
    before = audit_count()

    for name in ("pillars:activity_detail", "pillars:activity_edit"):
        response = client.get(reverse(name, kwargs={"public_id": plan.course.public_id}))
        assert response.status_code == 404

    assert audit_count() == before


def test_the_detail_shows_the_indicators_the_activity_counts_in(plan, client_of):
    response = client_of(plan.coordinator).get(
        reverse("pillars:activity_detail", kwargs={"public_id": plan.course.public_id})
    )

    (fed,) = response.context["fed_indicators"]
    assert fed.indicator == plan.trained
    assert [(period.label, figure.value) for period, figure in fed.figures] == [
        ("2022", 2),
        ("2021-2023", 2),
    ]


def activity_form(plan, **changes):
    data = {
        "pillar": plan.pillars[1].pk,
        "kind": ActivityKind.VOCATIONAL_TRAINING_COURSE,
        "title": "Tailoring course",
        "starts_on": "2022-10-04",
        "location": plan.oradea.pk,
        "sub_project": plan.main.pk,
        "participants": "",
        "participant_codes": " ".join(person.code for person in plan.people),
        "audiences": ["beneficiaries"],
    }
    data.update(changes)
    return data


def test_a_coordinator_logs_an_activity_with_participants(plan, client_of, betania):
    client = client_of(plan.coordinator)
    before = audit_count()

    response = client.post(reverse("pillars:activity_create"), activity_form(plan))

    activity = Activity.objects.get(title="Tailoring course")
    assert response.status_code == 302
    assert response.url == reverse(
        "pillars:activity_detail", kwargs={"public_id": activity.public_id}
    )
    assert activity.organisation == betania
    assert activity.participants == 2
    assert set(activity.beneficiaries.all()) == set(plan.people)
    assert audit_count() == before + 1


def test_another_organisations_code_reads_like_a_missing_one(plan, client_of):
    codes = f"{plan.people[0].code}, {plan.their_person.code} NOPE-2022-0001"

    response = client_of(plan.coordinator).post(
        reverse("pillars:activity_create"), activity_form(plan, participant_codes=codes)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["participant_codes"] == [
        f"Not a record of your organisation: NOPE-2022-0001, {plan.their_person.code}."
    ]
    assert not Activity.objects.filter(title="Tailoring course").exists()


def test_a_broken_rule_is_shown_on_the_form_and_nothing_is_saved(plan, client_of):
    response = client_of(plan.coordinator).post(
        reverse("pillars:activity_create"), activity_form(plan, participants="1")
    )

    assert response.status_code == 400
    assert "participants" in response.context["form"].errors
    assert not Activity.objects.filter(title="Tailoring course").exists()


def test_the_programme_coordinator_records_no_organisations_activities(plan, client_of):
    client = client_of(plan.programme_coordinator)

    assert client.get(reverse("pillars:activity_create")).status_code == 403
    edit = reverse("pillars:activity_edit", kwargs={"public_id": plan.course.public_id})
    assert client.post(edit, activity_form(plan)).status_code == 404


def test_editing_an_activity_is_audited_once_per_request(plan, client_of):
    client = client_of(plan.coordinator)
    edit = reverse("pillars:activity_edit", kwargs={"public_id": plan.course.public_id})
    before = audit_count()

    shown = client.get(edit)
    saved = client.post(edit, activity_form(plan, participant_codes=plan.people[0].code))

    assert plan.people[1].code in shown.context["form"].initial["participant_codes"]
    assert saved.status_code == 302
    assert list(plan.course.beneficiaries.all()) == [plan.people[0]]
    assert list(AuditEvent.objects.all()[:2].values_list("action", flat=True)) == [
        AuditAction.UPDATE,
        AuditAction.VIEW,
    ]
    assert audit_count() == before + 2


# -- volunteers ------------------------------------------------------------------------------


def test_volunteers_of_her_organisation_with_names_and_an_audit_row(plan, client_of, betania):
    VolunteerFactory(organisation=betania, name="Adina B.", active_until=date(2022, 6, 30))
    VolunteerFactory(organisation=plan.their_workshop.organisation, name="Zoe Z.")
    client = client_of(plan.coordinator)
    before = audit_count()

    response = client.get(reverse("pillars:volunteer_list"))

    assert [v.name for v in response.context["page_obj"]] == ["Adina B."]
    assert "Adina B." in response.content.decode()
    assert audit_count() == before + 1


def test_the_programme_coordinator_counts_volunteers_without_names(plan, client_of, betania):
    VolunteerFactory(organisation=betania, name="Adina B.", active_until=date(2022, 6, 30))
    VolunteerFactory(organisation=betania, name="Bogdan C.", active_from=date(2023, 1, 1))

    response = client_of(plan.programme_coordinator).get(
        reverse("pillars:volunteer_list"), {"period": plan.periods["2022"].public_id}
    )

    assert [row["volunteers"] for row in response.context["counts"]] == [1]
    assert "Adina" not in response.content.decode()


def test_a_coordinator_registers_a_volunteer(plan, client_of, betania):
    response = client_of(plan.coordinator).post(
        reverse("pillars:volunteer_create"),
        {"name": "Carmen D.", "location": plan.oradea.pk, "active_from": "2022-02-01"},
    )

    assert response.status_code == 302
    assert Volunteer.objects.get().organisation == betania


# -- expenses --------------------------------------------------------------------------------


def test_a_coordinator_records_an_expense_in_lei(plan, client_of, betania):
    response = client_of(plan.coordinator).post(
        reverse("pillars:expense_create"),
        {
            "line": plan.lines[0].pk,
            "date": "2022-04-15",
            "description": "Rent April",
            "amount": "4930.00",
            "currency": "RON",
            "rate": "4.9300",
        },
    )

    assert response.status_code == 302
    expense = Expense.objects.get()
    assert (expense.organisation, expense.amount_eur) == (betania, Decimal("1000.00"))


def test_a_negative_expense_off_the_exchange_rate_line_is_refused(plan, client_of):
    response = client_of(plan.coordinator).post(
        reverse("pillars:expense_create"),
        {"line": plan.lines[0].pk, "date": "2022-04-15", "amount": "-10", "currency": "EUR"},
    )

    assert response.context["form"].errors["amount"] == [
        "Only the exchange-rate line takes negative amounts."
    ]
    assert not Expense.objects.exists()


def test_expenses_are_seen_by_their_organisation_and_the_programme_coordinator(
    plan, client_of, betania, outsider_organisation
):
    ExpenseFactory(line=plan.lines[0], organisation=betania, description="Ours")
    theirs = ExpenseFactory(
        line=plan.lines[0], organisation=outsider_organisation, description="Theirs"
    )

    own = client_of(plan.coordinator).get(reverse("pillars:expense_list"))
    edit = client_of(plan.coordinator).get(
        reverse("pillars:expense_edit", kwargs={"public_id": theirs.public_id})
    )
    everything = client_of(plan.programme_coordinator).get(reverse("pillars:expense_list"))

    assert [e.description for e in own.context["page_obj"]] == ["Ours"]
    assert edit.status_code == 404
    assert {e.description for e in everything.context["page_obj"]} == {"Ours", "Theirs"}


def test_the_budget_shows_spending_per_line_with_subtotals(plan, client_of, betania):
    ExpenseFactory(line=plan.lines[0], organisation=betania, amount=Decimal(300))
    ExpenseFactory(
        line=plan.lines[1], organisation=betania, amount=Decimal(-20), date=date(2023, 1, 5)
    )

    response = client_of(plan.programme_coordinator).get(reverse("pillars:budget"))

    assert [(r.label, r.kind, r.total) for r in response.context["rows"]] == [
        ("Staff costs", "line", Decimal(300)),
        ("Subtotal", "subtotal", Decimal(300)),
        ("Exchange rate differences", "line", Decimal(-20)),
        ("Total", "total", Decimal(280)),
    ]


# -- the plan --------------------------------------------------------------------------------


@pytest.fixture
def printed(plan):
    plan.header = add_row(plan, label="Capacity building", pillar=1)
    plan.row = add_row(plan, plan.trained)
    return plan


def plan_form(plan, lines, changes):
    """The formset's POST data: every line as shown, with ``changes`` {line index: fields}."""
    data = {
        "plan-TOTAL_FORMS": len(lines),
        "plan-INITIAL_FORMS": len(lines),
        "plan-MIN_NUM_FORMS": 0,
        "plan-MAX_NUM_FORMS": 1000,
    }
    for index, line in enumerate(lines):
        data[f"plan-{index}-line_key"] = f"{line.key}:open"
        for name, value in changes.get(index, {}).items():
            data[f"plan-{index}-{name}"] = value
    return data


def plan_url(plan, label="2022", pillar=1):
    return (
        f"{reverse('pillars:indicator_plan')}?period={plan.periods[label].public_id}"
        f"&pillar={pillar}"
    )


def test_the_plan_of_a_pillar_is_one_table(printed, client_of):
    response = client_of(printed.programme_coordinator).get(plan_url(printed))

    lines = response.context["lines"]
    assert [(line.label, line.figure.value if line.figure else None) for line in lines] == [
        ("Capacity building", None),
        (printed.trained.label, 2),
    ]
    formset = response.context["formset"]
    assert len(formset.forms) == 2
    assert "target" not in formset.forms[0].fields  # a header has a remark only
    assert set(formset.forms[1].fields) == {"line_key", "target", "result", "reason", "remark"}


def test_the_programme_coordinator_saves_a_pillars_targets_remarks_and_overrides(
    printed, client_of
):
    client = client_of(printed.programme_coordinator)
    lines = client.get(plan_url(printed)).context["lines"]

    response = client.post(
        plan_url(printed),
        plan_form(
            printed,
            lines,
            {
                0: {"remark": "Two conferences were organised."},
                1: {"target": "12", "result": "7", "reason": "Two left before the end"},
            },
        ),
    )

    year = printed.periods["2022"]
    assert response.status_code == 302
    assert Target.objects.get(period=year, indicator=printed.trained).value == 12
    assert Remark.objects.get(period=year, row=printed.header).text.startswith("Two conf")
    entry = ResultEntry.objects.get(period=year, indicator=printed.trained)
    assert (entry.value, entry.reason) == (7, "Two left before the end")
    shown = client.get(plan_url(printed)).context["lines"][1].figure
    assert (shown.value, shown.origin, shown.computed) == (7, "override", 2)


def test_an_override_without_a_reason_saves_nothing(printed, client_of):
    client = client_of(printed.programme_coordinator)
    lines = client.get(plan_url(printed)).context["lines"]

    response = client.post(
        plan_url(printed),
        plan_form(printed, lines, {0: {"remark": "Kept?"}, 1: {"target": "12", "result": "7"}}),
    )

    assert response.status_code == 400
    assert response.context["formset"].forms[1].errors["reason"]
    assert not Target.objects.exists()
    assert not Remark.objects.exists()


def test_a_period_locked_since_the_page_was_opened_saves_nothing(printed, client_of):
    client = client_of(printed.programme_coordinator)
    lines = client.get(plan_url(printed)).context["lines"]
    Period.objects.filter(pk=printed.periods["2022"].pk).update(locked_at="2024-01-01T00:00Z")

    response = client.post(
        plan_url(printed),
        plan_form(printed, lines, {0: {"remark": "Kept?"}, 1: {"target": "12"}}),
    )

    assert "reload the page" in str(response.context["formset"].forms[1].non_field_errors())
    assert not Remark.objects.exists()
    assert not Target.objects.exists()


def test_a_rule_broken_while_saving_rolls_back_every_line(printed, client_of, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValidationError("Refused for the test.")

    monkeypatch.setattr("pillars.forms.set_target", refuse)
    client = client_of(printed.programme_coordinator)
    lines = client.get(plan_url(printed)).context["lines"]

    response = client.post(
        plan_url(printed),
        plan_form(printed, lines, {0: {"remark": "Kept?"}, 1: {"target": "12"}}),
    )

    assert response.status_code == 400
    assert "Refused for the test." in str(response.context["formset"].forms[1].non_field_errors())
    assert not Remark.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["create", "update"]).exists()


def test_organisation_coordinators_read_their_organisations_contribution(
    printed, client_of, outsider_organisation
):
    ActivityFactory(
        pillar=printed.pillars[1],
        organisation=outsider_organisation,
        kind=ActivityKind.VOCATIONAL_TRAINING_COURSE,
        starts_on=date(2022, 4, 1),
        people=[printed.their_person],
    )
    client = client_of(printed.coordinator)

    response = client.get(plan_url(printed))
    programme_wide = client_of(printed.programme_coordinator).get(plan_url(printed))

    assert response.context["formset"] is None
    assert response.context["lines"][1].figure.value == 2
    assert programme_wide.context["lines"][1].figure.value == 3
    assert client_of(printed.coordinator).post(plan_url(printed), {}).status_code == 403


def test_a_locked_figure_that_no_longer_matches_is_flagged_on_the_plan(printed, client_of):
    client = client_of(printed.programme_coordinator)
    year = printed.periods["2022"]

    client.post(reverse("pillars:period_lock", kwargs={"public_id": year.public_id}))
    ActivityFactory(
        pillar=printed.pillars[1],
        organisation=printed.course.organisation,
        kind=ActivityKind.VOCATIONAL_TRAINING_COURSE,
        starts_on=date(2022, 9, 1),
        people=[BeneficiaryFactory(organisation=printed.course.organisation)],
    )
    shown = client.get(plan_url(printed))
    periods = client.get(reverse("pillars:period_list"))

    figure = shown.context["lines"][1].figure
    assert (figure.value, figure.computed, figure.needs_restatement) == (2, 3, True)
    assert "Needs restatement" in shown.content.decode()
    assert dict(periods.context["periods"])[year] == 1


# -- periods ---------------------------------------------------------------------------------


def test_the_programme_coordinator_adds_a_quarter(printed, client_of):
    response = client_of(printed.programme_coordinator).post(
        reverse("pillars:period_list"),
        {
            "label": "2022-Q2",
            "title": "",
            "start_date": "2022-04-01",
            "end_date": "2022-06-30",
            "layout": printed.layout.pk,
        },
    )

    assert response.status_code == 302
    assert Period.objects.get(label="2022-Q2").kind == "custom"


def test_period_actions_take_posts_only(printed, client_of):
    year = printed.periods["2022"]
    url = reverse("pillars:period_lock", kwargs={"public_id": year.public_id})

    assert client_of(printed.programme_coordinator).get(url).status_code == 405
    year.refresh_from_db()
    assert not year.is_locked


def test_organisation_coordinators_cannot_lock(printed, client_of):
    year = printed.periods["2022"]

    response = client_of(printed.coordinator).post(
        reverse("pillars:period_lock", kwargs={"public_id": year.public_id})
    )

    year.refresh_from_db()
    assert response.status_code == 404
    assert not year.is_locked
    assert client_of(printed.coordinator).get(reverse("pillars:period_list")).status_code == 403


# -- hostile input on the plan (issue 13 point 5) ---------------------------------------------
@pytest.mark.parametrize("field", ["target", "result"])
@pytest.mark.parametrize("value", ["99999999999999999999", "1000000000000000"])
def test_a_number_beyond_its_column_is_refused(printed, client_of, field, value):
    client = client_of(printed.programme_coordinator)
    lines = client.get(plan_url(printed)).context["lines"]
    changes = {0: {"remark": "Kept?"}, 1: {field: value, "reason": "source"}}

    response = client.post(plan_url(printed), plan_form(printed, lines, changes))

    assert response.status_code == 400
    assert response.context["formset"].forms[1].errors[field]
    assert not Target.objects.exists()
    assert not ResultEntry.objects.exists()
    assert not Remark.objects.exists()


@pytest.mark.parametrize("count", ["3", "1", "99999999999999999999", "-1", "x"])
def test_a_tampered_form_count_saves_nothing(printed, client_of, count):
    client = client_of(printed.programme_coordinator)
    lines = client.get(plan_url(printed)).context["lines"]
    data = plan_form(printed, lines, {0: {"remark": "Kept?"}, 1: {"target": "12"}})
    data["plan-TOTAL_FORMS"] = count

    response = client.post(plan_url(printed), data)

    assert response.status_code == 400
    assert not Target.objects.exists()
    assert not Remark.objects.exists()


def test_the_activity_form_offers_current_volunteers_first_with_local_dates(
    plan, client_of, betania
):
    VolunteerFactory(
        organisation=betania,
        name="Ana (left)",
        active_from=date(2021, 3, 1),
        active_until=date(2022, 6, 30),
    )
    VolunteerFactory(organisation=betania, name="Zoe (current)", active_from=date(2022, 9, 5))
    VolunteerFactory(organisation=betania, name="Bea (current)", active_from=date(2023, 1, 2))
    client = client_of(plan.coordinator)

    english = client.get(reverse("pillars:activity_create"))
    labels = [label for _value, label in english.context["form"].fields["volunteers"].choices]
    client.post(reverse("set_language"), {"language": "ro", "next": "/"})
    romanian = client.get(reverse("pillars:activity_create"))

    named = [label for label in labels if "(current)" in label or "(left)" in label]
    assert named == [
        "Bea (current) (02/01/2023 to now)",
        "Zoe (current) (05/09/2022 to now)",
        "Ana (left) (01/03/2021 to 30/06/2022)",
    ]
    assert "Ana (left) (01.03.2021 – 30.06.2022)" in romanian.content.decode()  # noqa: RUF001
