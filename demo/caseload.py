"""A fictional caseload for the demo, August 2021 to December 2023, shaped so that the figures
the Next Steps reports print for people, referrals and outcomes come out of the records.

Every person is made up: aliases are drawn from a list of first names, identity fields are
visibly fake ("Demo BET-2022-0007"). How the counts add up to the printed figures:

Step-out programme (pillar 1): 107 people over 2021-2023, 36 in 2022.
    first assisted   Betania          IJM Romania                         Salvation Army
    2021             11 exiting       2 own victims                       2
    2022             5 exiting,       2 own, 10 referred by SA,           3
                     3 vulnerable,    6 referred from NL, Elena
                     Elena
    2023             30 exiting,      5 own, 4 referred by SA,            8
                     12 vulnerable    3 referred from NL
    Six of Betania's 2021 women are still assisted in 2022: 6 + 30 = 36 in 2022.
    Elena is helped by Betania and IJM: counted once in 107, once for each of them.
Referral cases (pillar 2): referrals taken on by IJM, 17 sent in 2022 and 7 in 2023.
Refugees supported (pillar 2): 1500 refugees helped by IJM in 2022; those helped again in
    2023 are the same people, so 1500 over the programme too.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from cases.enums import (
    Category,
    ClosureReason,
    ConsentAction,
    ConsentPurpose,
    ExploitationType,
    IntakeSource,
    OutcomeKind,
    RecruiterRelation,
    ReferralStatus,
    Sex,
    Status,
    Unit,
)
from cases.models import (
    Assistance,
    Beneficiary,
    CodeSequence,
    ConsentEvent,
    Outcome,
    ReferralEvent,
    ServiceType,
    credit_outcomes_to_latest_help,
    stamp_attributes_of_the_day,
)
from cases.services import (
    accept_referral,
    complete_referral,
    decline_referral,
    record_consent,
    register_beneficiary,
    send_referral,
    withdraw_referral,
)
from notifications.models import Notification
from pillars.models import Location, SubProject

FIRST_NAMES = [
    "Ana",
    "Maria",
    "Ioana",
    "Elena",
    "Andreea",
    "Mihaela",
    "Cristina",
    "Alina",
    "Daniela",
    "Gabriela",
    "Raluca",
    "Simona",
    "Roxana",
    "Bianca",
    "Denisa",
    "Larisa",
    "Iulia",
    "Camelia",
    "Florina",
    "Teodora",
    "Oksana",
    "Olena",
    "Iryna",
    "Natalia",
    "Tetiana",
    "Svitlana",
    "Yulia",
    "Kateryna",
    "Anastasia",
    "Viktoria",
    "Zsofia",
    "Reka",
    "Desislava",
    "Petya",
    "Milena",
]

STEP_OUT_SERVICES = {
    "betania": [
        "shelter",
        "food",
        "emotional-support",
        "social-assistance",
        "psychological-counselling",
    ],
    "salvation-army": ["emotional-support", "social-assistance", "financial-support", "clothes"],
    "ijm-romania": ["legal-assistance", "accompaniment", "psychological-counselling"],
    "nl-partner": [
        "emotional-support",
        "social-assistance",
        "phone-counselling",
        "medical-referral",
    ],
}
REFUGEE_AID = ["emergency-aid", "food", "transport", "emergency-aid", "medical-referral"]


@dataclass
class Caseload:
    """The people of the demo, in named groups that the activity loader draws on."""

    groups: dict = field(default_factory=dict)

    def add(self, name, people):
        self.groups.setdefault(name, []).extend(people)
        return people

    def __getitem__(self, name):
        return self.groups[name]


class CaseloadBuilder:
    def __init__(self, organisations, today=None):
        self.random = random.Random(2021)  # noqa: S311  (demo data, not security)
        self.organisations = organisations
        self.today = today or timezone.localdate()
        self.locations = {location.code: location for location in Location.objects.all()}
        self.sub_projects = {sub.code: sub for sub in SubProject.objects.all()}
        self.services = {service.code: service for service in ServiceType.objects.all()}
        self.caseworkers = {
            slug: User.objects.get(email=f"caseworker@{slug}.example") for slug in organisations
        }
        self.next_number = {}
        self.caseload = Caseload()
        self.assistance = []
        self.consents = []
        self.outcomes = []

    # -- people ------------------------------------------------------------------------------

    def people(
        self,
        slug,
        count,
        *,
        category,
        year,
        location,
        source,
        earliest=None,
        latest=None,
        in_bulk=False,
        **fields,
    ):
        """Register ``count`` people of one organisation, taken in during ``year`` (between
        ``earliest`` and ``latest`` when given), through the registration a caseworker's form
        uses (code of the intake year, consent to processing, audit row). ``in_bulk``: many
        people at once (the 1500 refugees), with codes from the same sequence."""
        people = [
            self._person(
                slug, category, self._date_in(year, earliest, latest), location, source, **fields
            )
            for _ in range(count)
        ]
        if in_bulk:
            return self._register_in_bulk(slug, year, people)
        for person in people:
            register_beneficiary(person, by=self.caseworkers[slug])
        return people

    def _register_in_bulk(self, slug, year, people):
        organisation = self.organisations[slug]
        for person, code in zip(
            people, _reserved_codes(organisation, year, len(people)), strict=True
        ):
            person.code = code
            person.organisation = organisation
            person.created_by = self.caseworkers[slug]
            person.stamp_intake_attributes()
        Beneficiary.objects.bulk_create(people, batch_size=500)
        self.consents.extend(
            ConsentEvent(
                beneficiary=person,
                purpose=ConsentPurpose.PROCESSING,
                action=ConsentAction.GIVEN,
                date=person.intake_date,
                recorded_by=self.caseworkers[slug],
            )
            for person in people
        )
        return people

    def _person(self, slug, category, intake_date, location, source, **fields):
        organisation = self.organisations[slug]
        # The code the registration will give: the identity fields show it, visibly fake.
        code = self._code(organisation, intake_date.year)
        ages = (13, 17) if category == Category.CHILD_OR_TEENAGER else (19, 45)
        birth_year = intake_date.year - self.random.randint(*ages)
        defaults = {
            "alias": f"{self.random.choice(FIRST_NAMES)} {chr(65 + self.random.randrange(26))}.",
            "sex": Sex.FEMALE,
            "birth_year": birth_year,
            "nationality": "UA" if category == Category.REFUGEE else "RO",
            "status": Status.ACTIVE,
            "legal_name": f"Demo {code}",
            # A date carries no "(demo)" mark: the first of January of the birth year, the
            # convention for a birthday nobody knows.
            "date_of_birth": date(birth_year, 1, 1),
            "phone": f"+00 000 {self.random.randint(100000, 999999)} (demo)",
        }
        defaults.update(fields)
        return Beneficiary(
            category=category,
            location=self.locations[location],
            category_at_intake=category,
            location_at_intake=self.locations[location],
            intake_date=intake_date,
            intake_source=source,
            **defaults,
        )

    def _code(self, organisation, year):
        key = (organisation.pk, year)
        self.next_number[key] = self.next_number.get(key, 0) + 1
        return f"{organisation.code_prefix}-{year}-{self.next_number[key]:04d}"

    # -- assistance, consent, outcomes --------------------------------------------------------

    def assist(
        self, people, slug, year, *, services, sub_project="main", visits=(2, 5), referral=None
    ):
        """Log a few pieces of help from organisation ``slug`` to each person during ``year``."""
        for person in people:
            start = max(
                person.intake_date, date(year, 1, 1), referral.sent_on if referral else date.min
            )
            end = min(date(year, 12, 31), self.today)
            for _ in range(self.random.randint(*visits)):
                service = self.services[self.random.choice(services)]
                self.assistance.append(
                    Assistance(
                        beneficiary=person,
                        organisation=self.organisations[slug],
                        service_type=service,
                        date=self._date_between(start, end),
                        quantity=self._quantity(service),
                        unit=service.default_unit,
                        sub_project=self.sub_projects[sub_project],
                        referral=referral,
                        recorded_by=self.caseworkers[slug],
                    )
                )

    def _quantity(self, service):
        amounts = {Unit.NIGHTS: (7, 90), Unit.HOURS: (1, 6), Unit.EUR: (50, 400)}
        if service.default_unit in amounts:
            return Decimal(self.random.randint(*amounts[service.default_unit]))
        return Decimal(1) if service.default_unit else None

    def outcome(self, people, kind, year, slug=None):
        """Record an outcome for each person, by ``slug`` or else by her own organisation."""
        for person in people:
            self.outcomes.append(
                Outcome(
                    beneficiary=person,
                    organisation=self.organisations[slug] if slug else person.organisation,
                    kind=kind,
                    date=self._date_between(
                        max(person.intake_date, date(year, 1, 1)), date(year, 12, 31)
                    ),
                    recorded_by=self.caseworkers[slug or person.organisation.slug],
                )
            )

    def save_logs(self):
        # bulk_create skips save(): the rows take the person's attributes of the day here.
        for row in (*self.assistance, *self.outcomes):
            stamp_attributes_of_the_day(row)
        Assistance.objects.bulk_create(self.assistance, batch_size=1000)
        ConsentEvent.objects.bulk_create(self.consents, batch_size=1000)
        Outcome.objects.bulk_create(self.outcomes, batch_size=1000)
        credit_outcomes_to_latest_help(Outcome.objects.filter(sub_project__isnull=True))

    # -- referrals ---------------------------------------------------------------------------

    def refer(self, person, to_slug, sent_on, *, services, status, days_to_answer=3, days_open=120):
        """A referral sent with the person's consent to share, through the caseworkers' own
        steps (consent, send, accept or decline, complete or withdraw), then dated back to when
        it happened: the steps stamp today."""
        sender = self.caseworkers[person.organisation.slug]
        receiver = self.caseworkers[to_slug]
        record_consent(
            person,
            purpose=ConsentPurpose.SHARING,
            partner=receiver.organisation,
            action=ConsentAction.GIVEN,
            on=sent_on,
            by=sender,
        )
        referral = send_referral(
            person,
            to_organisation=receiver.organisation,
            services=[self.services[code] for code in services],
            due_date=self.today + timedelta(days=14),
            by=sender,
        )
        answered_on = sent_on + timedelta(days=days_to_answer)
        steps = [(ReferralStatus.SENT, sent_on)]
        if status == ReferralStatus.DECLINED:
            decline_referral(
                referral,
                reason="Not a trafficking case; redirected to social services (demo).",
                by=receiver,
            )
            steps.append((ReferralStatus.DECLINED, answered_on))
        elif status == ReferralStatus.WITHDRAWN:
            withdraw_referral(referral, by=sender)
            steps.append((ReferralStatus.WITHDRAWN, answered_on))
        elif status in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
            accept_referral(referral, by=receiver)
            steps.append((ReferralStatus.ACCEPTED, answered_on))
            if status == ReferralStatus.COMPLETED:
                complete_referral(referral, by=receiver)
                steps.append((ReferralStatus.COMPLETED, sent_on + timedelta(days=days_open)))
        _dated_back(referral, steps)
        if steps[-1][1] < self.today - timedelta(days=60):
            # Long past: its notifications were read back then, the bells show today's work.
            Notification.objects.filter(referral=referral).update(
                created_at=_moment(sent_on), read_at=_moment(steps[-1][1])
            )
        return referral

    # -- dates -------------------------------------------------------------------------------

    def _date_in(self, year, earliest=None, latest=None):
        start = max(date(2021, 8, 1) if year == 2021 else date(year, 1, 1), earliest or date.min)
        return self._date_between(start, min(date(year, 12, 20), self.today, latest or date.max))

    def _date_between(self, start, end):
        if end <= start:
            return start
        return start + timedelta(days=self.random.randrange((end - start).days + 1))


def _dated_back(referral, steps):
    """Put the referral's steps on the days they happened (``steps``: [(status, day)])."""
    moments = {status: _moment(day) for status, day in steps}
    for status, moment in moments.items():
        ReferralEvent.objects.filter(referral=referral, status=status).update(at=moment)
    answers = (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)
    endings = (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN, ReferralStatus.COMPLETED)
    referral.sent_on = steps[0][1]
    referral.sent_at = moments[ReferralStatus.SENT]
    referral.due_date = referral.sent_on + timedelta(days=14)
    referral.responded_at = next((moments[s] for s in answers if s in moments), None)
    referral.closed_at = next((moments[s] for s in endings if s in moments), None)
    referral.save(update_fields=["sent_on", "sent_at", "due_date", "responded_at", "closed_at"])
    return referral


