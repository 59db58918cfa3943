"""Read queries of casework, each limited to what the given user may see.

The owning organisation's caseworkers and admins see its people whole. Another organisation sees
a person only through a referral it has accepted while her latest consent to share with it is
"given", and then only the minimal set of cases.sharing and the fields the sender chose for
that referral, with the safe contact she gave. Every other role sees no person at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Organisation, User
from accounts.rules import ROLE_PERMISSIONS, Permission
from cases.audit_wording import CodeNames, what_it_was
from cases.enums import (
    CLOSED_STATUSES,
    OPEN_GOAL_STATUSES,
    OPEN_REFERRAL_STATUSES,
    ConsentAction,
    ExploitationType,
    ReferralStatus,
    TransferStatus,
    country_name,
)
from cases.identity_index import search_digest, with_identity
from cases.models import (
    Assistance,
    Beneficiary,
    CaseEvent,
    CaseNote,
    ConsentEvent,
    EntryChange,
    ErasureNotice,
    Goal,
    MergedRecord,
    Outcome,
    Referral,
    ReferralEvent,
    Task,
    Transfer,
)
from cases.sharing import MINIMAL_SHARED_FIELDS
from documents.models import Document
from nextsteps.records_of_processing import ACTIVITIES, BENEFICIARY_MODEL, ProcessingActivity
from pillars.models import ActivityParticipation, Period

HOME_LIST_LENGTH = 8
# The roles whose members do casework, and so take tasks.
CASEWORK_ROLES = sorted(
    role
    for role, permissions in ROLE_PERMISSIONS.items()
    if Permission.RECORD_CASEWORK in permissions
)


def does_casework(user: User) -> bool:
    return user.has_role_permission(Permission.RECORD_CASEWORK) and user.organisation is not None


# -- people ----------------------------------------------------------------------------------------


def beneficiaries_for(user: User) -> QuerySet[Beneficiary]:
    """The user's organisation's people, for its caseworkers and admins; nobody for any other
    role."""
    if not does_casework(user):
        return Beneficiary.objects.none()
    return Beneficiary.objects.filter(organisation=user.organisation).select_related("location")


def people_with_identity(user: User, kind: str, value: str) -> QuerySet[Beneficiary]:
    """The user's organisation's own people whose legal name or phone (``kind``) is ``value``,
    after normalisation, found through the blind index (identities are never decrypted to
    search). Nobody for a role that does not see identities."""
    if not user.has_role_permission(Permission.SEE_IDENTITIES) or user.organisation is None:
        return Beneficiary.objects.none()
    digest = search_digest(kind, value, country=user.organisation.country)
    return with_identity(beneficiaries_for(user), kind, digest).order_by("code")


def survivor_of_merged_code(user: User, code: str) -> Beneficiary | None:
    """The record that a code of the user's organisation was merged into (cases.merging), for
    its caseworkers and admins; None when the code names no merged record of theirs."""
    merged = (
        MergedRecord.objects.filter(code=code, organisation=user.organisation)
        .values("survivor")
        .first()
        if does_casework(user)
        else None
    )
    if merged is None:
        return None
    return beneficiaries_for(user).filter(pk=merged["survivor"]).first()


def beneficiary_rows_for(user: User) -> QuerySet[Beneficiary]:
    """People with what the list shows beside each: her last assistance, an open referral."""
    last_assistance = (
        Assistance.objects.filter(beneficiary=OuterRef("pk")).order_by("-date").values("date")[:1]
    )
    open_referral = Referral.objects.filter(
        beneficiary=OuterRef("pk"), status__in=OPEN_REFERRAL_STATUSES
    )
    return beneficiaries_for(user).annotate(
        last_assistance_on=Subquery(last_assistance), has_open_referral=Exists(open_referral)
    )


def flagged_people_for(user: User) -> QuerySet[Beneficiary]:
    return beneficiaries_for(user).filter(safety_flag=True).exclude(status__in=CLOSED_STATUSES)


def recent_assistance_for(user: User) -> QuerySet[Assistance]:
    """The latest help logged for the organisation's own people (help given to a partner's
    person is listed on the referral, where access rules apply)."""
    if not does_casework(user):
        return Assistance.objects.none()
    return (
        Assistance.objects.filter(beneficiary__organisation=user.organisation)
        .select_related("beneficiary", "service_type", "organisation")
        .order_by("-date", "-id")
    )


# -- referrals -------------------------------------------------------------------------------------


def referrals_for(user: User) -> QuerySet[Referral]:
    """Referrals the user's organisation sent or received, each annotated with the person's
    current sharing consent to the receiver."""
    if not does_casework(user):
        return Referral.objects.none()
    organisation = user.organisation
    return (
        Referral.objects.filter(Q(from_organisation=organisation) | Q(to_organisation=organisation))
        .select_related("beneficiary", "from_organisation", "to_organisation")
        .with_sharing_consent()
    )


def _waiting_referrals_for(user):
    """Open referrals that someone may still act on: not those of an erased record (their
    status stays for the figures; the partner has an erasure notice instead)."""
    return referrals_for(user).filter(
        status__in=OPEN_REFERRAL_STATUSES, beneficiary__erased_at__isnull=True
    )


def open_referrals_for(user: User, today: date | None = None) -> QuerySet[Referral]:
    open_referrals = _waiting_referrals_for(user)
    return _with_overdue(open_referrals, today or timezone.localdate()).with_services_listed()


def _with_overdue(referrals, today):
    return referrals.annotate(
        needs_answer=Case(When(status=ReferralStatus.SENT, then=Value(True)), default=Value(False)),
        is_overdue=Case(
            When(status=ReferralStatus.SENT, due_date__lt=today, then=Value(True)),
            default=Value(False),
        ),
    )


def referral_inbox_for(user: User, today: date | None = None) -> QuerySet[Referral]:
    """Referrals waiting for the user's organisation: received and not yet answered (overdue
    first, then by the date an answer is needed), then accepted ones still to complete."""
    today = today or timezone.localdate()
    if not does_casework(user):
        return Referral.objects.none()
    received = _waiting_referrals_for(user).filter(to_organisation=user.organisation)
    return (
        _with_overdue(received, today)
        .with_services_listed()
        .order_by("-is_overdue", "-needs_answer", "due_date", "sent_at")
    )


def referrals_awaiting_partners_for(user: User, today: date | None = None) -> QuerySet[Referral]:
    """Referrals the user's organisation sent that a partner has not answered yet."""
    today = today or timezone.localdate()
    sent = _waiting_referrals_for(user).filter(
        from_organisation=user.organisation, status=ReferralStatus.SENT
    )
    return _with_overdue(sent, today).with_services_listed().order_by("-is_overdue", "due_date")


