"""The assistance facts (pillars.facts) follow every write to the assistance, whatever makes it:
after many random writes through the domain functions (log, correct, void, restate attributes,
merge, transfer, erase), bulk updates and deletes, the fact table equals a fresh GROUP BY over
the rows, and every figure computed from the facts equals the same figure computed from the raw
rows. On PostgreSQL, concurrent writers for the same person and year lose no increment."""

import random
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from accounts.enums import Role
from cases import merging, services
from cases.enums import Category, ErasureGround
from cases.models import Assistance
from nextsteps.versioning import StaleRecord
from pillars.computations import (
    ReportFilters,
    compute,
    compute_by_month_for,
    compute_by_organisation,
    compute_months_of_every_choice,
    reading_raw_rows,
)
from pillars.enums import ComputationKind, Unit
from pillars.facts import ASSISTANCE_FACTS, MONTHS, month_column, summed_from_rows
from pillars.models import AssistanceFact, Indicator, Pillar, Programme
from tests.cases.factories import AssistanceFactory
from tests.cases.test_races import at_once, race, unscoped
from tests.factories import BeneficiaryFactory, LocationFactory, make_member

# Windows of whole months (read from the facts) and one that is not (read from the rows).
WINDOWS = [
    (date(2021, 1, 1), date(2024, 12, 31)),
    (date(2021, 8, 1), date(2023, 12, 31)),
    (date(2022, 3, 1), date(2022, 3, 31)),
    (date(2022, 2, 1), date(2023, 5, 31)),
    (date(2023, 1, 1), date(2023, 12, 31)),
    (date(2022, 3, 15), date(2023, 2, 10)),
]
CATEGORIES = [Category.VICTIM_OF_TRAFFICKING, Category.REFUGEE, Category.EXITING_PROSTITUTION]
REFUSED = (ValidationError, PermissionDenied, StaleRecord, ProtectedError)


def facts_in_table():
    columns = ", ".join(["year", *ASSISTANCE_FACTS.columns, *map(month_column, MONTHS)])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {ASSISTANCE_FACTS.table}")  # noqa: S608
        return sorted(tuple(row) for row in cursor.fetchall())


def facts_from_rows():
    with connection.cursor() as cursor:
        cursor.execute(summed_from_rows(ASSISTANCE_FACTS, connection.vendor))
        return sorted(tuple(row) for row in cursor.fetchall())


@pytest.fixture
def world(betania, alice, ijm, ijm_caseworker, reference_data):
    bucharest = LocationFactory(code="bucharest")
    programme = Programme.objects.create(
        name="Facts", start_date=date(2021, 1, 1), end_date=date(2024, 12, 31)
    )
    pillar = Pillar.objects.create(programme=programme, number=1, name="Pillar 1")
    parameters = [
        {},
        {"categories": [Category.VICTIM_OF_TRAFFICKING, Category.REFUGEE]},
        {"organisations": [betania.slug]},
        {"organisations": [ijm.slug], "sub_project": "main"},
        {"locations": ["bucharest"]},
        {"sub_project": "refugee", "categories": [Category.REFUGEE]},
        # Not in the facts: read from the rows, beside the others.
        {"service_types": ["shelter"]},
    ]
    indicators = [
        Indicator.objects.create(
            programme=programme,
            pillar=pillar,
            code=f"assisted-{number}",
            label=f"Assisted {number}",
            unit=Unit.PEOPLE,
            computation=ComputationKind.ASSISTED_PEOPLE,
            parameters=parameters,
            order=number,
        )
        for number, parameters in enumerate(parameters)
    ]
    people = [
        BeneficiaryFactory(
            organisation=betania,
            intake_date=date(2021, 1, 1),
            category=CATEGORIES[number % len(CATEGORIES)],
            location=reference_data["location"],
        )
        for number in range(8)
    ]
    return {
        "alice": alice,
        "admin": make_member(Role.ORGANISATION_ADMIN, betania),
        "dpo": make_member(Role.DATA_PROTECTION_OFFICER),
        "ijm": ijm,
        "ijm_caseworker": ijm_caseworker,
        "people": people,
        "indicators": indicators,
        "locations": [reference_data["location"], bucharest],
        "sub_projects": [reference_data["sub_project"], reference_data["refugee_project"]],
        "services": [reference_data["shelter"], reference_data["food"], reference_data["legal"]],
        "betania": betania,
    }


def a_day(chance):
    return date(2021, 1, 1) + timedelta(days=chance.randrange(4 * 365))