def _reserved_codes(organisation, year, count):
    """``count`` codes of the intake year from the sequence registration draws on."""
    sequence, _created = CodeSequence.objects.get_or_create(
        organisation=organisation, year=year, defaults={"last_number": 0}
    )
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    prefix = f"{organisation.code_prefix}-{year}-"
    return [f"{prefix}{number:04d}" for number in range(first, first + count)]


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def caseload_exists():
    return Beneficiary.objects.filter(code="BET-2021-0001").exists()


def load_caseload(organisations, today=None):
    """Create the demo caseload; returns the groups of people activities draw on."""
    builder = CaseloadBuilder(organisations, today=today)
    _step_out_programme(builder)
    _referrals_to_ijm(builder)
    _refugees(builder)
    _prevention_participants(builder)
    _netherlands_caseload(builder)
    _open_referrals_for_the_inbox(builder)
    builder.save_logs()
    _close_finished_cases(builder)
    return builder.caseload


def _close_finished_cases(b):
    """Cases that ended are closed (or marked reintegrated) on the day they ended: women with a
    reintegration outcome, cases completed in the Netherlands, the 2021 teenage groups, and
    refugees helped in 2022 only. The oldest are due for anonymisation at the end of the
    retention period (cases.selectors.retention_due_for)."""
    ended = {}
    for outcome in b.outcomes:
        if outcome.kind == OutcomeKind.REINTEGRATED:
            ended[outcome.beneficiary] = (Status.REINTEGRATED, outcome.date)
        elif outcome.kind == OutcomeKind.CASE_COMPLETED:
            ended[outcome.beneficiary] = (Status.CLOSED, outcome.date)
    for group in (
        "teens-life-skills-2021",
        "teens-vocational-betania-2021",
        "teens-vocational-salvation-army-2021",
    ):
        ended.update({person: (Status.CLOSED, date(2021, 11, 1)) for person in b.caseload[group]})
    helped_in_2023 = {entry.beneficiary_id for entry in b.assistance if entry.date.year == 2023}
    for refugee in b.caseload["ijm-refugees"]:
        if refugee.pk not in helped_in_2023:
            ended[refugee] = (Status.CLOSED, date(2022, 12, 31))
    for person, (status, on) in ended.items():
        # Set by hand: the record last changed when the case was closed, not when the demo loaded.
        person.status, person.updated_at = status, _moment(on)
        person.closed_on = on
        person.closure_reason = (
            ClosureReason.REINTEGRATED if status == Status.REINTEGRATED else ClosureReason.OTHER
        )
    Beneficiary.objects.bulk_update(
        list(ended), ["status", "updated_at", "closed_on", "closure_reason"], batch_size=500
    )