def referral_for_receiver_is_shared(referral: Referral) -> bool:
    """Whether the receiver may see the person now (see ReferralQuerySet.sharing_in_force)."""
    return (
        not referral.beneficiary.is_erased
        and referral.status == ReferralStatus.ACCEPTED
        and getattr(referral, "sharing_consent", None) == ConsentAction.GIVEN
    )


@dataclass(frozen=True)
class SharedField:
    label: str
    value: object


def shared_profile_for(user: User, referral: Referral) -> list[SharedField] | None:
    """What the receiving organisation sees of the person: the minimal set and the fields the
    sender chose for this referral, or None when the referral gives it no access now.
    ``referral`` comes from ``referrals_for(user)``."""
    if not _receiver_has_access(user, referral):
        return None
    person = referral.beneficiary
    return [_field(person, name) for name in (*MINIMAL_SHARED_FIELDS, *referral.shared_fields)]


def safe_contact_for(user: User, referral: Referral) -> list[SharedField] | None:
    """How the partner reaches her safely (what the sender filled in), for the side that may
    see it now: the sender always, the receiver while the referral gives it access."""
    sender = does_casework(user) and referral.from_organisation_id == user.organisation.pk
    if not (sender or _receiver_has_access(user, referral)):
        return None
    return [
        SharedField(Referral._meta.get_field(name).verbose_name, getattr(referral, name))
        for name in Referral.SAFE_CONTACT_FIELDS
        if getattr(referral, name)
    ]


def _receiver_has_access(user, referral) -> bool:
    return (
        does_casework(user)
        and referral.to_organisation_id == user.organisation.pk
        and referral_for_receiver_is_shared(referral)
    )


def shared_field_names(referral: Referral) -> list[str]:
    """The labels of what the partner sees of the person, for the sender's page."""
    return [
        str(Beneficiary._meta.get_field(name).verbose_name)
        for name in (*MINIMAL_SHARED_FIELDS, *referral.shared_fields)
    ]


_EXPLOITATION_TYPES = dict(ExploitationType.choices)


def display_value(person: Beneficiary, name: str) -> object:
    """A field of a person as the screens show it."""
    if name == "exploitation_types":
        return ", ".join(
            str(_EXPLOITATION_TYPES.get(value, value)) for value in person.exploitation_types
        )
    if name == "countries_of_exploitation":
        return ", ".join(country_name(value) for value in person.countries_of_exploitation)
    if name == "location":
        return str(person.location)
    display = getattr(person, f"get_{name}_display", None)
    return display() if display else getattr(person, name)


