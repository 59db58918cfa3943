"""A synthetic partnership at national scale, for the benchmark and the load test.

Organisations are sized unevenly (a few large ones, many small), people arrive over the years,
help per person follows a skewed distribution (most get a few services, some get hundreds),
referrals are aged into their statuses, and the audit log holds a record view for much of what
happened, with a few bursts the unusual-access page should find. Everything is fictional.

The programme plan is the demo's (indicators, layouts, periods, targets), so that the reports
have something to compute; the caseload, activities and audit log are generated here and written
with COPY (bench.rows), never through the domain functions: two million rows through them would
take hours. Identity fields are encrypted through the field, one ciphertext per distinct value.
"""

import heapq
import math
import random
import uuid
from array import array
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.enums import AuditAction, Country, Role
from accounts.models import AuditEvent, Membership, Organisation, User
from bench.rows import next_id, numbered, write_rows
from cases.enums import (
    Category,
    ConsentAction,
    ConsentPurpose,
    IntakeSource,
    OutcomeKind,
    ReferralStatus,
    Sex,
    Status,
)
from cases.models import (
    Assistance,
    Beneficiary,
    CodeSequence,
    ConsentEvent,
    Outcome,
    Referral,
    ReferralEvent,
    ServiceType,
)
from pillars.enums import ActivityKind
from pillars.facts import drop_fact_triggers, install_and_fill
from pillars.models import Activity, ActivityParticipation, Location, Pillar, SubProject, Volunteer

ORGANISATION_LOGINS = [
    ("caseworker", Role.CASEWORKER),
    ("coordinator", Role.ORGANISATION_COORDINATOR),
    ("admin", Role.ORGANISATION_ADMIN),
]
PARTNERSHIP_LOGINS = [
    ("programme", Role.PROGRAMME_COORDINATOR),
    ("dpo", Role.DATA_PROTECTION_OFFICER),
]
PARTNERSHIP_DOMAIN = "network.example"
FIRST_YEAR = 2019
ALIASES = ["Ana", "Bianca", "Carla", "Dora", "Elisa", "Flora", "Gina", "Ilinca", "Jana", "Lia"]
ACTIVITY_KINDS = [kind.value for kind in ActivityKind]


@dataclass(frozen=True)
class NetworkSize:
    people: int
    organisations: int = 40
    assistance_per_person: float = 10.0
    activities: int = 50_000
    audit_rows: int = 2_000_000

    @classmethod
    def scaled(cls, people: int, organisations: int = 40) -> "NetworkSize":
        """The proportions of the national network (200,000 people, 50,000 activities, two
        million audit rows) at ``people``."""
        share = people / 200_000
        return cls(
            people=people,
            organisations=organisations,
            activities=max(20, round(50_000 * share)),
            audit_rows=max(100, round(2_000_000 * share)),
        )


@dataclass
class Person:
    id: int
    code: str
    organisation_id: int
    intake_date: date
    location_id: int
    category: str


@dataclass
class Written:
    counts: dict = field(default_factory=dict)

    def add(self, model, count):
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + count


class RealDataPresent(Exception):
    """The database already holds a caseload: the generator never writes beside one."""


def refuse_real_data(using="default") -> None:
    if Beneficiary.objects.using(using).exists():
        raise RealDataPresent(
            "This database already holds people's records; the generator only fills an empty "
            "caseload (use a database of its own, e.g. ns_bench)."
        )


def email_of(local_part: str, organisation_slug: str | None = None) -> str:
    domain = (
        f"{organisation_slug}.{PARTNERSHIP_DOMAIN}" if organisation_slug else PARTNERSHIP_DOMAIN
    )
    return f"{local_part}@{domain}"