def _step_out_programme(b):
    """Women assisted towards exiting prostitution or recovering from trafficking (pillar 1)."""
    services = STEP_OUT_SERVICES
    trafficking = {
        "exploitation_types": [ExploitationType.SEXUAL],
        "recruiter_relation": RecruiterRelation.INTIMATE_PARTNER,
        "country_of_recruitment": "RO",
    }
    # Betania, Oradea: women from prostitution and from a vulnerable background
    for year, exiting, vulnerable in [(2021, 11, 0), (2022, 5, 3), (2023, 30, 12)]:
        women = b.caseload.add(
            f"betania-exiting-{year}",
            b.people(
                "betania",
                exiting,
                category=Category.EXITING_PROSTITUTION,
                year=year,
                location="oradea",
                source=IntakeSource.OUTREACH,
            ),
        )
        women += b.caseload.add(
            f"betania-vulnerable-{year}",
            b.people(
                "betania",
                vulnerable,
                category=Category.VULNERABLE_BACKGROUND,
                year=year,
                location="oradea",
                source=IntakeSource.SELF,
            ),
        )
        b.assist(women, "betania", year, services=services["betania"] + ["vocational-training"])
    b.assist(b.caseload["betania-exiting-2021"][:6], "betania", 2022, services=services["betania"])

    # Salvation Army, Bucharest: women met through outreach, on an exit programme
    for year, count in [(2021, 2), (2022, 3), (2023, 8)]:
        women = b.caseload.add(
            f"salvation-army-exiting-{year}",
            b.people(
                "salvation-army",
                count,
                category=Category.EXITING_PROSTITUTION,
                year=year,
                location="bucharest",
                source=IntakeSource.OUTREACH,
            ),
        )
        b.assist(women, "salvation-army", year, services=services["salvation-army"])

    # IJM Romania: victims identified with the police, legal assistance and accompaniment
    for year, count in [(2021, 2), (2022, 2), (2023, 5)]:
        victims = b.caseload.add(
            f"ijm-victims-{year}",
            b.people(
                "ijm-romania",
                count,
                category=Category.VICTIM_OF_TRAFFICKING,
                year=year,
                location="bucharest",
                source=IntakeSource.POLICE,
                **trafficking,
            ),
        )
        b.assist(victims, "ijm-romania", year, services=services["ijm-romania"])
        b.outcome(victims, OutcomeKind.REPORTED_TO_POLICE, year)
    b.outcome(
        b.caseload["ijm-victims-2021"] + b.caseload["ijm-victims-2022"],
        OutcomeKind.CRIMINAL_CASE_OPENED,
        2023,
    )

    _elena(b, trafficking)

    reintegrated = (
        b.caseload["betania-exiting-2021"][:9]
        + b.caseload["betania-exiting-2022"]
        + b.caseload["betania-vulnerable-2022"]
        + b.caseload["betania-exiting-2023"][:4]
        + b.caseload["salvation-army-exiting-2021"]
        + b.caseload["salvation-army-exiting-2022"]
        + b.caseload["salvation-army-exiting-2023"][:2]
        + b.caseload["ijm-victims-2021"]
        + b.caseload["ijm-victims-2022"]
        + b.caseload["ijm-victims-2023"][:5]
    )
    # 37 women reintegrated over the project
    b.outcome(reintegrated[:17], OutcomeKind.REINTEGRATED, 2022)
    b.outcome(reintegrated[17:], OutcomeKind.REINTEGRATED, 2023)
    b.outcome(b.caseload["betania-exiting-2022"], OutcomeKind.EARNING_FROM_ATELIER, 2023)
    b.outcome(b.caseload["betania-exiting-2021"][:4], OutcomeKind.EMPLOYED, 2022)