def assistance_against(referral: Referral, user: User) -> QuerySet[Assistance]:
    """Help logged in answer to the referral: the receiver sees its own entries; the sender,
    whose person it is, sees them all."""
    entries = referral.assistance.select_related("service_type", "organisation", "sub_project")
    if referral.from_organisation_id == user.organisation.pk:
        return entries
    return entries.filter(organisation=user.organisation)


def outcomes_against(referral: Referral) -> QuerySet[Outcome]:
    """Outcomes the partner recorded against the referral: both sides see them (the sender's
    person, the partner's own work)."""
    return referral.outcomes.select_related("organisation").order_by("-date", "-id")


# -- transfers of a case to another organisation ---------------------------------------------------


def transfers_for(user: User) -> QuerySet[Transfer]:
    """Transfers the user's organisation asked for or was asked to take, for its caseworkers
    and admins."""
    if not does_casework(user):
        return Transfer.objects.none()
    organisation = user.organisation
    return Transfer.objects.filter(
        Q(from_organisation=organisation) | Q(to_organisation=organisation)
    ).select_related("beneficiary", "from_organisation", "to_organisation")


def _open_transfers_for(user):
    return transfers_for(user).filter(
        status=TransferStatus.REQUESTED, beneficiary__erased_at__isnull=True
    )


def transfers_to_answer_for(user: User) -> QuerySet[Transfer]:
    """Cases partners ask the user's organisation to take over, oldest request first."""
    if not does_casework(user):
        return Transfer.objects.none()
    return (
        _open_transfers_for(user)
        .filter(to_organisation=user.organisation)
        .order_by("requested_at", "id")
    )


def transfers_asked_by(user: User) -> QuerySet[Transfer]:
    """Transfers the user's organisation asked for that the partner has not answered yet."""
    if not does_casework(user):
        return Transfer.objects.none()
    return (
        _open_transfers_for(user)
        .filter(from_organisation=user.organisation)
        .order_by("requested_at", "id")
    )


def transfers_answered_for(user: User) -> QuerySet[Transfer]:
    """The user's organisation's transfers that were answered or withdrawn, newest first."""
    return (
        transfers_for(user).exclude(status=TransferStatus.REQUESTED).order_by("-answered_at", "-id")
    )


def transfers_of(person: Beneficiary) -> QuerySet[Transfer]:
    """The transfers of one person's case that the viewer's organisation took part in."""
    return (
        Transfer.objects.filter(beneficiary=person)
        .select_related("from_organisation", "to_organisation")
        .order_by("-requested_at", "-id")
    )


def transfer_profile_for(user: User, transfer: Transfer) -> list[SharedField] | None:
    """What the organisation asked sees of the person while it decides: the minimal set
    (cases.sharing), nothing more; None once it has answered (accepted, it has her record)
    and for the side that asked."""
    if not (
        does_casework(user)
        and transfer.to_organisation_id == user.organisation.pk
        and transfer.status == TransferStatus.REQUESTED
        and not transfer.beneficiary.is_erased
    ):
        return None
    return [_field(transfer.beneficiary, name) for name in MINIMAL_SHARED_FIELDS]


def transfer_reason_visible_to(user: User, transfer: Transfer) -> bool:
    """The reason is about her: the organisation asked reads it while it decides, the side that
    asked while it still has her case; nobody after she is erased."""
    if transfer.beneficiary.is_erased or not does_casework(user):
        return False
    if transfer.to_organisation_id == user.organisation.pk:
        return transfer.status == TransferStatus.REQUESTED
    return transfer.beneficiary.organisation_id == user.organisation.pk


# -- one person's file -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str
    title: str
    detail: str = ""
    organisation: str = ""
    referral: Referral | None = None
    # A logged entry (assistance, an outcome) the viewer's organisation may correct or void.
    entry: object = None
    entry_kind: str = ""
    voided: bool = False
    # When it was written down: orders the entries of one day as they were recorded.
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    partner: Organisation | None
    action: str
    on: date

    @property
    def is_given(self) -> bool:
        return self.action == ConsentAction.GIVEN


def consent_events_of(beneficiary: Beneficiary) -> QuerySet[ConsentEvent]:
    return ConsentEvent.objects.filter(beneficiary=beneficiary).select_related("partner")


def current_consents(consent_events: Iterable[ConsentEvent]) -> list[ConsentState]:
    """The latest event per purpose and partner: the consent in force now."""
    latest = {}
    for event in consent_events:  # newest first (the model's ordering)
        latest.setdefault((event.purpose, event.partner_id), event)
    return [
        ConsentState(event.get_purpose_display(), event.partner, event.action, event.date)
        for event in latest.values()
    ]