def an_entry(chance, **given):
    """One of the entries that count, at random (of those ``given``: by one organisation ...)."""
    counting = Assistance._base_manager.filter(voided_at__isnull=True, **given)
    entries = list(counting.order_by("pk"))
    return chance.choice(entries) if entries else None


def log(world, chance):
    services.log_assistance(
        chance.choice(world["people"]),
        by=world["alice"],
        service_type=chance.choice(world["services"]),
        date=a_day(chance),
        sub_project=chance.choice(world["sub_projects"]),
        quantity=chance.choice([None, 1, 2]),
    )


def log_by_a_partner(world, chance):
    # Help given by another organisation (as in answer to a referral): counted for it.
    AssistanceFactory(
        beneficiary=chance.choice(world["people"]),
        organisation=world["ijm"],
        service_type=chance.choice(world["services"]),
        date=a_day(chance),
        sub_project=chance.choice(world["sub_projects"]),
    )


def correct(world, chance):
    entry = an_entry(chance, organisation=world["betania"])
    if entry is not None:
        change = chance.choice(
            [
                {"date": a_day(chance)},
                {"sub_project": chance.choice(world["sub_projects"])},
                {"service_type": chance.choice(world["services"])},
                {"quantity": 3},
            ]
        )
        services.correct_assistance(
            entry,
            by=world["alice"],
            reason="Typed wrong",
            seen_changed_at=entry.changed_at,
            **change,
        )


def void(world, chance):
    entry = an_entry(chance, organisation=world["betania"])
    if entry is not None:
        services.void_assistance(
            entry, by=world["alice"], reason="Logged twice", seen_changed_at=entry.changed_at
        )


def restate(world, chance):
    services.restate_attributes(
        chance.choice(world["people"]),
        since=a_day(chance),
        category=chance.choice(CATEGORIES),
        location=chance.choice(world["locations"]),
        reason="Wrong from the start",
        by=world["admin"],
    )


def merge(world, chance):
    survivor, merged = chance.sample(world["people"], 2)
    merging.merge_records(survivor, merged, by=world["admin"])
    world["people"].remove(merged)


def transfer(world, chance):
    person = chance.choice(world["people"])
    asked = services.request_transfer(
        person,
        to_organisation=world["ijm"],
        reason="She moves",
        consent=services.ConsentInStep(given_by="person", method="signed_form", on=date.today()),
        by=world["alice"],
    )
    services.accept_transfer(asked, by=world["ijm_caseworker"])


def erase(world, chance):
    person = chance.choice(world["people"])
    services.erase_beneficiary(person, ground=ErasureGround.REQUEST, by=world["dpo"])
    world["people"].remove(person)


def bulk_update(world, chance):
    person = chance.choice(world["people"])
    rows = Assistance._base_manager.filter(beneficiary=person)
    chance.choice(
        [
            lambda: rows.update(date=F("date") + timedelta(days=40)),
            lambda: rows.update(sub_project=chance.choice(world["sub_projects"])),
            lambda: rows.update(organisation=world["ijm"]),
            lambda: rows.filter(date__year=2022).update(voided_at=None),
        ]
    )()


def delete(world, chance):
    entry = an_entry(chance)
    if entry is not None:
        Assistance._base_manager.filter(pk=entry.pk).delete()


WRITES = [log, log, log, log, log_by_a_partner, correct, void, restate, bulk_update, delete]
RARE_WRITES = [merge, transfer, erase]


def write_at_random(world, chance, done):
    rare = chance.random() < 0.08 and len(world["people"]) > 4
    write = chance.choice(RARE_WRITES) if rare else chance.choice(WRITES)
    try:
        with transaction.atomic():
            write(world, chance)
    except REFUSED:
        return  # refused as it should be (a date before intake, a merge conflict ...): no write
    done.add(write.__name__)
    for person in world["people"]:
        person.refresh_from_db()