def _elena(b, trafficking):
    """The story the annual report tells: police contact, a referral to IJM, a secure shelter
    for her and her daughters, social assistance, counselling, legal assistance, sewing, a job."""
    (elena,) = b.caseload.add(
        "elena",
        b.people(
            "betania",
            1,
            category=Category.VICTIM_OF_TRAFFICKING,
            year=2022,
            location="oradea",
            source=IntakeSource.POLICE,
            alias="Elena",
            dependants=2,
            safety_flag=True,
            safety_reason="The trafficker has been looking for her (demo).",
            **trafficking,
        ),
    )
    story = ["shelter", "social-assistance", "psychological-counselling", "vocational-training"]
    b.assist([elena], "betania", 2022, services=story, visits=(6, 6))
    b.assist(
        [elena],
        "betania",
        2023,
        services=["vocational-training", "employment-support"],
        visits=(4, 4),
    )
    b.outcome([elena], OutcomeKind.REPORTED_TO_POLICE, 2022)
    b.outcome([elena], OutcomeKind.EMPLOYED, 2023)
    referral = b.refer(
        elena,
        "ijm-romania",
        date(2022, 4, 4),
        services=["legal-assistance", "accompaniment"],
        status=ReferralStatus.COMPLETED,
        days_open=400,
    )
    b.assist(
        [elena],
        "ijm-romania",
        2022,
        services=["legal-assistance", "accompaniment"],
        referral=referral,
    )
    b.outcome([elena], OutcomeKind.CRIMINAL_CASE_OPENED, 2022, slug="ijm-romania")