def timeline_of(
    beneficiary: Beneficiary,
    consent_events: Iterable[ConsentEvent],
    user: User | None = None,
    transfers: Iterable[Transfer] | None = None,
) -> list[TimelineEntry]:
    """Assistance, referral steps, outcomes, consent, corrections, transfers and the closing and
    reopening of one person's case, newest first. Voided entries stay, marked; the entries of
    the user's organisation carry the links to correct or void them.

    After a transfer the organisation that has her case sees every organisation's help and
    outcomes (what was given, when and by whom: never their notes) and the transfer, but not
    the referrals between other organisations (each stays with its sender and receiver)."""
    own = user.organisation.pk if user is not None and user.organisation else None
    if transfers is None:
        transfers = transfers_of(beneficiary)

    def entry_link(item, kind):
        if own == item.organisation_id and item.voided_at is None:
            return {"entry": item, "entry_kind": kind}
        return {}

    entries = [
        TimelineEntry(
            item.date,
            "assistance",
            str(item.service_type),
            item.quantity_text,
            item.organisation.name,
            voided=item.voided_at is not None,
            recorded_at=item.recorded_at,
            **entry_link(item, "assistance"),
        )
        for item in Assistance.with_voided.filter(beneficiary=beneficiary).select_related(
            "service_type", "organisation"
        )
    ]
    entries += [
        TimelineEntry(
            timezone.localdate(event.at),
            "referral",
            event.get_status_display(),
            f"{event.referral.from_organisation} → {event.referral.to_organisation}",
            referral=event.referral,
            recorded_at=event.at,
        )
        for event in ReferralEvent.objects.filter(referral__beneficiary=beneficiary).select_related(
            "referral__to_organisation", "referral__from_organisation"
        )
    ]
    entries += [
        TimelineEntry(
            outcome.date,
            "outcome",
            outcome.get_kind_display(),
            "",
            outcome.organisation.name,
            voided=outcome.voided_at is not None,
            recorded_at=outcome.recorded_at,
            **entry_link(outcome, "outcome"),
        )
        for outcome in Outcome.with_voided.filter(beneficiary=beneficiary).select_related(
            "organisation"
        )
    ]
    entries += [
        TimelineEntry(
            event.date,
            "consent",
            f"{event.get_purpose_display()}: {event.get_action_display()}",
            str(event.partner or ""),
            recorded_at=event.recorded_at,
        )
        for event in consent_events
    ]
    entries += [_change_entry(change) for change in _entry_changes_of(beneficiary)]
    entries += [
        TimelineEntry(
            event.on,
            "case",
            event.get_kind_display(),
            " · ".join(part for part in (event.get_closure_reason_display(), event.note) if part),
            recorded_at=event.at,
        )
        for event in CaseEvent.objects.filter(beneficiary=beneficiary)
    ]
    entries += [
        TimelineEntry(
            timezone.localdate(transfer.answered_at or transfer.requested_at),
            "transfer",
            _("Transfer: %(status)s") % {"status": transfer.get_status_display().lower()},
            f"{transfer.from_organisation} → {transfer.to_organisation}",
            recorded_at=transfer.answered_at or transfer.requested_at,
        )
        for transfer in transfers
    ]
    # Newest first; within a day, the last recorded first, whatever its kind.
    return sorted(entries, key=_recorded_order, reverse=True)


FIRST_MOMENT = datetime.min.replace(tzinfo=UTC)


def _recorded_order(entry):
    return (entry.on, entry.recorded_at or FIRST_MOMENT)


def _entry_changes_of(beneficiary):
    return EntryChange.objects.filter(beneficiary=beneficiary).select_related(
        "organisation", "assistance__service_type"
    )


def _change_entry(change):
    if change.assistance_id:
        what = _("Assistance (%(service)s)") % {"service": change.assistance.service_type}
    else:
        what = _("Outcome")
    title = f"{what}: {change.get_kind_display().lower()}"
    detail = " · ".join(part for part in (change.summary, change.reason) if part)
    if change.locked_periods:
        detail += " · " + _(
            "in the locked period %(periods)s: its published figures stay, flagged for restatement"
        ) % {"periods": change.locked_periods}
    return TimelineEntry(
        timezone.localdate(change.at),
        "correction",
        title,
        detail,
        change.organisation.name,
        recorded_at=change.at,
    )