class NetworkGenerator:
    def __init__(self, size: NetworkSize, *, password: str, seed: int = 14, today=None):
        self.size = size
        self.password = password
        # Reproducible fiction, not secrets: a seeded generator is what is wanted here.
        self.random = random.Random(seed)  # noqa: S311
        self.today = today or timezone.localdate()
        self.written = Written()
        self.now = timezone.now()

    # -- the whole network -----------------------------------------------------------------

    def generate(self, programme, *, load_plan, progress=print) -> Written:
        """Write the network; ``load_plan(programme, entered_by=user)`` completes the plan
        (figures entered by hand) once the programme coordinator exists."""
        refuse_real_data()
        with transaction.atomic():
            # The summary facts are summed once at the end, in one statement, rather than by a
            # trigger for each of millions of rows (pillars.facts); the triggers come back then.
            drop_fact_triggers()
            self._reference(programme)
            progress(f"{len(self.organisations)} organisations, {len(self.users)} logins")
            load_plan(programme, entered_by=User.objects.get(pk=self.programme_coordinator))
            people = self._people()
            progress(f"{len(people)} people")
            self._assistance(people)
            progress(f"{self.written.counts.get('cases.Assistance', 0)} assistance entries")
            self._consent_referrals_outcomes(people)
            progress("consent, referrals and outcomes")
            self._activities(people)
            progress(f"{self.size.activities} activities")
            self._audit(people)
            progress(f"{self.size.audit_rows} audit rows")
            install_and_fill()
            progress("summary facts")
        refresh_planner_statistics()
        progress("planner statistics refreshed")
        return self.written

    def _reference(self, programme):
        self.pillars = list(Pillar.objects.filter(programme=programme).values_list("pk", flat=True))
        self.locations = list(Location.objects.values_list("pk", "country"))
        self.sub_projects = list(SubProject.objects.values_list("pk", flat=True))
        self.service_types = list(ServiceType.objects.values_list("pk", flat=True))
        self.organisations = self._organisations()
        self.users = self._logins()

    def _organisations(self):
        organisations = []
        for number in range(1, self.size.organisations + 1):
            country = Country.NETHERLANDS if number % 5 == 0 else Country.ROMANIA
            organisation, _ = Organisation.objects.update_or_create(
                slug=f"network-{number:02d}",
                defaults={
                    "name": f"Network organisation {number:02d}",
                    "country": country,
                    "city": "Amsterdam" if country == Country.NETHERLANDS else "Bucharest",
                    "time_zone": "Europe/Amsterdam"
                    if country == Country.NETHERLANDS
                    else "Europe/Bucharest",
                    "code_prefix": f"N{number:02d}",
                },
            )
            organisations.append(organisation)
        # The organisations the plan names (its indicators count their people) are in the
        # network too, right after the largest: else every figure of the plan counts nobody.
        named_by_the_plan = list(
            Organisation.objects.exclude(slug__startswith="network-").order_by("pk")
        )
        organisations[1:1] = named_by_the_plan
        # Uneven sizes: the n-th organisation is about 1/n^0.8 of the largest.
        weights = [1 / (rank**0.8) for rank in range(1, len(organisations) + 1)]
        total = sum(weights)
        self.shares = [weight / total for weight in weights]
        return organisations

    def _logins(self):
        # One hash for every login: Argon2 is slow on purpose.
        password_hash = make_password(self.password)
        users = {}
        wanted = [
            (email_of(local, organisation.slug), role, organisation)
            for organisation in self.organisations
            for local, role in ORGANISATION_LOGINS
        ] + [(email_of(local), role, None) for local, role in PARTNERSHIP_LOGINS]
        for email, role, organisation in wanted:
            user, _ = User.objects.update_or_create(
                email=email,
                defaults={"display_name": f"Synthetic {role.label.lower()}", "is_active": True},
            )
            User.objects.filter(pk=user.pk).update(password=password_hash)
            Membership.objects.update_or_create(
                user=user, defaults={"role": role, "organisation": organisation}
            )
            users[(organisation.pk if organisation else None, role)] = user.pk
        return users

    @property
    def programme_coordinator(self):
        return self.users[(None, Role.PROGRAMME_COORDINATOR)]

    def caseworker_of(self, organisation_id):
        return self.users[(organisation_id, Role.CASEWORKER)]

    # -- people ------------------------------------------------------------------------------

    def _people(self):
        people = []
        rows = []
        sequences = {}
        first = next_id(Beneficiary)
        span = (self.today - date(FIRST_YEAR, 1, 1)).days
        categories = [category.value for category in Category]
        ciphertext_pool = [f"Synthetic Person {number}" for number in range(50)]
        for index in range(self.size.people):
            organisation = self.random.choices(self.organisations, weights=self.shares)[0]
            intake = date(FIRST_YEAR, 1, 1) + timedelta(days=int(span * self.random.random()))
            number = sequences.get((organisation.pk, intake.year), 0) + 1
            sequences[(organisation.pk, intake.year)] = number
            code = f"{organisation.code_prefix}-{intake.year}-{number:04d}"
            location_id = self._location_in(organisation.country)
            category = self.random.choice(categories)
            person = Person(first + index, code, organisation.pk, intake, location_id, category)
            people.append(person)
            years_known = (self.today - intake).days / 365
            status = Status.ACTIVE
            if years_known > 2:
                status = self.random.choice([Status.CLOSED, Status.REINTEGRATED, Status.ACTIVE])
            rows.append(
                {
                    "id": person.id,
                    "public_id": _uuid(self.random),
                    "code": code,
                    "organisation_id": organisation.pk,
                    "organisation_at_intake_id": organisation.pk,
                    "alias": f"{self.random.choice(ALIASES)} {chr(65 + index % 26)}.",
                    "category": category,
                    "category_at_intake": category,
                    "location_at_intake_id": location_id,
                    "sex": Sex.FEMALE if self.random.random() < 0.85 else Sex.MALE,
                    "birth_year": self.random.randint(1960, 2010),
                    "nationality": "RO" if organisation.country == Country.ROMANIA else "NL",
                    "location_id": location_id,
                    "intake_date": intake,
                    "intake_source": self.random.choice([s.value for s in IntakeSource]),
                    "status": status,
                    "legal_name": self.random.choice(ciphertext_pool),
                    "phone": "+40 700 000 000",
                    # Every identity field filled, as on a real record, so that the people
                    # export decrypts what it would in real life. Chosen by index, not by the
                    # random stream: the rest of the network stays the one it was.
                    **_identity_beyond_name(index),
                    "created_at": _moment(intake),
                    "updated_at": _moment(intake),
                    "created_by_id": self.caseworker_of(organisation.pk),
                }
            )
        self.written.add(Beneficiary, write_rows(Beneficiary, rows))
        CodeSequence.objects.bulk_create(
            [
                CodeSequence(organisation_id=organisation_id, year=year, last_number=last)
                for (organisation_id, year), last in sequences.items()
            ]
        )
        return people

    def _location_in(self, country):
        local = [pk for pk, location_country in self.locations if location_country == country]
        return self.random.choice(local or [pk for pk, _ in self.locations])

    # -- assistance --------------------------------------------------------------------------

    def _assistance(self, people):
        # Log-normal: the median person gets a handful of services, a few get hundreds.
        mu = math.log(self.size.assistance_per_person) - 0.5 * 0.9**2
        write = write_rows(
            Assistance, numbered(self._assistance_rows(people, mu), next_id(Assistance))
        )
        self.written.add(Assistance, write)

    def _assistance_rows(self, people, mu):
        partners = [organisation.pk for organisation in self.organisations]
        for person in people:
            count = min(400, max(1, int(self.random.lognormvariate(mu, 0.9))))
            days = max(1, min(3 * 365, (self.today - person.intake_date).days + 1))
            recorded_by = self.caseworker_of(person.organisation_id)
            for _ in range(count):
                day = person.intake_date + timedelta(days=int(days * self.random.random()))
                given_by = person.organisation_id
                if self.random.random() < 0.05:
                    given_by = self.random.choice(partners)
                yield {
                    "public_id": _uuid(self.random),
                    "beneficiary_id": person.id,
                    "organisation_id": given_by,
                    "service_type_id": self.random.choice(self.service_types),
                    "date": day,
                    "quantity": None,
                    "unit": "",
                    "sub_project_id": self.random.choice(self.sub_projects),
                    # Attributes as at the date of help (what the figures filter on).
                    "category": person.category,
                    "location_id": person.location_id,
                    "note": "",
                    "recorded_by_id": recorded_by,
                    "recorded_at": _moment(day),
                }

    # -- consent, referrals, outcomes -------------------------------------------------------

    def _consent_referrals_outcomes(self, people):
        consents, referrals, events, services, outcomes = [], [], [], [], []
        consent_id, referral_id = next_id(ConsentEvent), next_id(Referral)
        event_id, outcome_id = next_id(ReferralEvent), next_id(Outcome)
        service_link_id = next_id(Referral.services.through)
        country_of = {organisation.pk: organisation.country for organisation in self.organisations}
        for person in people:
            recorded_by = self.caseworker_of(person.organisation_id)
            consents.append(
                {
                    "id": consent_id,
                    "beneficiary_id": person.id,
                    "purpose": ConsentPurpose.PROCESSING,
                    "action": ConsentAction.GIVEN,
                    "date": person.intake_date,
                    "recorded_by_id": recorded_by,
                    "recorded_at": _moment(person.intake_date),
                }
            )
            consent_id += 1
            if self.random.random() < 0.1:
                to = self.random.choice(
                    [o.pk for o in self.organisations if o.pk != person.organisation_id]
                )
                sent_on = person.intake_date + timedelta(days=self.random.randint(0, 60))
                sent_on = min(sent_on, self.today)
                status = self._aged_status(sent_on)
                consents.append(
                    {
                        "id": consent_id,
                        "beneficiary_id": person.id,
                        "purpose": ConsentPurpose.SHARING,
                        "partner_id": to,
                        "action": ConsentAction.GIVEN,
                        "date": sent_on,
                        "recorded_by_id": recorded_by,
                        "recorded_at": _moment(sent_on),
                    }
                )
                consent_id += 1
                answered = status != ReferralStatus.SENT
                referrals.append(
                    {
                        "id": referral_id,
                        "public_id": _uuid(self.random),
                        "beneficiary_id": person.id,
                        "from_organisation_id": person.organisation_id,
                        "to_organisation_id": to,
                        "message": "",
                        "due_date": sent_on + timedelta(days=14),
                        "cross_border": country_of[to] != country_of[person.organisation_id],
                        "location_id": person.location_id,
                        "status": status,
                        "sent_on": sent_on,
                        "sent_at": _moment(sent_on),
                        "sent_by_id": recorded_by,
                        "responded_at": _moment(sent_on + timedelta(days=3)) if answered else None,
                        "decline_reason": "",
                    }
                )
                events.append(
                    {
                        "id": event_id,
                        "referral_id": referral_id,
                        "status": ReferralStatus.SENT,
                        "at": _moment(sent_on),
                        "by_id": recorded_by,
                        "reason": "",
                    }
                )
                event_id += 1
                if answered:
                    events.append(
                        {
                            "id": event_id,
                            "referral_id": referral_id,
                            "status": status,
                            "at": _moment(sent_on + timedelta(days=3)),
                            "by_id": self.caseworker_of(to),
                            "reason": "",
                        }
                    )
                    event_id += 1
                services.append(
                    {
                        "id": service_link_id,
                        "referral_id": referral_id,
                        "servicetype_id": self.random.choice(self.service_types),
                    }
                )
                service_link_id += 1
                referral_id += 1
            if self.random.random() < 0.3:
                day = min(
                    self.today, person.intake_date + timedelta(days=self.random.randint(30, 900))
                )
                outcomes.append(
                    {
                        "id": outcome_id,
                        "beneficiary_id": person.id,
                        "organisation_id": person.organisation_id,
                        "kind": self.random.choice([kind.value for kind in OutcomeKind]),
                        "category": person.category,
                        "location_id": person.location_id,
                        "sub_project_id": self.random.choice(self.sub_projects),
                        "date": day,
                        "note": "",
                        "recorded_by_id": recorded_by,
                        "recorded_at": _moment(day),
                    }
                )
                outcome_id += 1
        for model, rows in [
            (ConsentEvent, consents),
            (Referral, referrals),
            (ReferralEvent, events),
            (Referral.services.through, services),
            (Outcome, outcomes),
        ]:
            self.written.add(model, write_rows(model, rows))

    def _aged_status(self, sent_on):
        if (self.today - sent_on).days < 30:
            return self.random.choices([ReferralStatus.SENT, ReferralStatus.ACCEPTED], [7, 3])[0]
        return self.random.choices(
            [
                ReferralStatus.ACCEPTED,
                ReferralStatus.COMPLETED,
                ReferralStatus.DECLINED,
                ReferralStatus.WITHDRAWN,
            ],
            [5, 3, 1, 1],
        )[0]

    # -- activities and volunteers -----------------------------------------------------------

    def _activities(self, people):
        volunteer_id = next_id(Volunteer)
        volunteers = []
        for organisation in self.organisations:
            for number in range(5):
                volunteers.append(
                    {
                        "id": volunteer_id,
                        "public_id": _uuid(self.random),
                        "organisation_id": organisation.pk,
                        "name": f"Volunteer {number + 1}",
                        "location_id": self._location_in(organisation.country),
                        "active_from": date(FIRST_YEAR + number % 4, 1, 1),
                    }
                )
                volunteer_id += 1
        self.written.add(Volunteer, write_rows(Volunteer, volunteers))
        by_organisation = {}
        for person in people:
            by_organisation.setdefault(person.organisation_id, []).append(person)
        activity_id = next_id(Activity)
        participation_id = next_id(ActivityParticipation)
        activities, participations = [], []
        span = (self.today - date(FIRST_YEAR, 1, 1)).days
        for index in range(self.size.activities):
            organisation = self.random.choices(self.organisations, weights=self.shares)[0]
            day = date(FIRST_YEAR, 1, 1) + timedelta(days=int(span * self.random.random()))
            kind = self.random.choice(ACTIVITY_KINDS)
            location_id = self._location_in(organisation.country)
            sub_project_id = self.random.choice(self.sub_projects)
            activities.append(
                {
                    "id": activity_id + index,
                    "public_id": _uuid(self.random),
                    "pillar_id": self.random.choice(self.pillars),
                    "organisation_id": organisation.pk,
                    "kind": kind,
                    "title": f"Synthetic {kind.replace('_', ' ')}",
                    "starts_on": day,
                    "location_id": location_id,
                    "sub_project_id": sub_project_id,
                    "participants": self.random.randint(3, 60),
                    "audiences": [],
                    "online_reach": self.random.randint(100, 5000)
                    if kind == ActivityKind.ONLINE_CAMPAIGN
                    else None,
                    "description": "",
                    "recorded_by_id": self.users[(organisation.pk, Role.ORGANISATION_COORDINATOR)],
                    "recorded_at": _moment(day),
                }
            )
            # One activity in ten has registered participants from the organisation's caseload.
            own_people = by_organisation.get(organisation.pk)
            if own_people and index % 10 == 0:
                taking_part = self.random.sample(own_people, min(len(own_people), 5))
                for person in taking_part:
                    participations.append(
                        {
                            "id": participation_id,
                            "activity_id": activity_id + index,
                            "beneficiary_id": person.id,
                            # The activity's attributes and the person's category on its day.
                            "category": person.category,
                            "organisation_id": organisation.pk,
                            "location_id": location_id,
                            "sub_project_id": sub_project_id,
                        }
                    )
                    participation_id += 1
        self.written.add(Activity, write_rows(Activity, activities))
        self.written.add(ActivityParticipation, write_rows(ActivityParticipation, participations))

    # -- audit log ---------------------------------------------------------------------------

    def _audit(self, people):
        rows = numbered(self._audit_rows(people), next_id(AuditEvent))
        self.written.add(AuditEvent, write_rows(AuditEvent, rows))

    def _audit_rows(self, people):
        # A real audit log is appended as things happen: oldest rows first on disk, so that a
        # review of the last month reads the last pages of the table, not every page.
        start = self.now - timedelta(days=730)
        span = 730 * 24 * 3600
        bursts = max(1, self.size.audit_rows // 200_000)
        burst_rows = 40 * bursts
        views = array(
            "q",
            sorted(
                int(span * self.random.random()) for _ in range(self.size.audit_rows - burst_rows)
            ),
        )
        # A caseworker who opens forty records in ten minutes: what unusual access must find.
        burst_starts = sorted(int(span * self.random.random()) for _ in range(bursts))
        burst_views = [
            (at + 15 * step + burst, burst)
            for burst, at in enumerate(burst_starts)
            for step in range(40)
        ]
        burst_actors = [
            self.caseworker_of(self.random.choice(people).organisation_id) for _ in range(bursts)
        ]
        in_time_order = heapq.merge(
            ((second, None) for second in views), sorted(burst_views), key=lambda view: view[0]
        )
        for second, burst in in_time_order:
            person = self.random.choice(people)
            actor = (
                self.caseworker_of(person.organisation_id) if burst is None else burst_actors[burst]
            )
            yield self._record_view(person, actor, start + timedelta(seconds=second))

    def _record_view(self, person, actor, at):
        return {
            "occurred_at": at,
            "actor_id": actor,
            "organisation_id": person.organisation_id,
            "action": AuditAction.VIEW,
            "object_type": "beneficiary",
            "object_reference": person.code,
            "detail": "",
            "ip_address": "127.0.0.1",
            "request_id": "",
            "public_id": _uuid(self.random),
        }


def _identity_beyond_name(index: int) -> dict:
    """Date of birth, address and document numbers of the index-th person, from pools of 50
    (one ciphertext per distinct value, like the names)."""
    number = index % 50
    return {
        "date_of_birth": date(1970 + number % 35, 1 + number % 12, 1 + number % 28),
        "address": f"Synthetic Street {number}, Synthetic Town",
        "document_numbers": f"ID SX {100000 + number}",
    }


def _uuid(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def refresh_planner_statistics() -> None:
    """After millions of rows arrive at once, PostgreSQL's planner still believes the tables
    empty until autovacuum gets round to them (never, where it is off): every plan would be
    made for an empty table. VACUUM also marks the pages all-visible, which index-only scans
    need. Inside a transaction (the tests) only ANALYZE may run."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