def _referrals_to_ijm(b):
    """Victims identified by Salvation Army's outreach and women returning from the Netherlands,
    referred to IJM for legal assistance (the reports' referral cases)."""
    trafficking = {"exploitation_types": [ExploitationType.SEXUAL], "country_of_recruitment": "RO"}
    plans = [
        # sender, year, count, where she is now, countries of exploitation
        ("salvation-army", 2022, 10, "bucharest", ["RO"]),
        ("nl-partner", 2022, 6, "suceava", ["NL"]),
        ("salvation-army", 2023, 4, "bucharest", ["RO", "IT"]),
        ("nl-partner", 2023, 3, "timisoara", ["NL", "GB"]),
    ]
    for sender, year, count, location, countries in plans:
        women = b.caseload.add(
            f"referred-to-ijm-{year}",
            b.people(
                sender,
                count,
                category=Category.VICTIM_OF_TRAFFICKING,
                year=year,
                location=location,
                source=IntakeSource.OUTREACH,
                countries_of_exploitation=countries,
                recruiter_relation=RecruiterRelation.INTIMATE_PARTNER,
                **trafficking,
            ),
        )
        if sender == "nl-partner":
            b.assist(women, "nl-partner", year, services=STEP_OUT_SERVICES["nl-partner"])
            b.outcome(women, OutcomeKind.RETURNED_TO_ORIGIN, year)
        for index, woman in enumerate(women):
            sent_on = b._date_between(woman.intake_date, date(year, 11, 30))
            status = ReferralStatus.COMPLETED if index % 3 else ReferralStatus.ACCEPTED
            referral = b.refer(
                woman, "ijm-romania", sent_on, services=["legal-assistance"], status=status
            )
            b.assist(
                [woman],
                "ijm-romania",
                year,
                services=STEP_OUT_SERVICES["ijm-romania"],
                referral=referral,
            )

    # Referrals that were not taken on: they count nowhere.
    for year, status in [(2022, ReferralStatus.DECLINED), (2023, ReferralStatus.DECLINED)]:
        (person,) = b.people(
            "salvation-army",
            1,
            category=Category.VULNERABLE_BACKGROUND,
            year=year,
            location="bucharest",
            source=IntakeSource.OUTREACH,
        )
        b.refer(
            person, "ijm-romania", person.intake_date, services=["legal-assistance"], status=status
        )
    (stays,) = b.people(
        "nl-partner",
        1,
        category=Category.EXITING_PROSTITUTION,
        year=2023,
        location="amsterdam",
        source=IntakeSource.OUTREACH,
        nationality="RO",
    )
    b.refer(
        stays, "betania", stays.intake_date, services=["shelter"], status=ReferralStatus.WITHDRAWN
    )