def locked_periods_reached(dates: list[date | None]) -> list[Period]:
    """The locked periods that contain any of ``dates``. A change there never moves the
    published figure: the period keeps its frozen figures, and the figure that no longer matches
    the records is flagged for restatement (pillars.selectors.restatements_needed)."""
    reached = Q()
    for day in {day for day in dates if day is not None}:
        reached |= Q(start_date__lte=day, end_date__gte=day)
    if not reached:
        return []
    return list(Period.objects.filter(reached, locked_at__isnull=False).order_by("start_date"))


def any_locked_period() -> bool:
    return Period.objects.filter(locked_at__isnull=False).exists()


def own_assistance_for(user: User) -> QuerySet[Assistance]:
    """Entries of assistance the user's organisation logged (it alone corrects or voids them),
    for its caseworkers; none for other roles."""
    if not does_casework(user):
        return Assistance.objects.none()
    return Assistance.objects.filter(organisation=user.organisation).select_related(
        "beneficiary", "service_type", "sub_project"
    )


def own_outcomes_for(user: User) -> QuerySet[Outcome]:
    if not does_casework(user):
        return Outcome.objects.none()
    return Outcome.objects.filter(organisation=user.organisation).select_related("beneficiary")


# -- erasure notices -------------------------------------------------------------------------------


def erasure_notices_for(user: User) -> QuerySet[ErasureNotice]:
    """Notices to the user's organisation that a person it received by referral, or whose case
    it had before a transfer, was erased, not yet acknowledged. Each tells how the organisation
    knew her: ``transferred_to`` names the organisation it passed her case to (None if it never
    had the case), ``referred_by`` the one that last referred her to it."""
    if not does_casework(user):
        return ErasureNotice.objects.none()
    # Her referrals and transfers are read unscoped: the other side of each is another
    # organisation, and the filters name exactly the notice's own organisation's part.
    transferred_to = Transfer._base_manager.filter(
        beneficiary=OuterRef("beneficiary"),
        from_organisation=OuterRef("organisation"),
        status=TransferStatus.ACCEPTED,
    ).order_by("-answered_at", "-pk")
    referred_by = Referral._base_manager.filter(
        beneficiary=OuterRef("beneficiary"), to_organisation=OuterRef("organisation")
    ).order_by("-sent_at", "-pk")
    return (
        ErasureNotice.objects.filter(organisation=user.organisation, acknowledged_at__isnull=True)
        .annotate(
            transferred_to=Subquery(transferred_to.values("to_organisation__name")[:1]),
            referred_by=Subquery(referred_by.values("from_organisation__name")[:1]),
        )
        .select_related("beneficiary__organisation")
    )


# -- exports ---------------------------------------------------------------------------------------


def people_to_export_for(user: User) -> QuerySet[Beneficiary]:
    """The people a list export may hold: the user's organisation's, for roles that see
    identities, never an erased stub."""
    if not user.has_role_permission(Permission.SEE_IDENTITIES):
        return Beneficiary.objects.none()
    return beneficiary_rows_for(user).not_erased()


# -- rights of the person: the data protection officer's data requests -----------------------------


def handles_data_requests(user: User) -> bool:
    return user.has_role_permission(Permission.HANDLE_DATA_REQUESTS)


def data_subjects_for(user: User) -> QuerySet[Beneficiary]:
    """Every person of the partnership, for the data protection officer's data requests (access
    reports, erasure, retention); nobody for any other role. Pages built on it show a person's
    identity only in the access report, where the request needs it."""
    if not handles_data_requests(user):
        return Beneficiary.objects.none()
    return Beneficiary.objects.select_related("organisation", "location")


@dataclass(frozen=True)
class DataRequestSummary:
    """What the data protection officer needs to decide on a request, without the person's
    identity: how much is held, and which partners received her by referral."""

    person: Beneficiary
    assistance: int
    referrals: int
    consent_events: int
    outcomes: int
    activities: int
    looks: int
    partners: list


def data_request_summary(person: Beneficiary) -> DataRequestSummary:
    return DataRequestSummary(
        person=person,
        assistance=Assistance.with_voided.filter(beneficiary=person).count(),
        referrals=Referral.objects.filter(beneficiary=person).count(),
        consent_events=ConsentEvent.objects.filter(beneficiary=person).count(),
        outcomes=Outcome.with_voided.filter(beneficiary=person).count(),
        activities=ActivityParticipation.objects.filter(beneficiary=person).count(),
        looks=_audit_trail_of(person).count(),
        partners=list(person.partners_referred_to()),
    )