def figures_both_ways(world, start, end):
    indicators = world["indicators"]
    reports = [
        lambda: compute(indicators, start, end),
        lambda: compute(indicators, start, end, ReportFilters(organisation=world["betania"])),
        lambda: compute(indicators, start, end, ReportFilters(location=world["locations"][1])),
        lambda: compute(
            indicators, start, end, ReportFilters(sub_project=world["sub_projects"][1])
        ),
        lambda: compute_by_organisation(indicators, start, end),
        lambda: compute_by_month_for(indicators, start, end),
        lambda: compute_by_month_for(
            indicators, start, end, ReportFilters(organisation=world["betania"])
        ),
        # What locking a period publishes: every choice of the filters, with their months.
        lambda: compute_months_of_every_choice(indicators, start, end),
    ]
    from_facts = [report() for report in reports]
    with reading_raw_rows():
        from_rows = [report() for report in reports]
    return from_facts, from_rows


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seed", [14, 2026])
def test_facts_and_figures_follow_random_writes_of_every_kind(world, seed):
    chance = random.Random(seed)
    done = set()
    for round_ in range(12):
        for _ in range(10):
            write_at_random(world, chance, done)

        assert facts_in_table() == facts_from_rows(), f"after round {round_}"
        for start, end in WINDOWS:
            from_facts, from_rows = figures_both_ways(world, start, end)
            assert from_facts == from_rows, f"{start}-{end} after round {round_}"

    # Every kind of write was made at least once, and counted someone (the comparison is not
    # between two empty tables).
    assert {write.__name__ for write in WRITES} <= done
    assert done & {write.__name__ for write in RARE_WRITES}
    assert AssistanceFact.objects.exists()
    assert any(compute(world["indicators"], *WINDOWS[0]).values())


@pytest.mark.django_db
def test_the_figures_of_whole_months_are_read_from_the_facts(world):
    person = world["people"][0]
    AssistanceFactory(beneficiary=person, date=date(2022, 3, 10))
    everyone = world["indicators"][0]
    march = (date(2022, 3, 1), date(2022, 3, 31))
    assert compute([everyone], *march)[everyone.pk] == 1

    # Facts emptied behind the triggers' back (and the figures cached meanwhile forgotten): the
    # figure is theirs, the rows still count her.
    AssistanceFact.objects.all().delete()
    cache.clear()

    assert compute([everyone], *march)[everyone.pk] == 0
    assert compute_by_month_for([everyone], *march) == {}
    with reading_raw_rows():
        assert compute([everyone], *march)[everyone.pk] == 1
        assert compute_by_month_for([everyone], *march) == {everyone.pk: [(march[0], 1)]}
    # Not whole months: from the rows.
    assert compute([everyone], date(2022, 3, 5), date(2022, 3, 31))[everyone.pk] == 1


@pytest.mark.django_db
def test_an_entry_counts_in_its_month_of_its_year_until_voided(world):
    person = world["people"][0]
    entry = AssistanceFactory(beneficiary=person, date=date(2022, 3, 10), quantity=2)
    AssistanceFactory(
        beneficiary=person,
        date=date(2022, 3, 20),
        service_type=world["services"][1],
        organisation=entry.organisation,
        sub_project=entry.sub_project,
    )

    fact = AssistanceFact.objects.get()
    assert (fact.beneficiary_id, fact.year, fact.m03, fact.m04) == (person.pk, 2022, 2, 0)

    Assistance._base_manager.filter(pk=entry.pk).update(date=date(2022, 4, 1))
    fact.refresh_from_db()
    assert (fact.m03, fact.m04) == (1, 1)

    Assistance._base_manager.filter(beneficiary=person).update(voided_at=timezone.now())
    assert not AssistanceFact.objects.exists()


@race
def test_concurrent_entries_for_the_same_person_and_month_are_all_counted(world):
    person = world["people"][0]
    same = {
        "beneficiary": person,
        "date": date(2022, 3, 10),
        "service_type": world["services"][0],
        "sub_project": world["sub_projects"][0],
        "organisation": person.organisation,
    }
    AssistanceFactory(**same)

    def log_two():
        with transaction.atomic():
            AssistanceFactory(**same)
            AssistanceFactory(**{**same, "date": date(2022, 3, 11)})

    results = at_once(*[unscoped(log_two) for _ in range(4)])

    assert not [result for result in results if isinstance(result, Exception)]
    fact = AssistanceFact.objects.get()
    assert fact.m03 == 9
    assert facts_in_table() == facts_from_rows()


@race
def test_concurrent_voids_and_entries_of_one_fact_leave_it_exact(world):
    person = world["people"][0]
    same = {
        "beneficiary": person,
        "date": date(2022, 3, 10),
        "service_type": world["services"][0],
        "sub_project": world["sub_projects"][0],
        "organisation": person.organisation,
    }
    entries = [AssistanceFactory(**same) for _ in range(3)]

    def void(entry):
        return lambda: Assistance._base_manager.filter(pk=entry.pk).update(voided_at=timezone.now())

    results = at_once(*[void(entry) for entry in entries], lambda: AssistanceFactory(**same))

    assert not [result for result in results if isinstance(result, Exception)]
    assert facts_in_table() == facts_from_rows()
    assert AssistanceFact.objects.get().m03 == 1
