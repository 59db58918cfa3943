"""The demo's plan (the partnership's plan file, and demo.plan beside it) and the records of
what the partnership did that are not one person's case: activities, volunteers, safety nets
and expenses.

The activities are shaped so that, with the caseload of demo.caseload, every computed indicator of
the two printed tables comes out of the records. Per year (2021 / 2022 / 2023):
    outreach Bucharest 1 / 62 / 161 people, Oradea 0 / 0 / 5
    capacity-building conferences and screenings (pillar 1) 0 / 2 / 2
    legal-support conferences 0 / 2 / 1 with 0 / 113 / 79 participants
    refugee-project conferences 0 / 1 / 2 with 0 / 24 / 10 participants
    awareness Bucharest 368 / 1010 / 1266, Oradea 200 / 320 / 760, Oradea refugees 0 / 21 / 100
    life skills Bucharest 0 / 194 / 0 participants
    volunteers active: 18 / 25 / 28, 58 over the programme
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from accounts.models import User
from demo import plan as demo_plan
from pillars.enums import ActivityKind, Audience, Currency
from pillars.models import (
    Activity,
    ActivityParticipation,
    BudgetLine,
    Expense,
    Indicator,
    Location,
    Period,
    ResultEntry,
    SafetyNet,
    SubProject,
    Volunteer,
)
from pillars.plan_file import read_plan
from pillars.plan_loading import load_plan
from pillars.services import amount_in_euros, enter_result

VOLUNTEER_NAMES = [
    "Adina",
    "Bogdan",
    "Carmen",
    "Dana",
    "Emil",
    "Flavia",
    "George",
    "Horia",
    "Irina",
    "Jana",
    "Laura",
    "Mircea",
    "Nicoleta",
    "Ovidiu",
    "Paula",
    "Radu",
    "Sorina",
    "Tudor",
    "Vera",
    "Zoe",
]


# -- the plan ------------------------------------------------------------------------------


def load_plan_files(*paths):
    """The plan files through `load_plan`, as a partnership going live loads its own."""
    for path in paths:
        load_plan(read_plan(path), source=str(Path(path).relative_to(settings.BASE_DIR)))


def enter_manual_results(programme, *, by):
    """The figures no record can yield, entered by the programme coordinator (idempotent)."""
    for (label, code), (value, source) in demo_plan.MANUAL_RESULTS.items():
        period = Period.objects.get(programme=programme, label=label)
        indicator = Indicator.objects.get(programme=programme, code=code)
        entered = ResultEntry.objects.filter(period=period, indicator=indicator).first()
        if entered is None or entered.value != value:
            enter_result(indicator, period, value, reason=source, by=by)


# -- what the partnership did ----------------------------------------------------------------


def activities_exist():
    return Activity.objects.exists()


class ActivityLog:
    def __init__(self, programme, organisations):
        self.random = random.Random(2022)  # noqa: S311  (demo data, not security)
        self.programme = programme
        self.organisations = organisations
        self.pillars = {pillar.number: pillar for pillar in programme.pillars.all()}
        self.locations = {location.code: location for location in Location.objects.all()}
        self.sub_projects = {sub.code: sub for sub in SubProject.objects.all()}
        self.coordinators = {
            slug: User.objects.get(email=f"coordinator@{slug}.example") for slug in organisations
        }

    def add(
        self,
        slug,
        pillar,
        kind,
        title,
        on,
        *,
        location,
        participants=0,
        people=(),
        sub_project="main",
        audiences=(),
        reach=None,
        safety_net=None,
        volunteers=(),
    ):
        if people:
            # A group activity is logged on or after the day its last participant registered.
            on = max(on, *(person.intake_date for person in people))
        activity = Activity.objects.create(
            pillar=self.pillars[pillar],
            organisation=self.organisations[slug],
            kind=kind,
            title=title,
            starts_on=on,
            location=self.locations[location],
            sub_project=self.sub_projects[sub_project],
            participants=participants or len(people),
            audiences=[str(audience) for audience in audiences],
            online_reach=reach,
            safety_net=safety_net,
            recorded_by=self.coordinators[slug],
        )
        ActivityParticipation.objects.bulk_create(
            ActivityParticipation(activity=activity, beneficiary=person).stamp_attributes()
            for person in people
        )
        activity.volunteers.set(volunteers)
        return activity

    def series(self, slug, pillar, kind, title, year, total, sessions, **fields):
        """``sessions`` activities through ``year`` whose participants add up to ``total``."""
        for number, (on, participants) in enumerate(
            zip(_spread_dates(year, sessions), _split(total, sessions, self.random), strict=True),
            start=1,
        ):
            self.add(
                slug, pillar, kind, f"{title} #{number}", on, participants=participants, **fields
            )


def _spread_dates(year, count):
    start = date(2021, 9, 1) if year == 2021 else date(year, 1, 15)
    step = (date(year, 12, 10) - start).days // max(count, 1)
    return [start + timedelta(days=step * index) for index in range(count)]


def _split(total, parts, rng):
    """``parts`` positive whole numbers adding up to ``total``."""
    if total == 0:
        return [0] * parts
    weights = [rng.randint(5, 15) for _ in range(parts)]
    shares = [total * weight // sum(weights) for weight in weights]
    shares[-1] += total - sum(shares)
    return shares


def load_activities(programme, organisations, caseload):
    log = ActivityLog(programme, organisations)
    volunteers = _volunteers(log)
    _pillar_one(log, caseload, volunteers)
    _pillar_two(log)
    _pillar_three(log, caseload, volunteers)
    _network_work_in_the_netherlands(log)


def _volunteers(log):
    """58 volunteers of Betania and Salvation Army; 25 of them active during 2022."""
    windows = [
        # how many, active from, active until
        (10, date(2021, 8, 15), date(2021, 12, 31)),
        (8, date(2021, 9, 1), date(2022, 6, 30)),
        (12, date(2022, 2, 1), date(2022, 11, 30)),
        (5, date(2022, 9, 1), None),
        (23, date(2023, 1, 10), None),
    ]
    volunteers = []
    for count, active_from, active_until in windows:
        for _ in range(count):
            slug = log.random.choice(["betania", "salvation-army"])
            volunteers.append(
                Volunteer(
                    organisation=log.organisations[slug],
                    name=_alias(log.random, VOLUNTEER_NAMES),
                    location=log.locations["oradea" if slug == "betania" else "bucharest"],
                    active_from=active_from,
                    active_until=active_until,
                )
            )
    return Volunteer.objects.bulk_create(volunteers)


def _alias(rng, names):
    return f"{rng.choice(names)} {chr(65 + rng.randrange(26))}."


def _active_in(volunteers, on, organisation):
    return [
        volunteer
        for volunteer in volunteers
        if volunteer.organisation == organisation
        and volunteer.active_from <= on
        and (volunteer.active_until is None or volunteer.active_until >= on)
    ][:4]


def _pillar_one(log, caseload, volunteers):
    # Outreach to women in prostitution
    log.add(
        "salvation-army",
        1,
        ActivityKind.OUTREACH_SESSION,
        "First outreach night, Bucharest",
        date(2021, 11, 12),
        location="bucharest",
        participants=1,
        audiences=[Audience.WOMEN_IN_PROSTITUTION],
    )
    log.series(
        "salvation-army",
        1,
        ActivityKind.OUTREACH_SESSION,
        "Outreach night, Bucharest",
        2022,
        62,
        8,
        location="bucharest",
        audiences=[Audience.WOMEN_IN_PROSTITUTION],
    )
    log.add(
        "salvation-army",
        1,
        ActivityKind.OUTREACH_SESSION,
        "Woman-to-Woman Christmas campaign (161 women, 46 children)",
        date(2023, 12, 15),
        location="bucharest",
        participants=161,
        audiences=[Audience.WOMEN_IN_PROSTITUTION],
    )
    log.add(
        "betania",
        1,
        ActivityKind.OUTREACH_SESSION,
        "First outreach with security officer, Oradea",
        date(2023, 10, 5),
        location="oradea",
        participants=5,
        audiences=[Audience.WOMEN_IN_PROSTITUTION],
    )

    # Capacity building for local staff and others
    professionals = [Audience.STUDENTS, Audience.PROFESSIONALS, Audience.SOCIAL_WORKERS]
    log.add(
        "betania",
        1,
        ActivityKind.CONFERENCE,
        "Conference: trauma informed care",
        date(2022, 5, 19),
        location="oradea",
        participants=130,
        audiences=professionals,
    )
    log.add(
        "betania",
        1,
        ActivityKind.CONFERENCE,
        "Conference: early identification of trafficking, prevention among refugees",
        date(2022, 11, 17),
        location="oradea",
        participants=120,
        audiences=professionals,
    )
    for on, participants in [(date(2023, 10, 18), 64), (date(2023, 10, 23), 58)]:
        log.add(
            "betania",
            1,
            ActivityKind.MOVIE_SCREENING,
            "Prevention movie: screenings for educators and professionals",
            on,
            location="oradea",
            participants=participants,
            audiences=[Audience.TEACHERS, Audience.PROFESSIONALS],
        )

    # Vocational training for women on the step-out programme: 3 / 7 / 11 different women
    courses = [
        ("betania", 2021, caseload["betania-exiting-2021"][6:9]),
        ("betania", 2022, caseload["betania-exiting-2022"][:4] + caseload["elena"]),
        ("salvation-army", 2022, caseload["salvation-army-exiting-2022"][:2]),
        ("betania", 2023, caseload["betania-exiting-2023"][:8]),
        ("salvation-army", 2023, caseload["salvation-army-exiting-2023"][:3]),
    ]
    for slug, year, people in courses:
        where = "oradea" if slug == "betania" else "bucharest"
        on = date(year, 10, 4) if year == 2021 else date(year, 3, 7)
        log.add(
            slug,
            1,
            ActivityKind.VOCATIONAL_TRAINING_COURSE,
            f"Sewing and tailoring course {year}",
            on,
            location=where,
            people=people,
            audiences=[Audience.BENEFICIARIES],
            volunteers=_active_in(volunteers, on, log.organisations[slug]),
        )


def _pillar_two(log):
    justice = [Audience.POLICE, Audience.PROSECUTORS, Audience.JUDGES, Audience.SOCIAL_WORKERS]
    log.add(
        "ijm-romania",
        2,
        ActivityKind.CONFERENCE,
        "Building a Collaborative Criminal Justice Response to Trafficking in Persons in Romania",
        date(2022, 6, 8),
        location="bucharest",
        participants=80,
        audiences=justice,
    )
    log.add(
        "ijm-romania",
        2,
        ActivityKind.MULTIDISCIPLINARY_TRAINING,
        "Multidisciplinary training for police, prosecutors, social workers and ANITP "
        "(Bucharest region)",
        date(2022, 10, 12),
        location="bucharest",
        participants=33,
        audiences=justice,
    )
    log.add(
        "ijm-romania",
        2,
        ActivityKind.CONFERENCE,
        "European Cross-Border Conference: Enhancing Cross-Border Collaboration to Combat "
        "Trafficking in Human Beings",
        date(2023, 5, 24),
        location="bucharest",
        participants=79,
        audiences=[*justice, Audience.EMBASSY_STAFF],
    )
    refugee_conference = (
        "Responding to the Ukrainian Refugee Crisis with a Safe and Educated Approach"
    )
    for on, where, participants in [
        (date(2022, 11, 9), "bucharest", 24),
        (date(2023, 9, 20), "suceava", 6),
        (date(2023, 11, 15), "timisoara", 4),
    ]:
        log.add(
            "ijm-romania",
            2,
            ActivityKind.CONFERENCE,
            f"{refugee_conference} ({where.title()})",
            on,
            location=where,
            participants=participants,
            sub_project="refugee",
            audiences=[Audience.POLICE, Audience.SOCIAL_WORKERS],
        )


def _pillar_three(log, caseload, volunteers):
    students = [Audience.STUDENTS, Audience.TEACHERS]
    # Awareness and prevention: Salvation Army in Bucharest, Betania's sketches in Oradea
    for year, total, sessions in [(2021, 368, 8), (2022, 1010, 25), (2023, 1266, 30)]:
        log.series(
            "salvation-army",
            3,
            ActivityKind.AWARENESS_WORKSHOP,
            f"Prevention workshop {year}",
            year,
            total,
            sessions,
            location="bucharest",
            audiences=students,
        )
    for year, total, sessions in [(2021, 200, 4), (2022, 320, 6), (2023, 760, 12)]:
        log.series(
            "betania",
            3,
            ActivityKind.THEATRE_SKETCH,
            f"Prevention sketch in a high school {year}",
            year,
            total,
            sessions,
            location="oradea",
            audiences=students,
        )
    log.add(
        "betania",
        3,
        ActivityKind.AWARENESS_WORKSHOP,
        "Prevention workshop for refugee women",
        date(2022, 9, 14),
        location="oradea",
        participants=21,
        sub_project="refugee",
        audiences=[Audience.REFUGEES],
    )
    log.add(
        "betania",
        3,
        ActivityKind.MOVIE_SCREENING,
        "Prevention movie: screening for refugees",
        date(2023, 10, 18),
        location="oradea",
        participants=100,
        sub_project="refugee",
        audiences=[Audience.REFUGEES],
    )
    log.add(
        "salvation-army",
        3,
        ActivityKind.ONLINE_CAMPAIGN,
        "\u201cJobs too good to be true\u201d: three adverts (agriculture, dishwasher, factory)",
        date(2023, 6, 5),
        location="bucharest",
        sub_project="refugee",
        reach=490000,
        audiences=[Audience.GENERAL_PUBLIC, Audience.REFUGEES],
    )

    # Life skills: teenagers in Oradea (registered), youth camps in Bucharest (counted)
    for year in (2021, 2022, 2023):
        on = date(year, 10, 20) if year == 2021 else date(year, 4, 12)
        log.add(
            "betania",
            3,
            ActivityKind.LIFE_SKILLS_TRAINING,
            f"Life skills with the sewing group {year}",
            on,
            location="oradea",
            people=caseload[f"teens-life-skills-{year}"],
            audiences=[Audience.TEENAGERS],
        )
    for on, participants in [
        (date(2022, 7, 11), 80),
        (date(2022, 8, 1), 70),
        (date(2022, 11, 5), 44),
    ]:
        log.add(
            "salvation-army",
            3,
            ActivityKind.LIFE_SKILLS_TRAINING,
            "Life skills at a youth camp",
            on,
            location="bucharest",
            participants=participants,
            audiences=[Audience.TEENAGERS],
        )

    # Parenting classes held by volunteers
    for year in (2022, 2023):
        on = date(year, 2, 16)
        log.add(
            "betania",
            3,
            ActivityKind.PARENTING_CLASS,
            f"Parenting classes {year}",
            on,
            location="oradea",
            people=caseload[f"caretakers-{year}"],
            audiences=[Audience.PARENTS],
            volunteers=_active_in(volunteers, on, log.organisations["betania"]),
        )

    _safety_nets(log, volunteers)

    # Vocational training as prevention: 12 / 22 / 40 young people, and refugees 9 / 12
    for slug in ("betania", "salvation-army"):
        where = "oradea" if slug == "betania" else "bucharest"
        for year in (2021, 2022, 2023):
            on = date(year, 10, 11) if year == 2021 else date(year, 5, 9)
            log.add(
                slug,
                3,
                ActivityKind.VOCATIONAL_TRAINING_COURSE,
                f"Sewing course for young people {year}",
                on,
                location=where,
                people=caseload[f"teens-vocational-{slug}-{year}"],
                audiences=[Audience.TEENAGERS],
            )
    refugees_2022 = caseload["betania-refugees-2022"]
    for year, people in [
        (2022, refugees_2022[:9]),
        (2023, refugees_2022[9:] + caseload["betania-refugees-2023"][:6]),
    ]:
        log.add(
            "betania",
            3,
            ActivityKind.VOCATIONAL_TRAINING_COURSE,
            f"Sewing course for refugees {year}",
            date(year, 6, 6),
            location="oradea",
            people=people,
            sub_project="refugee",
            audiences=[Audience.REFUGEES],
        )


def _safety_nets(log, volunteers):
    """Betania's safety nets: 1 of each kind active at the end of 2022, 3 and 2 at the end of
    2023."""
    nets = [
        ("Women's safety net", date(2022, 3, 1), "main"),
        ("Teenagers' safety net", date(2023, 2, 1), "main"),
        ("Mothers' safety net", date(2023, 5, 2), "main"),
        ("Refugee women's safety net", date(2022, 6, 1), "refugee"),
        ("Refugee teenagers' safety net", date(2023, 3, 1), "refugee"),
    ]
    for name, started_on, sub_project in nets:
        net = SafetyNet.objects.create(
            organisation=log.organisations["betania"],
            name=name,
            location=log.locations["oradea"],
            sub_project=log.sub_projects[sub_project],
            started_on=started_on,
        )
        for month in range(0, 12, 3):
            on = started_on + timedelta(days=30 * month)
            if on <= log.programme.end_date:
                log.add(
                    "betania",
                    3,
                    ActivityKind.SAFETY_NET_MEETING,
                    f"{name}: meeting",
                    on,
                    location="oradea",
                    participants=log.random.randint(6, 14),
                    sub_project=sub_project,
                    safety_net=net,
                    audiences=[Audience.BENEFICIARIES],
                    volunteers=_active_in(volunteers, on, log.organisations["betania"]),
                )


def _network_work_in_the_netherlands(log):
    """Visits, network meetings and requests for advice: logged, counted in no indicator."""
    for year, meetings, requests in [(2021, 2, 3), (2022, 5, 8), (2023, 6, 9)]:
        log.series(
            "nl-partner",
            2,
            ActivityKind.NETWORK_MEETING,
            f"Network meeting {year}",
            year,
            meetings * 9,
            meetings,
            location="amsterdam",
            audiences=[Audience.POLICE, Audience.SOCIAL_WORKERS],
        )
        log.series(
            "nl-partner",
            2,
            ActivityKind.ADVICE_REQUEST,
            f"Request for advice {year}",
            year,
            requests,
            requests,
            location="netherlands-other",
            audiences=[Audience.PROFESSIONALS],
        )


# -- money -----------------------------------------------------------------------------------

# Who books which budget line, with their share of it.
EXPENSE_SHARES = {
    "Staff costs": {"betania": 40, "salvation-army": 30, "ijm-romania": 30},
    "General cost/ activities": {"betania": 50, "salvation-army": 50},
    "Pillar 1. Offering perspective to recovery, access to aftercare": {
        "betania": 60,
        "salvation-army": 40,
    },
    "Pillar 2. Justice System Transformation": {"ijm-romania": 100},
    "Pillar 3. Addressing root causes via prevention and reducing vulnerability": {
        "betania": 50,
        "salvation-army": 50,
    },
    "Prevention among Ukranian refugees": {"ijm-romania": 70, "betania": 30},
    "Other cost + Admin": {"betania": 34, "salvation-army": 33, "ijm-romania": 33},
    "Exchange rate differences": {"betania": 100},
}
# Lei per euro at which the Romanian partners booked their spending, per year.
BOOKING_RATES = {2021: Decimal("4.9000"), 2022: Decimal("4.9300"), 2023: Decimal("4.9500")}


def load_expenses(programme, organisations):
    """Expenses whose euro amounts add up, per line and year, to the financial report's actuals.
    Betania books in lei; the others in euros."""
    rng = random.Random(2023)  # noqa: S311  (demo data, not security)
    lines = {line.label: line for line in BudgetLine.objects.filter(group__programme=programme)}
    expenses = []
    for label, actuals in demo_plan.ACTUALS.items():
        for year, actual in actuals.items():
            expenses += _expenses_for(lines[label], year, actual, organisations, rng)
    Expense.objects.bulk_create(expenses)


def _expenses_for(line, year, actual, organisations, rng):
    if actual == 0:
        return []
    shares = EXPENSE_SHARES[line.label]
    slugs = list(shares)
    parts = [actual * shares[slug] // 100 for slug in slugs]
    parts[-1] += actual - sum(parts)
    expenses = []
    for slug, euros in zip(slugs, parts, strict=True):
        pieces = [euros] if line.is_exchange_difference else _split(euros, 3, rng)
        expenses += [
            _expense(line, organisations[slug], year, quarter, Decimal(piece))
            for quarter, piece in enumerate(pieces)
            if piece
        ]
    return expenses


def _expense(line, organisation, year, quarter, euros):
    in_lei = organisation.slug == "betania" and not line.is_exchange_difference
    currency = Currency.RON if in_lei else Currency.EUR
    rate = BOOKING_RATES[year] if in_lei else Decimal(1)
    amount = euros * rate
    month = 9 + quarter if year == 2021 else 2 + 4 * quarter
    return Expense(
        line=line,
        organisation=organisation,
        date=date(year, month, 15),
        description=f"{line.label[:60]}, {year} part {quarter + 1}",
        amount=amount,
        currency=currency,
        rate=rate,
        amount_eur=amount_in_euros(amount, currency, rate),
    )