def access_report_size(person: Beneficiary) -> int:
    """How many rows ``person``'s access report lists in the sections that grow with her
    history, counted in one query (nothing read): what decides whether it is prepared by a
    background job."""
    growing = {
        "assistance": Assistance.with_voided.filter(beneficiary=OuterRef("pk")),
        "referrals": Referral.objects.filter(beneficiary=OuterRef("pk")),
        "consent": ConsentEvent.objects.filter(beneficiary=OuterRef("pk")),
        "outcomes": Outcome.with_voided.filter(beneficiary=OuterRef("pk")),
        "notes": CaseNote.objects.filter(beneficiary=OuterRef("pk")),
        "activities": ActivityParticipation.objects.filter(beneficiary=OuterRef("pk")),
        "looks": AuditEvent.objects.filter(object_reference=OuterRef("code")),
    }
    # COUNT as a plain function, not an aggregate: no GROUP BY, one number per subquery.
    counts = Beneficiary.objects.filter(pk=person.pk).annotate(
        **{
            f"{name}_rows": Subquery(
                rows.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
            )
            for name, rows in growing.items()
        }
    )
    return sum(counts.values_list(*(f"{name}_rows" for name in growing)).get())


# A person's facts as a list of people shows them (the people export), in this order.
PERSON_FACTS = (
    "code",
    "alias",
    "category",
    "sex",
    "birth_year",
    "nationality",
    "location",
    "intake_date",
    "intake_source",
    "status",
    "dependants",
    "safety_flag",
)
# The record's own facts in an access report (identity and notes come apart).
RECORD_FIELDS = (
    "code",
    "organisation",
    *PERSON_FACTS[1:],
    "exploitation_types",
    "recruiter_relation",
    "country_of_recruitment",
    "countries_of_exploitation",
)
IDENTITY_AND_NOTES = (*Beneficiary.IDENTITY_FIELDS, *Beneficiary.FREE_TEXT_FIELDS)


@dataclass(frozen=True)
class Look:
    """One line of the record's audit trail, as the person is told it: when, what, and by which
    organisation and role (not the staff member's name: the data protection officer has it in
    the audit log if the person needs it)."""

    at: datetime
    action: str
    detail: str
    organisation: str
    role: str


@dataclass(frozen=True)
class AccessReport:
    """Everything held on one person (GDPR article 15): her record, identity and notes, help
    given, referrals with their steps, consent, outcomes, activities, who looked at the record,
    and why and how long the partnership keeps it."""

    person: Beneficiary
    record: list
    identity: list
    assistance: list
    referrals: list
    consent_events: list
    outcomes: list
    notes: list
    goals: list
    tasks: list
    activities: list
    documents: list
    transfers: list
    looks: list
    processing: ProcessingActivity
    recipients: list
    made_at: datetime


def access_report_of(person: Beneficiary) -> AccessReport:
    """The access report of ``person`` (found through ``data_subjects_for``): a fixed number of
    queries whatever she has on file."""
    return AccessReport(
        person=person,
        record=[_field(person, name) for name in RECORD_FIELDS],
        identity=[_field(person, name) for name in IDENTITY_AND_NOTES],
        assistance=list(
            Assistance.with_voided.filter(beneficiary=person)
            .select_related("service_type", "organisation", "sub_project")
            .order_by("date", "id")
        ),
        referrals=list(
            Referral.objects.filter(beneficiary=person)
            .select_related("from_organisation", "to_organisation")
            .prefetch_related(
                "services", Prefetch("events", ReferralEvent.objects.order_by("at", "id"))
            )
            .order_by("sent_at", "id")
        ),
        consent_events=list(consent_events_of(person).order_by("date", "recorded_at", "id")),
        outcomes=list(
            Outcome.with_voided.filter(beneficiary=person)
            .select_related("organisation")
            .order_by("date", "id")
        ),
        notes=list(
            CaseNote.objects.filter(beneficiary=person)
            .select_related("corrects")
            .order_by("written_on", "created_at", "id")
        ),
        goals=list(Goal.objects.filter(beneficiary=person).select_related("goal_type")),
        tasks=list(Task.objects.filter(beneficiary=person).order_by("due_date", "id")),
        activities=list(
            ActivityParticipation.objects.filter(beneficiary=person)
            .select_related("activity__organisation", "activity__location")
            .order_by("activity__starts_on", "activity_id")
        ),
        documents=list(
            Document.objects.filter(beneficiary=person)
            .select_related("organisation")
            .order_by("uploaded_at", "id")
        ),
        # Her case moving between organisations, with why (the data protection officer's scope
        # reaches every organisation's transfers).
        transfers=list(
            Transfer.objects.filter(beneficiary=person)
            .select_related("from_organisation", "to_organisation")
            .order_by("requested_at", "id")
        ),
        looks=_looks_at(person),
        processing=_casework_processing(),
        recipients=list(person.partners_referred_to()),
        made_at=timezone.now(),
    )