def _refugees(b):
    """Ukrainian refugees: 1500 helped by IJM's protection officers from March 2022, and the
    families housed in Betania's shelter in Oradea since April 2022."""
    refugee = {
        "category": Category.REFUGEE,
        "source": IntakeSource.SELF,
        "legal_name": "",
        "phone": "",
    }
    since_the_war = {"year": 2022, "earliest": date(2022, 3, 1)}
    for location, count in [("bucharest", 1200), ("suceava", 180), ("timisoara", 120)]:
        people = b.people(
            "ijm-romania", count, location=location, in_bulk=True, **since_the_war, **refugee
        )
        b.caseload.add("ijm-refugees", people)
        b.assist(
            people, "ijm-romania", 2022, services=REFUGEE_AID, sub_project="refugee", visits=(1, 3)
        )
    helped_again = b.caseload["ijm-refugees"][::5]
    b.assist(
        helped_again,
        "ijm-romania",
        2023,
        services=REFUGEE_AID,
        sub_project="refugee",
        visits=(1, 2),
    )

    for year, count in [(2022, 15), (2023, 10)]:
        families = b.caseload.add(
            f"betania-refugees-{year}",
            b.people(
                "betania",
                count,
                year=year,
                earliest=date(2022, 4, 1),
                location="oradea",
                dependants=1,
                **refugee,
            ),
        )
        b.assist(
            families,
            "betania",
            year,
            services=["shelter", "food", "clothes", "vocational-training"],
            sub_project="refugee",
        )
    b.outcome(b.caseload["betania-refugees-2022"][:6], OutcomeKind.EARNING_FROM_ATELIER, 2023)

    # One refugee mother referred by IJM to Betania's shelter (refugee project).
    mother = next(p for p in b.caseload["ijm-refugees"] if p.intake_date < date(2022, 5, 1))
    referral = b.refer(
        mother, "betania", date(2022, 5, 9), services=["shelter"], status=ReferralStatus.COMPLETED
    )
    b.assist(
        [mother],
        "betania",
        2022,
        services=["shelter", "food"],
        sub_project="refugee",
        referral=referral,
    )


