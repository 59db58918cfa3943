"""Read queries of casework, each limited to what the given user may see.

The owning organisation's caseworkers and admins see its people whole. Another organisation sees
a person only through a referral it has accepted while her latest consent to share with it is
"given", and then only the fields in SHARED_FIELDS. Every other role sees no person at all.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from accounts.rules import Permission
from cases.enums import (
    COUNTRY_CHOICES,
    OPEN_REFERRAL_STATUSES,
    ConsentAction,
    ExploitationType,
    ReferralStatus,
)
from cases.models import (
    Assistance,
    Beneficiary,
    ConsentEvent,
    Outcome,
    Referral,
    ReferralEvent,
)

# Non-identifying fields a receiving organisation sees while a referral gives it access. Never
# identity fields or free text (notes, the safety concern's reason).
SHARED_FIELDS = (
    "code",
    "alias",
    "category",
    "sex",
    "birth_year",
    "nationality",
    "location",
    "status",
    "safety_flag",
    "dependants",
    "exploitation_types",
    "recruiter_relation",
    "country_of_recruitment",
    "countries_of_exploitation",
)
HOME_LIST_LENGTH = 8


def does_casework(user):
    return user.has_role_permission(Permission.RECORD_CASEWORK) and user.organisation is not None


# -- people ----------------------------------------------------------------------------------------


def beneficiaries_for(user):
    """The user's organisation's people, for its caseworkers and admins; nobody for any other
    role."""
    if not does_casework(user):
        return Beneficiary.objects.none()
    return Beneficiary.objects.filter(organisation=user.organisation).select_related("location")


def beneficiary_rows_for(user):
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


def flagged_people_for(user):
    return beneficiaries_for(user).filter(safety_flag=True).exclude(status="closed")


def recent_assistance_for(user):
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


def referrals_for(user):
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


def open_referrals_for(user, today: date | None = None):
    open_referrals = referrals_for(user).filter(status__in=OPEN_REFERRAL_STATUSES)
    return _with_overdue(open_referrals, today or timezone.localdate()).prefetch_related("services")


def _with_overdue(referrals, today):
    return referrals.annotate(
        needs_answer=Case(When(status=ReferralStatus.SENT, then=Value(True)), default=Value(False)),
        is_overdue=Case(
            When(status=ReferralStatus.SENT, due_date__lt=today, then=Value(True)),
            default=Value(False),
        ),
    )


def referral_inbox_for(user, today: date | None = None):
    """Referrals waiting for the user's organisation: received and not yet answered (overdue
    first, then by the date an answer is needed), then accepted ones still to complete."""
    today = today or timezone.localdate()
    if not does_casework(user):
        return Referral.objects.none()
    received = referrals_for(user).filter(
        to_organisation=user.organisation, status__in=OPEN_REFERRAL_STATUSES
    )
    return (
        _with_overdue(received, today)
        .prefetch_related("services")
        .order_by("-is_overdue", "-needs_answer", "due_date", "sent_at")
    )


def referrals_awaiting_partners_for(user, today: date | None = None):
    """Referrals the user's organisation sent that a partner has not answered yet."""
    today = today or timezone.localdate()
    sent = referrals_for(user).filter(
        from_organisation=user.organisation, status=ReferralStatus.SENT
    )
    return (
        _with_overdue(sent, today).prefetch_related("services").order_by("-is_overdue", "due_date")
    )


def referral_for_receiver_is_shared(referral):
    """Whether the receiver may see the person now (see ReferralQuerySet.sharing_in_force)."""
    return (
        referral.status == ReferralStatus.ACCEPTED
        and getattr(referral, "sharing_consent", None) == ConsentAction.GIVEN
    )


@dataclass(frozen=True)
class SharedField:
    label: str
    value: object


def shared_profile_for(user, referral):
    """The person's non-identifying fields for the receiving organisation, or None when the
    referral gives it no access now. ``referral`` comes from ``referrals_for(user)``."""
    if not does_casework(user) or referral.to_organisation_id != user.organisation.pk:
        return None
    if not referral_for_receiver_is_shared(referral):
        return None
    person = referral.beneficiary
    return [
        SharedField(Beneficiary._meta.get_field(name).verbose_name, display_value(person, name))
        for name in SHARED_FIELDS
    ]


_COUNTRIES = dict(COUNTRY_CHOICES)
_EXPLOITATION_TYPES = dict(ExploitationType.choices)


def display_value(person, name):
    """A field of a person as the screens show it."""
    if name == "exploitation_types":
        return ", ".join(
            str(_EXPLOITATION_TYPES.get(value, value)) for value in person.exploitation_types
        )
    if name == "countries_of_exploitation":
        return ", ".join(
            str(_COUNTRIES.get(value, value)) for value in person.countries_of_exploitation
        )
    if name == "location":
        return person.location.name
    display = getattr(person, f"get_{name}_display", None)
    return display() if display else getattr(person, name)


def assistance_against(referral, user):
    """Help logged in answer to the referral: the receiver sees its own entries; the sender,
    whose person it is, sees them all."""
    entries = referral.assistance.select_related("service_type", "organisation", "sub_project")
    if referral.from_organisation_id == user.organisation.pk:
        return entries
    return entries.filter(organisation=user.organisation)


# -- one person's file -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str
    title: str
    detail: str = ""
    organisation: str = ""
    referral: Referral | None = None


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    partner: object
    action: str
    on: date

    @property
    def is_given(self):
        return self.action == ConsentAction.GIVEN


def consent_events_of(beneficiary):
    return ConsentEvent.objects.filter(beneficiary=beneficiary).select_related("partner")


def current_consents(consent_events):
    """The latest event per purpose and partner: the consent in force now."""
    latest = {}
    for event in consent_events:  # newest first (the model's ordering)
        latest.setdefault((event.purpose, event.partner_id), event)
    return [
        ConsentState(event.get_purpose_display(), event.partner, event.action, event.date)
        for event in latest.values()
    ]


def timeline_of(beneficiary, consent_events):
    """Assistance, referral steps, outcomes and consent of one person, newest first."""
    entries = [
        TimelineEntry(
            item.date,
            "assistance",
            str(item.service_type),
            _quantity(item),
            item.organisation.name,
        )
        for item in beneficiary.assistance.select_related("service_type", "organisation")
    ]
    entries += [
        TimelineEntry(
            timezone.localdate(event.at),
            "referral",
            event.get_status_display(),
            f"{event.referral.from_organisation} → {event.referral.to_organisation}",
            referral=event.referral,
        )
        for event in ReferralEvent.objects.filter(referral__beneficiary=beneficiary).select_related(
            "referral__to_organisation", "referral__from_organisation"
        )
    ]
    entries += [
        TimelineEntry(
            outcome.date, "outcome", outcome.get_kind_display(), "", outcome.organisation.name
        )
        for outcome in Outcome.objects.filter(beneficiary=beneficiary).select_related(
            "organisation"
        )
    ]
    entries += [
        TimelineEntry(
            event.date,
            "consent",
            f"{event.get_purpose_display()}: {event.get_action_display()}",
            str(event.partner or ""),
        )
        for event in consent_events
    ]
    return sorted(entries, key=lambda entry: entry.on, reverse=True)


def _quantity(assistance):
    if assistance.quantity is None:
        return ""
    amount = assistance.quantity.normalize()
    return f"{amount:f} {assistance.get_unit_display()}".strip()