def _field(person, name):
    return SharedField(Beneficiary._meta.get_field(name).verbose_name, display_value(person, name))


def _audit_trail_of(person):
    # Rows about her record and its assistance, referrals, consent and outcomes all name it by
    # its code.
    return AuditEvent.objects.filter(object_reference=person.code).select_related(
        "actor__membership__organisation"
    )


def _looks_at(person) -> list[Look]:
    names = CodeNames()
    return [_look(event, names) for event in _audit_trail_of(person).order_by("occurred_at", "id")]


def _look(event, names: CodeNames) -> Look:
    membership = event.actor.membership_or_none if event.actor else None
    return Look(
        at=event.occurred_at,
        action=event.get_action_display(),
        detail=what_it_was(event, names),
        organisation=str(membership.organisation or _("The partnership")) if membership else "",
        role=membership.get_role_display() if membership else "",
    )


def _casework_processing():
    return next(activity for activity in ACTIVITIES if BENEFICIARY_MODEL in activity.tables)


# -- retention -------------------------------------------------------------------------------------


def retention_cutoff(today: date | None = None) -> date:
    """The day RECORD_RETENTION_YEARS before ``today``: a closed record with no activity since is
    due for anonymisation."""
    today = today or timezone.localdate()
    years = settings.RECORD_RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _latest(model, date_field, path="beneficiary"):
    return Subquery(
        model.objects.filter(**{path: OuterRef("pk")})
        .order_by(f"-{date_field}")
        .values(date_field)[:1]
    )


def last_activity() -> Greatest:
    """The latest day anything happened on a record: the day its case was closed (the day it
    last changed, for a record closed before closing dates were kept), its intake, and the last
    assistance, outcome, referral, consent or activity."""
    intake = "intake_date"
    return Greatest(
        Coalesce("closed_on", TruncDate("updated_at")),
        intake,
        *(
            Coalesce(latest, intake)
            for latest in (
                _latest(Assistance, "date"),
                _latest(Outcome, "date"),
                _latest(Referral, "sent_on"),
                _latest(ConsentEvent, "date"),
                _latest(ActivityParticipation, "activity__starts_on"),
            )
        ),
    )


def _activity_since(cutoff: date) -> list[Exists]:
    """Whether anything counted in last_activity() happened on the record on or after the
    cutoff: one probe of a (person, date) index each, where the latest date would read them."""
    return [
        Exists(model.objects.filter(**{path: OuterRef("pk"), f"{date_field}__gte": cutoff}))
        for model, date_field, path in (
            (Assistance, "date", "beneficiary"),
            (Outcome, "date", "beneficiary"),
            (Referral, "sent_on", "beneficiary"),
            (ConsentEvent, "date", "beneficiary"),
            (ActivityParticipation, "activity__starts_on", "beneficiary"),
        )
    ]


def retention_due_for(user: User, today: date | None = None) -> QuerySet[Beneficiary]:
    """Closed records, not erased, with no activity for RECORD_RETENTION_YEARS: what the data
    protection officer anonymises at the end of the retention period. Oldest first."""
    cutoff = retention_cutoff(today)
    due = (
        data_subjects_for(user)
        .not_erased()
        .filter(status__in=CLOSED_STATUSES)
        # The latest activity is at least the closing date (the last change, for a record closed
        # before closing dates were kept) and the intake: records closed or taken in since the
        # cutoff are out before the subqueries run on the rest.
        .filter(intake_date__lt=cutoff)
        .filter(Q(closed_on__lt=cutoff) | Q(closed_on__isnull=True, updated_at__date__lt=cutoff))
    )
    # "Latest activity before the cutoff" is "no activity since": the dates themselves are
    # looked up only for the records that are due, not for every closed record.
    for happened_since in _activity_since(cutoff):
        due = due.filter(~happened_since)
    return due.annotate(last_activity_on=last_activity()).order_by("last_activity_on", "code")


# -- the caseworker's day: referrals awaiting an answer, tasks, plan, notes ------------------------

# "Due this week": the tasks of the next seven days follow the overdue ones on the home page.
TASK_HORIZON_DAYS = 7


def awaiting_answer_for(user: User, today: date | None = None) -> QuerySet[Referral]:
    """Every referral sent to the user's organisation that it has not answered yet, overdue
    first, then by the date an answer is needed. Never cut: each one waits for someone."""
    if not does_casework(user):
        return Referral.objects.none()
    received = _waiting_referrals_for(user).filter(
        to_organisation=user.organisation, status=ReferralStatus.SENT
    )
    return (
        _with_overdue(received, today or timezone.localdate())
        .with_services_listed()
        .order_by("-is_overdue", "due_date", "sent_at")
    )