def _prevention_participants(b):
    """Teenagers and caretakers registered because they take part in pillar-3 activities."""
    teen = {"category": Category.CHILD_OR_TEENAGER, "legal_name": "", "phone": ""}
    # The 2021 groups met in the autumn of 2021 and ended there: closed cases whose retention
    # period runs out first.
    teen["latest"] = date(2021, 9, 30)
    for year, count in [(2021, 4), (2022, 6), (2023, 12)]:
        b.caseload.add(
            f"teens-life-skills-{year}",
            b.people(
                "betania", count, year=year, location="oradea", source=IntakeSource.SELF, **teen
            ),
        )
        teen["latest"] = None
    for slug, location, counts in [
        ("betania", "oradea", {2021: 7, 2022: 12, 2023: 22}),
        ("salvation-army", "bucharest", {2021: 5, 2022: 10, 2023: 18}),
    ]:
        for year, count in counts.items():
            teen["latest"] = date(2021, 9, 30) if year == 2021 else None
            b.caseload.add(
                f"teens-vocational-{slug}-{year}",
                b.people(
                    slug, count, year=year, location=location, source=IntakeSource.OUTREACH, **teen
                ),
            )
    for year, count in [(2022, 15), (2023, 18)]:
        b.caseload.add(
            f"caretakers-{year}",
            b.people(
                "betania",
                count,
                category=Category.CARETAKER,
                year=year,
                location="oradea",
                source=IntakeSource.SELF,
                dependants=2,
            ),
        )


def _netherlands_caseload(b):
    """Women from Romania, Hungary and Bulgaria in prostitution in Amsterdam; seven cases were
    completed in the Netherlands."""
    for year, count in [(2021, 4), (2022, 8), (2023, 8)]:
        women = b.people(
            "nl-partner",
            count,
            category=Category.EXITING_PROSTITUTION,
            year=year,
            location="amsterdam",
            source=IntakeSource.OUTREACH,
            nationality=b.random.choice(["RO", "HU", "BG"]),
        )
        b.caseload.add("nl-women", women)
        b.assist(women, "nl-partner", year, services=STEP_OUT_SERVICES["nl-partner"])
    b.outcome(b.caseload["nl-women"][:7], OutcomeKind.CASE_COMPLETED, 2023)


def _open_referrals_for_the_inbox(b):
    """Referrals of this autumn, outside the programme's dates, so the inboxes have work."""
    today = b.today
    recent = today.year
    (mara,) = b.people(
        "salvation-army",
        1,
        category=Category.VICTIM_OF_TRAFFICKING,
        year=recent,
        earliest=today - timedelta(days=9),
        latest=today - timedelta(days=5),
        location="bucharest",
        source=IntakeSource.OUTREACH,
        safety_flag=True,
        safety_reason="Recruiter still in contact (demo).",
    )
    b.assist([mara], "salvation-army", recent, services=["emotional-support"], visits=(1, 1))
    b.refer(
        mara,
        "ijm-romania",
        today - timedelta(days=4),
        services=["legal-assistance"],
        status=ReferralStatus.SENT,
    )

    (anca,) = b.people(
        "nl-partner",
        1,
        category=Category.EXITING_PROSTITUTION,
        year=recent,
        earliest=today - timedelta(days=40),
        latest=today - timedelta(days=21),
        location="amsterdam",
        source=IntakeSource.OUTREACH,
    )
    overdue = b.refer(
        anca,
        "betania",
        today - timedelta(days=20),
        services=["shelter", "vocational-training"],
        status=ReferralStatus.SENT,
    )
    overdue.due_date = today - timedelta(days=6)
    overdue.save(update_fields=["due_date"])

    (ioana,) = b.people(
        "betania",
        1,
        category=Category.EXITING_PROSTITUTION,
        year=recent,
        earliest=today - timedelta(days=60),
        latest=today - timedelta(days=31),
        location="oradea",
        source=IntakeSource.REFERRAL,
    )
    accepted = b.refer(
        ioana,
        "salvation-army",
        today - timedelta(days=30),
        services=["emotional-support"],
        status=ReferralStatus.ACCEPTED,
    )
    b.assist([ioana], "betania", recent, services=["shelter"], visits=(1, 1))
    b.assist(
        [ioana],
        "salvation-army",
        recent,
        services=["emotional-support"],
        visits=(1, 1),
        referral=accepted,
    )