def _open_tasks():
    return Task.objects.filter(done_at__isnull=True, beneficiary__erased_at__isnull=True)


def my_tasks_for(user: User, today: date | None = None) -> QuerySet[Task]:
    """The user's open tasks that are overdue or due within the week, overdue first."""
    if not does_casework(user):
        return Task.objects.none()
    today = today or timezone.localdate()
    return (
        _open_tasks()
        .filter(assignee=user, organisation=user.organisation)
        .filter(due_date__lte=today + timedelta(days=TASK_HORIZON_DAYS))
        .annotate(is_overdue=Case(When(due_date__lt=today, then=Value(True)), default=Value(False)))
        .select_related("beneficiary", "goal__goal_type")
        .order_by("due_date", "id")
    )


def open_tasks_of(person: Beneficiary) -> QuerySet[Task]:
    """The person's open tasks, soonest due first (the person's page)."""
    return (
        _open_tasks()
        .filter(beneficiary=person)
        .select_related("assignee", "goal__goal_type")
        .order_by("due_date", "id")
    )


def goals_of(person: Beneficiary) -> QuerySet[Goal]:
    """The person's plan: goals being worked on first, then achieved and dropped ones."""
    return (
        Goal.objects.filter(beneficiary=person)
        .select_related("goal_type")
        .annotate(
            is_open=Case(
                When(status__in=OPEN_GOAL_STATUSES, then=Value(True)), default=Value(False)
            )
        )
        .order_by("-is_open", F("target_date").asc(nulls_last=True), "created_at", "id")
    )


def notes_of(person: Beneficiary) -> QuerySet[CaseNote]:
    """The person's notes journal, newest first, each with the entry that corrects it."""
    return (
        CaseNote.objects.filter(beneficiary=person)
        .select_related("author", "corrects", "correction")
        .order_by("-written_on", "-created_at", "-id")
    )


def today_of(organisation_path: str) -> Case:
    """Today in the time zone of the organisation at ``organisation_path``: the day its pages
    date by, for a query that runs before the request is in that zone (the user's counts)."""
    return Case(
        *(
            When(
                **{f"{organisation_path}__time_zone": zone},
                then=Value(timezone.localdate(timezone=ZoneInfo(zone))),
            )
            for zone in settings.ORGANISATION_TIME_ZONES
        ),
        default=Value(timezone.localdate()),
        output_field=DateField(),
    )


def casework_counts_of_user() -> dict[str, Coalesce]:
    """Expressions for the user row: referrals waiting for her organisation's answer and her
    overdue tasks, for the counts in the navigation. The login backend adds them to the query
    that loads the user, so they cost no query of their own. (The user is loaded before the
    request's organisation scope exists; the subqueries name the organisation and the user
    exactly, so the plain managers are right here.)"""
    awaiting = (
        Referral._base_manager.filter(
            to_organisation=OuterRef("membership__organisation"),
            status=ReferralStatus.SENT,
            beneficiary__erased_at__isnull=True,
        )
        .order_by()
        .values("to_organisation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    overdue = (
        Task._base_manager.filter(
            assignee=OuterRef("pk"),
            organisation=OuterRef("membership__organisation"),
            done_at__isnull=True,
            due_date__lt=today_of("organisation"),
            beneficiary__erased_at__isnull=True,
        )
        .order_by()
        .values("assignee")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return {
        "referrals_awaiting_answer": Coalesce(Subquery(awaiting), 0),
        "overdue_tasks": Coalesce(Subquery(overdue), 0),
    }


def caseworkers_of(user: User) -> QuerySet[User]:
    """The members of the user's organisation who take tasks: its active caseworkers and
    admins."""
    if not does_casework(user):
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            membership__organisation=user.organisation,
            membership__role__in=CASEWORK_ROLES,
        )
        .select_related("membership")
        .order_by("email")
    )


def participants_for_group_help(user: User, activity_ids: list[str]) -> list[str]:
    """The codes of the organisation's own people registered in its activities ``activity_ids``
    (public ids), for one entry of assistance for them all; never an erased record."""
    valid = []
    for value in activity_ids:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue
    chosen = (
        beneficiaries_for(user)
        .not_erased()
        .filter(
            participations__activity__public_id__in=valid,
            participations__activity__organisation=user.organisation,
        )
    )
    return list(chosen.order_by("code").values_list("code", flat=True).distinct())
