"""Domain functions of casework: the only code that changes the cases tables. Each does its
checks, its writes and its audit row in one transaction; a rule the user broke raises
ValidationError with a message the form can show."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import AuditAction, Role
from accounts.models import Organisation, User
from accounts.rules import Permission
from accounts.services import record_audit, record_audit_for_each
from cases.enums import (
    CLOSED_STATUSES,
    OPEN_REFERRAL_STATUSES,
    PURPOSES_NAMING_A_PARTNER,
    CaseEventKind,
    ClosureReason,
    ConsentAction,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    EntryChangeKind,
    ErasureGround,
    GoalStatus,
    OutcomeKind,
    ReferralStatus,
    Status,
    TransferStatus,
)
from cases.identity_index import (
    MATCHED_FIELDS,
    hold_identity,
    index_new_people,
    likely_matches,
    refresh_identity_digests,
    remove_identity_digests,
)
from cases.models import (
    LATEST_RECORDED_FIRST,
    Assistance,
    Beneficiary,
    CaseEvent,
    CaseNote,
    CodeSequence,
    ConsentEvent,
    EntryChange,
    ErasureNotice,
    Goal,
    GoalType,
    MergedRecord,
    Outcome,
    Referral,
    ReferralEvent,
    ServiceType,
    Task,
    Transfer,
    stamp_attributes_of_the_day,
)
from cases.selectors import locked_periods_reached
from cases.sharing import CHOOSABLE_SHARED_FIELDS
from documents.models import Document
from documents.services import remove_documents_of
from nextsteps.fields import encrypted_fields
from nextsteps.versioning import lock_current_version
from notifications.services import (
    notify_erasure,
    notify_referral_step,
    notify_task_assigned,
    notify_transfer_step,
)
from pillars.models import ActivityParticipation, Location

BULK_BATCH = 2000
ERASED_RECORD = _("This record was erased: it can no longer be changed, referred or exported.")


def refuse_erased(beneficiary: Beneficiary) -> None:
    """An erased record is an anonymous stub: nothing is added to it or changed in it."""
    if beneficiary.is_erased:
        raise ValidationError(ERASED_RECORD)


def hold_person(beneficiary: Beneficiary) -> Beneficiary:
    """The person's row as saved now, locked until the write's transaction ends. Every write on
    a person's record takes it first: a merge (which locks both records in id order) or an
    erasure running at the same moment waits for the write, or the write for it, and a write
    that waited finds the record merged or erased and is refused in words, never with a
    database error (and never leaves a row pointing at a record that is gone)."""
    (person,) = hold_people([beneficiary])
    return person


def hold_people(beneficiaries: Sequence[Beneficiary]) -> list[Beneficiary]:
    """``hold_person`` for several people at once, locked in id order (as a merge locks them, so
    that neither waits for the other forever). In the order given."""
    rows = {
        person.pk: person
        for person in Beneficiary._base_manager.select_for_update()
        .filter(pk__in=[beneficiary.pk for beneficiary in beneficiaries])
        .order_by("pk")
    }
    for beneficiary in beneficiaries:
        if beneficiary.pk not in rows:
            raise ValidationError(gone_meanwhile(beneficiary))
    return [rows[beneficiary.pk] for beneficiary in beneficiaries]


def gone_meanwhile(beneficiary: Beneficiary) -> str:
    """Why a write found no record to write on: it was merged into another record (named, so
    that the caseworker goes on there) while she was writing."""
    merged = (
        MergedRecord._base_manager.filter(code=beneficiary.code).select_related("survivor").first()
    )
    if merged is not None:
        return _(
            "%(code)s was merged into %(survivor)s while you were saving: nothing was saved. "
            "Open %(survivor)s and enter it there."
        ) % {"code": beneficiary.code, "survivor": merged.survivor.code}
    return _("%(code)s no longer exists: nothing was saved.") % {"code": beneficiary.code}


# -- beneficiaries ---------------------------------------------------------------------------------


@transaction.atomic
def register_beneficiary(
    beneficiary: Beneficiary, *, by: User, new_person_reason: str | None = None
) -> Beneficiary:
    """Save a new person for the user's organisation under the next code of her intake year, with
    her consent to the processing of her data (the form asked for it), and her identity's
    digests (cases.identity_index).

    ``new_person_reason``: given (the registration form always gives it, maybe empty), records
    that may be her are looked for; if there are some, she is registered only with a reason why
    she is a new person, which goes to her notes journal, and an audit row names the kinds of
    match. None (imports, the demo) looks for none."""
    organisation = by.organisation
    beneficiary.organisation = organisation
    beneficiary.created_by = by
    beneficiary.code = _next_code(organisation, beneficiary.intake_date.year)
    beneficiary.save()
    ConsentEvent.objects.create(
        beneficiary=beneficiary,
        purpose=ConsentPurpose.PROCESSING,
        action=ConsentAction.GIVEN,
        date=beneficiary.intake_date,
        recorded_by=by,
    )
    record_audit(AuditAction.CREATE, beneficiary, by=by, detail="registered, processing consent")
    _index_identity(beneficiary, by=by, new_person_reason=new_person_reason)
    return beneficiary


def _index_identity(person: Beneficiary, *, by: User, new_person_reason: str | None) -> None:
    """Store her identity's digests and, when asked, hold her against the records that may be
    her (see ``register_beneficiary``)."""
    if new_person_reason is not None:
        hold_identity(person)
    refresh_identity_digests(person)
    if new_person_reason is None:
        return
    matches = likely_matches(person, organisation=person.organisation)
    if not matches:
        return
    reason = new_person_reason.strip()
    if not reason:
        raise ValidationError(
            _(
                "This person may already have a record. Nothing was saved: say why this is a new "
                "person, or open the record the person may have."
            )
        )
    CaseNote.objects.create(
        beneficiary=person,
        organisation=person.organisation,
        text=_("Kept as a new person although a record may already exist: %(reason)s")
        % {"reason": reason},
        author=by,
    )
    record_audit(
        AuditAction.UPDATE,
        person,
        by=by,
        detail=f"possible duplicate kept, reason in the notes journal: {matches.audit_detail()}",
    )


def _next_code(organisation, year):
    """The organisation's next code for ``year`` (BET-2023-0042)."""
    return _next_codes(organisation, year, 1)[0]


def _next_codes(organisation, year, count):
    """The organisation's next ``count`` codes for ``year``. The row lock makes two
    registrations at the same moment wait for each other instead of sharing a number."""
    prefix = f"{organisation.code_prefix}-{year}-"
    sequence, _created = CodeSequence.objects.get_or_create(
        organisation=organisation,
        year=year,
        defaults={"last_number": _highest_number_in_use(prefix)},
    )
    sequence = CodeSequence.objects.select_for_update().get(pk=sequence.pk)
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    return [f"{prefix}{number:04d}" for number in range(first, first + count)]


@transaction.atomic
def register_imported_beneficiaries(
    people: list[Beneficiary], *, organisation: Organisation, by: User | None
) -> list[Beneficiary]:
    """``register_beneficiary`` for a sheet of people from an organisation's old spreadsheet,
    in bulk: the next codes of each intake year in the sheet's order, consent to processing
    recorded as given on the intake date, one audit row per person."""
    for year in sorted({person.intake_date.year for person in people}):
        of_the_year = [person for person in people if person.intake_date.year == year]
        for person, code in zip(
            of_the_year, _next_codes(organisation, year, len(of_the_year)), strict=True
        ):
            person.code = code
    for person in people:
        person.organisation = organisation
        person.created_by = by
        person.stamp_intake_attributes()
    people = Beneficiary.objects.bulk_create(people, batch_size=BULK_BATCH)
    index_new_people(people)
    ConsentEvent.objects.bulk_create(
        (
            ConsentEvent(
                beneficiary=person,
                purpose=ConsentPurpose.PROCESSING,
                action=ConsentAction.GIVEN,
                date=person.intake_date,
                recorded_by=by,
            )
            for person in people
        ),
        batch_size=BULK_BATCH,
    )
    record_audit_for_each(
        AuditAction.CREATE,
        people,
        by=by,
        organisation=organisation,
        detail=lambda person: "imported, processing consent given on intake date",
    )
    return people


def _highest_number_in_use(prefix):
    # Records imported without a sequence (or made by hand) must not be handed out again.
    # Codes are zero-padded, so the greatest string is the greatest number.
    highest = (
        Beneficiary.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    return int(highest.removeprefix(prefix)) if highest else 0


@transaction.atomic
def update_beneficiary(
    beneficiary: Beneficiary,
    *,
    changed_fields: Sequence[str],
    by: User,
    new_person_reason: str | None = None,
) -> Beneficiary:
    """Save the edited record and its identity's digests. The audit row names the fields that
    changed, never their values. ``new_person_reason``: as for ``register_beneficiary``, looked
    at when a field that matches people changed."""
    # The form has already put its values on the instance: ask the database, and lock the row so
    # that an erasure running at the same moment waits for this save, or this save for it: an
    # erasure is never undone by an edit that read the record before it.
    refuse_erased(hold_person(beneficiary))
    lock_current_version(beneficiary)
    beneficiary.save()
    record_audit(
        AuditAction.UPDATE,
        beneficiary,
        by=by,
        detail="changed " + ", ".join(sorted(changed_fields)) if changed_fields else "saved",
    )
    if not set(changed_fields) & set(MATCHED_FIELDS):
        new_person_reason = None
    _index_identity(beneficiary, by=by, new_person_reason=new_person_reason)
    return beneficiary


@transaction.atomic
def restate_attributes(
    beneficiary: Beneficiary,
    *,
    since: date,
    category: str,
    location: Location,
    reason: str,
    by: User,
) -> dict[str, int]:
    """Correct the person's category and location from ``since`` on, the past included.

    An ordinary edit changes only who she is from now on: the rows of help, outcomes,
    referrals and activities keep the attributes of their day, so past figures stay put. When
    the record was wrong from the start (she was a victim of trafficking, not "exiting
    prostitution"), the organisation admin restates: every row dated on or after ``since``
    takes the corrected values, and past figures change on purpose. A locked period keeps its
    published figure and flags the difference for restatement (pillars.services).
    Returns how many rows of each kind were restated.
    """
    reason = reason.strip()
    if by.role != Role.ORGANISATION_ADMIN or by.organisation.pk != beneficiary.organisation_id:
        raise ValidationError(_("Only an admin of the organisation that owns the record restates."))
    if not reason:
        raise ValidationError({"reason": _("Say why the past is corrected.")})
    person = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    refuse_erased(person)
    if since > timezone.localdate():
        raise ValidationError({"since": _("A restatement starts today or in the past.")})
    attributes = {"category": category, "location": location}
    restated = {
        "assistance": Assistance.objects.filter(beneficiary=person, date__gte=since).update(
            **attributes
        ),
        "outcomes": Outcome.objects.filter(beneficiary=person, date__gte=since).update(
            **attributes
        ),
        "referrals": Referral.objects.filter(beneficiary=person, sent_on__gte=since).update(
            location=location
        ),
        "activities": ActivityParticipation.objects.filter(
            beneficiary=person, activity__starts_on__gte=since
        ).update(category=category),
    }
    if person.intake_date >= since:
        person.category_at_intake = category
        person.location_at_intake = location
        restated["intake"] = 1
    person.category = category
    person.location = location
    person.version += 1
    person.save()
    counts = ", ".join(f"{kind} {count}" for kind, count in restated.items())
    record_audit(
        AuditAction.UPDATE,
        person,
        by=by,
        detail=f"restated category {category}, location {location.code} since "
        f"{since.isoformat()} ({counts}); reason: {reason}",
    )
    return restated


# -- consent ---------------------------------------------------------------------------------------


def current_consent(
    beneficiary: Beneficiary, purpose: ConsentPurpose, partner: Organisation | None = None
) -> str | None:
    """The consent action recorded last for ``purpose`` (and partner), or None if never asked."""
    return (
        ConsentEvent.objects.filter(beneficiary=beneficiary, purpose=purpose, partner=partner)
        .order_by(*LATEST_RECORDED_FIRST)
        .values_list("action", flat=True)
        .first()
    )


@transaction.atomic
def record_consent(
    beneficiary: Beneficiary,
    *,
    purpose: ConsentPurpose,
    action: ConsentAction,
    on: date,
    by: User,
    partner: Organisation | None = None,
    given_by: ConsentGiver | str = "",
    method: ConsentMethod | str = "",
) -> ConsentEvent:
    """Record consent given or withdrawn, and by whom and how when the form asked. Sharing names
    one partner organisation; withdrawing needs a consent that is currently given, and
    withdrawing consent to share with a partner erases the safe contact of her referrals to
    it at once."""
    refuse_erased(hold_person(beneficiary))
    if purpose in PURPOSES_NAMING_A_PARTNER and partner is None:
        raise ValidationError(_("Name the organisation the record may be shared with."))
    if purpose not in PURPOSES_NAMING_A_PARTNER:
        partner = None
    if partner is not None and partner.pk == beneficiary.organisation_id:
        raise ValidationError(_("Sharing consent names a partner organisation, not your own."))
    if (
        action == ConsentAction.WITHDRAWN
        and current_consent(beneficiary, purpose, partner) != ConsentAction.GIVEN
    ):
        raise ValidationError(_("There is no consent given for this purpose to withdraw."))
    if on > timezone.localdate():
        raise ValidationError(_("The date of the consent cannot be in the future."))
    event = ConsentEvent.objects.create(
        beneficiary=beneficiary,
        purpose=purpose,
        partner=partner,
        action=action,
        date=on,
        given_by=given_by,
        method=method,
        recorded_by=by,
    )
    if purpose == ConsentPurpose.SHARING and action == ConsentAction.WITHDRAWN:
        _forget_safe_contact(
            Referral.objects.filter(beneficiary=beneficiary, to_organisation=partner)
        )
    detail = f"consent {purpose} {action}" + (f" for {partner.slug}" if partner else "")
    record_audit(AuditAction.UPDATE, beneficiary, by=by, detail=detail)
    return event


# -- assistance and outcomes -----------------------------------------------------------------------


def _check_may_log_for(beneficiary, *, by, referral):
    """The owning organisation logs for its own people; a partner logs only against a referral it
    has accepted, while the person's consent to share with it holds. ``beneficiary``: her row as
    held for the write (hold_person)."""
    refuse_erased(beneficiary)
    if beneficiary.organisation_id == by.organisation.pk and referral is None:
        return
    in_force = (
        referral is not None
        and referral.beneficiary_id == beneficiary.pk
        and referral.to_organisation_id == by.organisation.pk
        and Referral.objects.sharing_in_force().filter(pk=referral.pk).exists()
    )
    if not in_force:
        raise ValidationError(
            _("This referral no longer gives access to the person; nothing was logged.")
        )


def _check_dates(beneficiary, on, *, referral=None):
    """Help and outcomes happen on or after the person's intake, and help given in answer to a
    referral on or after the day it was sent."""
    if on < beneficiary.intake_date:
        raise ValidationError(
            {
                "date": _(
                    "%(date)s is before %(person)s came in (intake on %(intake)s): "
                    "nothing can be recorded before the intake date."
                )
                % {
                    "date": on.isoformat(),
                    "person": beneficiary.code,
                    "intake": beneficiary.intake_date.isoformat(),
                }
            }
        )
    if referral is not None and on < referral.sent_on:
        raise ValidationError(
            {
                "date": _(
                    "%(date)s is before the referral it answers was sent (%(sent)s): "
                    "help in answer to a referral is dated on or after that day."
                )
                % {"date": on.isoformat(), "sent": referral.sent_on.isoformat()}
            }
        )


def _assistance(beneficiary, *, by, referral=None, **fields):
    assistance = Assistance(
        beneficiary=beneficiary,
        organisation=by.organisation,
        referral=referral,
        recorded_by=by,
        **fields,
    )
    _check_dates(beneficiary, assistance.date, referral=referral)
    # Set here as well as in save(): bulk_create does not call save().
    stamp_attributes_of_the_day(assistance)
    return assistance


@transaction.atomic
def log_assistance(
    beneficiary: Beneficiary, *, by: User, referral: Referral | None = None, **fields: object
) -> Assistance:
    """Log one piece of help given by the user's organisation to one person. ``fields`` are the
    assistance's own: service_type, date, quantity, unit, sub_project, note."""
    _check_may_log_for(hold_person(beneficiary), by=by, referral=referral)
    assistance = _assistance(beneficiary, by=by, referral=referral, **fields)
    assistance.full_clean(exclude=["beneficiary", "organisation", "referral"])
    assistance.save()
    record_audit(
        AuditAction.CREATE,
        assistance,
        by=by,
        organisation=beneficiary.organisation,
        detail=f"assistance {assistance.service_type.code}"
        + (" against referral" if referral else ""),
    )
    return assistance


@transaction.atomic
def log_assistance_for_many(
    beneficiaries: Iterable[Beneficiary], *, by: User, **fields: object
) -> list[Assistance]:
    """Log the same help (e.g. a food package) for several of the organisation's people at once:
    all entries are saved or none. One audit row per person, as for a single entry."""
    beneficiaries = list(beneficiaries)
    if not beneficiaries:
        raise ValidationError(_("Pick at least one person."))
    for person in hold_people(beneficiaries):
        _check_may_log_for(person, by=by, referral=None)
    entries = [_assistance(beneficiary, by=by, **fields) for beneficiary in beneficiaries]
    entries[0].full_clean(exclude=["beneficiary", "organisation", "referral"])
    Assistance.objects.bulk_create(entries)
    for entry in entries:
        record_audit(
            AuditAction.CREATE,
            entry,
            by=by,
            detail=f"assistance {entry.service_type.code} for {len(entries)} people",
        )
    return entries


def imported_assistance(
    beneficiary: Beneficiary, *, organisation: Organisation, by: User | None, **fields: object
) -> Assistance:
    """One piece of help from an organisation's old spreadsheet, checked as ``log_assistance``
    checks it (her own organisation, dates), not saved yet: ``log_imported_assistance`` saves
    a whole sheet at once."""
    refuse_erased(beneficiary)
    if beneficiary.organisation_id != organisation.pk:
        raise ValidationError(_("Only your organisation's records can be imported into."))
    assistance = Assistance(
        beneficiary=beneficiary, organisation=organisation, recorded_by=by, **fields
    )
    if not assistance.unit:
        assistance.unit = assistance.service_type.default_unit
    _check_dates(beneficiary, assistance.date)
    stamp_attributes_of_the_day(assistance)
    return assistance


@transaction.atomic
def log_imported_assistance(
    entries: list[Assistance], *, organisation: Organisation, by: User | None
) -> list[Assistance]:
    """Save the help ``imported_assistance`` checked, with one audit row per entry as for help
    logged one by one. In bulk: an old spreadsheet holds a hundred thousand rows."""
    entries = Assistance.objects.bulk_create(entries, batch_size=BULK_BATCH)
    record_audit_for_each(
        AuditAction.CREATE,
        entries,
        by=by,
        organisation=organisation,
        detail=lambda entry: f"assistance {entry.service_type.code}, imported",
    )
    return entries


@transaction.atomic
def record_outcome(
    beneficiary: Beneficiary,
    *,
    kind: OutcomeKind | str,
    on: date,
    by: User,
    note: str = "",
    referral: Referral | None = None,
) -> Outcome:
    """Record a milestone of the user's organisation's work with the person. The owning
    organisation records its own; a partner records the outcome of its work against a referral
    it accepted, while the person's consent to share with it holds. Either way the outcome
    counts for the organisation that recorded it, and the sender sees a partner's on the
    referral."""
    _check_may_log_for(hold_person(beneficiary), by=by, referral=referral)
    if on > timezone.localdate():
        raise ValidationError(_("This date is in the future."))
    _check_dates(beneficiary, on, referral=referral)
    outcome = Outcome.objects.create(
        beneficiary=beneficiary,
        organisation=by.organisation,
        referral=referral,
        kind=kind,
        date=on,
        note=note,
        recorded_by=by,
    )
    record_audit(
        AuditAction.CREATE,
        outcome,
        by=by,
        organisation=beneficiary.organisation,
        detail=f"outcome {kind}" + (" against referral" if referral else ""),
    )
    return outcome


@dataclass(frozen=True)
class ConsentInStep:
    """The person's consent given as a step is taken (sharing with the partner as a referral is
    made, the transfer as it is requested): who gave it, how, when. It is recorded in the same
    transaction as the step, so a refused step leaves no consent behind."""

    given_by: str
    method: str
    on: date


def _record_consent_in_step(
    person: Beneficiary,
    consent: ConsentInStep,
    *,
    purpose: ConsentPurpose,
    partner: Organisation,
    by: User,
) -> None:
    """Record ``consent`` as given for ``purpose`` with ``partner``, in the step's transaction."""
    record_consent(
        person,
        purpose=purpose,
        action=ConsentAction.GIVEN,
        on=consent.on,
        by=by,
        partner=partner,
        given_by=ConsentGiver(consent.given_by),
        method=ConsentMethod(consent.method),
    )


# -- referrals -------------------------------------------------------------------------------------


# The days a partner is given to answer a referral, unless the sender says otherwise.
DEFAULT_DAYS_TO_ANSWER = 14


@dataclass(frozen=True)
class HistoricReferral:
    """A referral made in the past and entered now (the 2021-2023 history): the day it was sent,
    why it is entered late, and what became of it, with the days it was answered and closed.

    The reports count a referral in the year of ``sent_on`` under the status it has now
    (pillars.computations, REFERRALS); the days it was answered and closed place its steps on
    its timeline and in the time-to-accept of the referrals dashboard."""

    sent_on: date
    reason: str
    status: str = ReferralStatus.SENT
    answered_on: date | None = None
    closed_on: date | None = None

    @property
    def steps(self) -> list[tuple[str, date]]:
        """[(status, day)] after "sent", in order: the transitions that led to ``status``."""
        answered = self.answered_on or self.sent_on
        closed = self.closed_on or answered
        return {
            ReferralStatus.SENT: [],
            ReferralStatus.ACCEPTED: [(ReferralStatus.ACCEPTED, answered)],
            ReferralStatus.DECLINED: [(ReferralStatus.DECLINED, answered)],
            ReferralStatus.COMPLETED: [
                (ReferralStatus.ACCEPTED, answered),
                (ReferralStatus.COMPLETED, closed),
            ],
            ReferralStatus.WITHDRAWN: [(ReferralStatus.WITHDRAWN, self.closed_on or self.sent_on)],
        }[self.status]


def check_historic_referral(historic: HistoricReferral, beneficiary: Beneficiary) -> None:
    """A back-dated referral needs a reason and dates in order: sent on or after her intake and
    not in the future, answered on or after it was sent, closed on or after it was answered."""
    today = timezone.localdate()
    errors = {}
    if not historic.reason.strip():
        errors["late_reason"] = _("Say why the referral is entered with a past date.")
    if historic.status not in ReferralStatus.values:
        errors["became"] = _("Choose what became of the referral.")
    if historic.sent_on > today:
        errors["sent_on"] = _("The day it was sent cannot be in the future.")
    elif historic.sent_on < beneficiary.intake_date:
        errors["sent_on"] = _(
            "%(date)s is before %(person)s came in (intake on %(intake)s): a referral is sent "
            "on or after the intake date."
        ) % {
            "date": historic.sent_on.isoformat(),
            "person": beneficiary.code,
            "intake": beneficiary.intake_date.isoformat(),
        }
    for name, day, earliest, message in (
        ("answered_on", historic.answered_on, historic.sent_on, _("on or after it was sent")),
        (
            "closed_on",
            historic.closed_on,
            historic.answered_on or historic.sent_on,
            _("on or after it was sent and answered"),
        ),
    ):
        if day is None:
            continue
        if day > today:
            errors[name] = _("This day cannot be in the future.")
        elif day < earliest:
            errors[name] = _("This day is %(rule)s.") % {"rule": message}
    if errors:
        raise ValidationError(errors)


def _at_noon(day: date):
    """A moment on ``day`` for a step entered later: noon, in the partnership's time zone."""
    return timezone.make_aware(datetime.combine(day, time(12)))


@transaction.atomic
def send_referral(
    beneficiary: Beneficiary,
    *,
    to_organisation: Organisation,
    services: Iterable[ServiceType],
    due_date: date,
    by: User,
    message: str = "",
    shared_fields: Iterable[str] = (),
    safe_contact: Mapping[str, str] | None = None,
    consent: ConsentInStep | None = None,
    historic: HistoricReferral | None = None,
    sender: Organisation | None = None,
) -> Referral:
    """Refer a person of the user's organisation to a partner. Refused unless her latest consent
    to share her record with that partner is "given"; ``consent`` records that consent in the
    same transaction, so a refused referral leaves no consent behind and the reverse.
    ``shared_fields`` are what the partner sees beyond the minimal set
    (cases.sharing.CHOOSABLE_SHARED_FIELDS); ``safe_contact`` maps Referral.SAFE_CONTACT_FIELDS
    to how the partner reaches her. ``historic``: a referral made in the past, entered now with
    its reason and what became of it (its steps dated as they happened; a closed one shares
    nothing and needs no consent recorded). ``sender``: the importing organisation when ``by``
    is no member (the command line); a member refers for her own organisation only."""
    refuse_erased(hold_person(beneficiary))
    if historic is not None:
        check_historic_referral(historic, beneficiary)
    final_status = historic.status if historic is not None else ReferralStatus.SENT
    if by is not None:
        if sender is not None and sender.pk != by.organisation.pk:
            raise ValidationError(
                _("Only the organisation that owns the record can refer the person.")
            )
        sender = by.organisation
    if beneficiary.organisation_id != sender.pk:
        raise ValidationError(_("Only the organisation that owns the record can refer the person."))
    if to_organisation.pk == sender.pk:
        raise ValidationError(_("Refer to a partner organisation, not your own."))
    unknown = set(shared_fields) - set(CHOOSABLE_SHARED_FIELDS)
    safe_contact = dict(safe_contact or {})
    unknown |= set(safe_contact) - set(Referral.SAFE_CONTACT_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be shared: %(names)s.") % {"names": sorted(unknown)})
    if consent is not None:
        _record_consent_in_step(
            beneficiary, consent, purpose=ConsentPurpose.SHARING, partner=to_organisation, by=by
        )
    # A closed referral of the past shares nothing: only an open one needs her consent now.
    if (
        final_status in OPEN_REFERRAL_STATUSES
        and current_consent(beneficiary, ConsentPurpose.SHARING, to_organisation)
        != ConsentAction.GIVEN
    ):
        raise ValidationError(
            _(
                "%(person)s has not given consent to share the record with %(partner)s. "
                "Record that consent first."
            )
            % {"person": beneficiary.code, "partner": to_organisation.name}
        )
    today = timezone.localdate()
    sent_on = today if historic is None else historic.sent_on
    if historic is not None:
        # What the partner was asked to answer by then; it is past, as the referral is.
        due_date = due_date or sent_on + timedelta(days=DEFAULT_DAYS_TO_ANSWER)
    elif due_date < today:
        raise ValidationError(_("The date an answer is needed by cannot be in the past."))
    already_open = ValidationError(
        _("%(person)s already has an open referral to %(partner)s.")
        % {"person": beneficiary.code, "partner": to_organisation.name}
    )
    if (
        final_status in OPEN_REFERRAL_STATUSES
        and Referral.objects.filter(
            beneficiary=beneficiary,
            to_organisation=to_organisation,
            status__in=OPEN_REFERRAL_STATUSES,
        ).exists()
    ):
        raise already_open
    try:
        # Two colleagues sending the same referral at once both pass the check above; the
        # database's partial unique constraint lets one in and tells the other the same.
        with transaction.atomic():
            referral = Referral.objects.create(
                beneficiary=beneficiary,
                from_organisation=sender,
                to_organisation=to_organisation,
                due_date=due_date,
                message=message,
                cross_border=sender.country != to_organisation.country,
                sent_on=sent_on,
                sent_at=timezone.now() if historic is None else _at_noon(sent_on),
                status=final_status,
                sent_by=by,
                shared_fields=[
                    name for name in CHOOSABLE_SHARED_FIELDS if name in set(shared_fields)
                ],
                **{name: value.strip() for name, value in safe_contact.items()},
            )
    except IntegrityError as error:
        raise already_open from error
    referral.services.set(services)
    ReferralEvent.objects.create(
        referral=referral, status=ReferralStatus.SENT, at=referral.sent_at, by=by
    )
    shared = ", ".join(referral.shared_fields) or "minimal"
    contact = " + safe contact" if any(safe_contact.values()) else ""
    detail = f"referral to {to_organisation.slug}; shares {shared}{contact}"
    if historic is not None:
        _record_historic_steps(referral, historic, by=by)
        detail += (
            f"; back-dated: sent on {sent_on.isoformat()}, entered on {today.isoformat()}, "
            f"{final_status}; why: {historic.reason.strip()}"
        )
    record_audit(AuditAction.CREATE, referral, by=by, detail=detail)
    if final_status == ReferralStatus.SENT:
        # Still waiting for the partner's answer: the partner hears of it as of any new one.
        notify_referral_step(referral, ReferralStatus.SENT)
    return referral


def import_referral(
    beneficiary: Beneficiary,
    *,
    organisation: Organisation,
    to_organisation: Organisation,
    services: list,
    historic: HistoricReferral,
    by: User | None,
) -> Referral:
    """A referral of an organisation's old spreadsheet, made in the past: ``send_referral``
    with its steps as they happened, for the importing organisation (``by`` is None on the
    command line). An open one needs her consent to share with the partner recorded first."""
    return send_referral(
        beneficiary,
        to_organisation=to_organisation,
        services=services,
        due_date=None,
        historic=historic,
        sender=organisation,
        by=by,
    )


def _record_historic_steps(
    referral: Referral, historic: HistoricReferral, *, by: User | None
) -> None:
    """The transitions that led a back-dated referral to its status, each on its own day, on
    its timeline; answered and closed moments as the dashboard's time-to-accept reads them."""
    for status, day in historic.steps:
        ReferralEvent.objects.create(
            referral=referral,
            status=status,
            at=_at_noon(day),
            by=by,
            reason=_("entered later: %(reason)s") % {"reason": historic.reason.strip()},
        )
        if status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
            referral.responded_at = _at_noon(day)
        if status != ReferralStatus.ACCEPTED:
            referral.closed_at = _at_noon(day)
    referral.save(update_fields=["responded_at", "closed_at"])


def accept_referral(referral: Referral, *, by: User) -> Referral:
    return _transition(referral, ReferralStatus.ACCEPTED, by=by)


def decline_referral(referral: Referral, *, reason: str, by: User) -> Referral:
    if not reason.strip():
        raise ValidationError(_("Say why the referral is declined."))
    return _transition(referral, ReferralStatus.DECLINED, by=by, reason=reason.strip())


def complete_referral(referral: Referral, *, by: User) -> Referral:
    return _transition(referral, ReferralStatus.COMPLETED, by=by)


def withdraw_referral(referral: Referral, *, by: User) -> Referral:
    return _transition(referral, ReferralStatus.WITHDRAWN, by=by)


# new status -> (the statuses it may follow, which side moves it)
TRANSITIONS = {
    ReferralStatus.ACCEPTED: ((ReferralStatus.SENT,), "receiver"),
    ReferralStatus.DECLINED: ((ReferralStatus.SENT,), "receiver"),
    ReferralStatus.COMPLETED: ((ReferralStatus.ACCEPTED,), "receiver"),
    ReferralStatus.WITHDRAWN: ((ReferralStatus.SENT, ReferralStatus.ACCEPTED), "sender"),
}


def allowed_transitions(referral: Referral, user: User) -> list[ReferralStatus]:
    """The statuses ``user`` may move the referral to now (none once the person is erased)."""
    if referral.beneficiary.is_erased:
        return []
    side = _side_of(referral, user)
    return [
        status
        for status, (sources, mover) in TRANSITIONS.items()
        if mover == side and referral.status in sources
    ]


def _side_of(referral, user):
    organisation_id = user.organisation.pk if user.organisation else None
    if organisation_id == referral.to_organisation_id:
        return "receiver"
    if organisation_id == referral.from_organisation_id:
        return "sender"
    return None


@transaction.atomic
def _transition(referral, status, *, by, reason=""):
    """Move the referral to ``status`` with one conditional UPDATE on the status it is expected
    to have: of two people answering the same referral at once, exactly one succeeds; the
    other is told what happened instead of writing a second transition."""
    sources, mover = TRANSITIONS[status]
    refuse_erased(referral.beneficiary)
    if _side_of(referral, by) != mover:
        raise ValidationError(_("Your organisation cannot make this change to the referral."))
    now = timezone.now()
    changes = {"status": status}
    if status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
        changes["responded_at"] = now
    if status != ReferralStatus.ACCEPTED:
        changes["closed_at"] = now
    if status == ReferralStatus.DECLINED:
        changes["decline_reason"] = reason
    if status != ReferralStatus.ACCEPTED:
        # The partner's way to reach her ends with the referral.
        changes.update(dict.fromkeys(Referral.SAFE_CONTACT_FIELDS, ""))
    moved = Referral.objects.filter(pk=referral.pk, status__in=sources).update(**changes)
    if not moved:
        referral.refresh_from_db()
        raise ValidationError(
            _("Someone changed this referral in the meantime: it is now %(status)s.")
            % {"status": referral.get_status_display().lower()}
        )
    for name, value in changes.items():
        setattr(referral, name, value)
    ReferralEvent.objects.create(referral=referral, status=status, at=now, by=by, reason=reason)
    record_audit(AuditAction.TRANSITION, referral, by=by, detail=f"referral {status}")
    notify_referral_step(referral, status)
    return referral


def _forget_safe_contact(referrals) -> None:
    referrals.update(**dict.fromkeys(Referral.SAFE_CONTACT_FIELDS, ""))


# -- rights of the person: erasure (GDPR article 17) and retention ---------------------------------


def _check_handles_data_requests(user):
    if not user.has_role_permission(Permission.HANDLE_DATA_REQUESTS):
        raise ValidationError(_("Only the data protection officer erases records."))


def _emptied(field):
    """The value an erased field takes: its default, else empty."""
    if field.has_default():
        return field.get_default()
    return None if field.null else ""


# The person's own rows whose free text goes with her identity; their dates, kinds and links stay
# because the indicators count them.
_RELATED_FREE_TEXT = {
    Assistance: "beneficiary",
    Outcome: "beneficiary",
    Referral: "beneficiary",
    ReferralEvent: "referral__beneficiary",
    EntryChange: "beneficiary",
    CaseEvent: "beneficiary",
    Goal: "beneficiary",
    Task: "beneficiary",
    CaseNote: "beneficiary",
    Transfer: "beneficiary",
}


@transaction.atomic
def erase_beneficiary(
    beneficiary: Beneficiary, *, ground: ErasureGround | str, by: User
) -> Beneficiary:
    """Replace the person's record by an anonymous stub (GDPR article 17).

    Removes her identity, alias, notes, exploitation details and every free text about her
    (assistance and outcome notes, referral messages, reasons), and her consent log (the audit
    log keeps, by code, that consent was given and withdrawn). Keeps what the figures count:
    Beneficiary.KEPT_ON_ERASURE and the dated assistance, referrals, outcomes and activity
    participation linked to the stub, so that every report reads the same before and after.
    Referral statuses stay as they are for the same reason; the referral no longer gives any
    partner access (cases.selectors), and each partner that received her is told.
    """
    _check_handles_data_requests(by)
    # Locked and read again: two erasures of the same record at once make one stub, not two.
    person = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    refuse_erased(person)
    for field in person._meta.concrete_fields:
        if field.name not in Beneficiary.KEPT_ON_ERASURE:
            setattr(person, field.attname, _emptied(field))
    person.erased_at = timezone.now()
    person.version += 1
    person.save()
    remove_identity_digests(person)
    for model, path in _RELATED_FREE_TEXT.items():
        # Voided entries too: what they said is hers as much as the rest.
        rows = getattr(model, "with_voided", model.objects)
        rows.filter(**{path: person}).update(
            **{field.name: "" for field in encrypted_fields(model)}
        )
    ConsentEvent.objects.filter(beneficiary=person).delete()
    # A transfer still waiting for an answer ends with her record: nobody may take it over.
    Transfer.objects.filter(beneficiary=person, status=TransferStatus.REQUESTED).update(
        status=TransferStatus.WITHDRAWN, answered_at=timezone.now()
    )
    documents = remove_documents_of(person)
    partners = list(person.partners_referred_to())
    ErasureNotice.objects.bulk_create(
        ErasureNotice(organisation=partner, beneficiary=person) for partner in partners
    )
    former_owners = set(
        Transfer._base_manager.filter(
            beneficiary=person, status=TransferStatus.ACCEPTED
        ).values_list("from_organisation_id", flat=True)
    )
    for partner in partners:
        notify_erasure(partner, former_owner=partner.pk in former_owners)
    record_audit(
        AuditAction.ERASE,
        person,
        by=by,
        detail=f"erased ({ErasureGround(ground).value}); partners told: {len(partners)}; "
        f"documents removed: {documents}",
    )
    beneficiary.refresh_from_db()
    return beneficiary


@transaction.atomic
def anonymise_closed_records(
    people: Iterable[Beneficiary], *, expected_count: int, cutoff: date, by: User
) -> list[Beneficiary]:
    """Erase every record of ``people`` (the retention list: closed, with no activity since
    ``cutoff``) through the same path as an erasure on request. ``expected_count`` is how many
    the data protection officer saw: if the list changed since, nothing is erased."""
    _check_handles_data_requests(by)
    people = list(people)
    if len(people) != expected_count:
        raise ValidationError(
            _(
                "The list changed since you opened it (%(now)d records instead of %(seen)d). "
                "Nothing was anonymised: look at the list again."
            )
            % {"now": len(people), "seen": expected_count}
        )
    for person in people:
        erase_beneficiary(person, ground=ErasureGround.RETENTION, by=by)
    record_audit(
        AuditAction.ERASE,
        by=by,
        detail=f"retention: anonymised {len(people)} closed records without activity since "
        f"{cutoff.isoformat()}",
    )
    return people


@transaction.atomic
def acknowledge_erasure_notice(notice: ErasureNotice, *, by: User) -> ErasureNotice:
    """The partner has read the notice (and deleted what it kept outside the app)."""
    if by.organisation is None or notice.organisation_id != by.organisation.pk:
        raise ValidationError(_("This notice is for another organisation."))
    if notice.acknowledged_at is None:
        notice.acknowledged_at = timezone.now()
        notice.acknowledged_by = by
        notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record_audit(AuditAction.UPDATE, notice, by=by, detail="erasure notice acknowledged")
    return notice


# -- corrections and voids of logged entries -------------------------------------------------------


def _check_changes_its_own_entry(entry, by, *, seen_changed_at):
    refuse_erased(entry.beneficiary)
    if by.organisation is None or entry.organisation_id != by.organisation.pk:
        raise ValidationError(_("Only the organisation that logged an entry corrects it."))
    if entry.voided_at is not None:
        raise ValidationError(_("This entry was voided; it can no longer be changed."))
    if seen_changed_at != entry.changed_at:
        raise ValidationError(
            _(
                "Someone corrected this entry while you were looking at it. Nothing was saved: "
                "look at the entry again."
            )
        )


def _check_locked_periods(dates, *, confirmed):
    """A change reaching into a locked period needs the user's confirmation that she knows the
    published figures stay as they are. Returns the periods' labels, for the record."""
    periods = locked_periods_reached(dates)
    if periods and not confirmed:
        raise ValidationError(
            _(
                "This reaches into the locked period %(periods)s: its published figures stay as "
                "they are and are flagged for restatement. Tick the confirmation to go on."
            )
            % {"periods": ", ".join(period.label for period in periods)}
        )
    return ", ".join(period.label for period in periods)


def _shown(entry, name):
    value = getattr(entry, name)
    if value in (None, ""):
        return "—"
    display = getattr(entry, f"get_{name}_display", None)
    return str(display() if display else value)


def _summary_of_changes(entry, changes):
    """What changed, in words, for the timeline ("quantity: 14 → 12"). A note's text stays out:
    the summary must not become a copy of what the correction replaced."""
    lines = []
    for name, value in changes.items():
        label = entry._meta.get_field(name).verbose_name
        if name == "note":
            lines.append(_("%(field)s changed") % {"field": label})
            continue
        before = _shown(entry, name)
        setattr(entry, name, value)
        lines.append(f"{label}: {before} → {_shown(entry, name)}")
    return "; ".join(lines)


def _correct_entry(entry, *, by, reason, seen_changed_at, confirm_locked, changes):
    _check_changes_its_own_entry(entry, by, seen_changed_at=seen_changed_at)
    if not reason.strip():
        raise ValidationError(_("Say why the entry is corrected."))
    changes = {name: value for name, value in changes.items() if getattr(entry, name) != value}
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    if "date" in changes:
        _check_dates(entry.beneficiary, changes["date"], referral=getattr(entry, "referral", None))
    locked = _check_locked_periods([entry.date, changes.get("date")], confirmed=confirm_locked)
    summary = _summary_of_changes(entry, changes)
    entry.changed_at = timezone.now()
    # Only what changed is checked: the rest was checked when the entry was logged.
    entry.full_clean(
        exclude=[field.name for field in entry._meta.fields if field.name not in changes],
        validate_constraints=False,
    )
    entry.save()
    return _entry_change(
        entry, EntryChangeKind.CORRECTED, by, reason, summary, locked, fields=changes
    )


def _void_entry(entry, *, by, reason, seen_changed_at, confirm_locked):
    _check_changes_its_own_entry(entry, by, seen_changed_at=seen_changed_at)
    if not reason.strip():
        raise ValidationError(_("Say why the entry is voided."))
    locked = _check_locked_periods([entry.date], confirmed=confirm_locked)
    entry.voided_at = entry.changed_at = timezone.now()
    entry.save(update_fields=["voided_at", "changed_at"])
    return _entry_change(entry, EntryChangeKind.VOIDED, by, reason, "", locked)


def _entry_change(entry, kind, by, reason, summary, locked, fields=()):
    is_assistance = isinstance(entry, Assistance)
    change = EntryChange.objects.create(
        beneficiary=entry.beneficiary,
        organisation=entry.organisation,
        assistance=entry if is_assistance else None,
        outcome=None if is_assistance else entry,
        kind=kind,
        reason=reason.strip(),
        summary=summary,
        locked_periods=locked,
        by=by,
    )
    # The audit row names the fields, never their values (as for an edited record).
    detail = f"{'assistance' if is_assistance else 'outcome'} {kind}"
    if fields:
        detail += ": " + ", ".join(sorted(fields))
    if locked:
        detail += f"; in locked period {locked}, flagged for restatement"
    record_audit(
        AuditAction.UPDATE, entry, by=by, organisation=entry.beneficiary.organisation, detail=detail
    )
    return change


def _locked_entry(model, entry):
    # Read again under a row lock: two corrections at once are made one after the other, and
    # the second sees the first (and is refused as stale).
    return model.with_voided.select_for_update().select_related("beneficiary").get(pk=entry.pk)


@transaction.atomic
def correct_assistance(
    assistance: Assistance,
    *,
    by: User,
    reason: str,
    seen_changed_at: datetime | None,
    confirm_locked: bool = False,
    **changes: object,
) -> EntryChange:
    """Correct a logged entry of assistance (service, date, quantity, unit, sub-project, note):
    the entry takes the new values, the figures follow, and the timeline shows what changed and
    why."""
    entry = _locked_entry(Assistance, assistance)
    return _correct_entry(
        entry,
        by=by,
        reason=reason,
        seen_changed_at=seen_changed_at,
        confirm_locked=confirm_locked,
        changes=changes,
    )


@transaction.atomic
def void_assistance(
    assistance: Assistance,
    *,
    by: User,
    reason: str,
    seen_changed_at: datetime | None,
    confirm_locked: bool = False,
) -> EntryChange:
    """Void an entry of assistance logged by mistake: it stays on the timeline, marked voided
    with its reason, and counts in no figure."""
    entry = _locked_entry(Assistance, assistance)
    return _void_entry(
        entry, by=by, reason=reason, seen_changed_at=seen_changed_at, confirm_locked=confirm_locked
    )


@transaction.atomic
def correct_outcome(
    outcome: Outcome,
    *,
    by: User,
    reason: str,
    seen_changed_at: datetime | None,
    confirm_locked: bool = False,
    **changes: object,
) -> EntryChange:
    """Correct a recorded outcome (kind, date, note), as for assistance."""
    entry = _locked_entry(Outcome, outcome)
    return _correct_entry(
        entry,
        by=by,
        reason=reason,
        seen_changed_at=seen_changed_at,
        confirm_locked=confirm_locked,
        changes=changes,
    )


@transaction.atomic
def void_outcome(
    outcome: Outcome,
    *,
    by: User,
    reason: str,
    seen_changed_at: datetime | None,
    confirm_locked: bool = False,
) -> EntryChange:
    entry = _locked_entry(Outcome, outcome)
    return _void_entry(
        entry, by=by, reason=reason, seen_changed_at=seen_changed_at, confirm_locked=confirm_locked
    )


# -- closing and reopening a case ------------------------------------------------------------------


def _locked_own_record(beneficiary, by):
    person = hold_person(beneficiary)
    refuse_erased(person)
    if by.organisation is None or person.organisation_id != by.organisation.pk:
        raise ValidationError(_("Only the organisation that owns the record closes or reopens it."))
    return person


def _check_case_date(person, on):
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if on < person.intake_date:
        raise ValidationError(_("The date cannot be before the intake date."))


@transaction.atomic
def close_case(
    beneficiary: Beneficiary, *, reason: str, on: date, by: User, note: str = ""
) -> CaseEvent:
    """Close the case on ``on`` for ``reason``: the retention period counts from that date."""
    person = _locked_own_record(beneficiary, by)
    if person.status in CLOSED_STATUSES:
        raise ValidationError(_("This case is already closed."))
    _check_case_date(person, on)
    person.status = Status.REINTEGRATED if reason == ClosureReason.REINTEGRATED else Status.CLOSED
    person.closed_on, person.closure_reason = on, reason
    # A new version: an edit form opened before the change is refused, not saved over it.
    person.version += 1
    person.save(update_fields=["status", "closed_on", "closure_reason", "updated_at", "version"])
    event = CaseEvent.objects.create(
        beneficiary=person,
        kind=CaseEventKind.CLOSED,
        on=on,
        closure_reason=reason,
        note=note.strip(),
        by=by,
    )
    record_audit(AuditAction.TRANSITION, person, by=by, detail=f"case closed ({reason})")
    _copy_state(person, beneficiary)
    return event


@transaction.atomic
def reopen_case(beneficiary: Beneficiary, *, reason: str, on: date, by: User) -> CaseEvent:
    """Reopen a closed case, saying why: it is active again and no longer counts towards
    retention."""
    person = _locked_own_record(beneficiary, by)
    if person.status not in CLOSED_STATUSES:
        raise ValidationError(_("This case is open."))
    if not reason.strip():
        raise ValidationError(_("Say why the case is reopened."))
    _check_case_date(person, on)
    if person.closed_on and on < person.closed_on:
        raise ValidationError(_("A case is reopened after the date it was closed."))
    person.status, person.closed_on, person.closure_reason = Status.ACTIVE, None, ""
    # A new version: an edit form opened before the change is refused, not saved over it.
    person.version += 1
    person.save(update_fields=["status", "closed_on", "closure_reason", "updated_at", "version"])
    event = CaseEvent.objects.create(
        beneficiary=person, kind=CaseEventKind.REOPENED, on=on, note=reason.strip(), by=by
    )
    record_audit(AuditAction.TRANSITION, person, by=by, detail="case reopened")
    _copy_state(person, beneficiary)
    return event


def _copy_state(source, target):
    for name in ("status", "closed_on", "closure_reason", "updated_at", "version"):
        setattr(target, name, getattr(source, name))


# -- the case plan: goals --------------------------------------------------------------------------


def _check_own_open_record(beneficiary, by):
    refuse_erased(beneficiary)
    if by.organisation is None or beneficiary.organisation_id != by.organisation.pk:
        raise ValidationError(_("Only the organisation that owns the record plans the case."))


@transaction.atomic
def add_goal(
    beneficiary: Beneficiary,
    *,
    by: User,
    goal_type: GoalType | None,
    title: str = "",
    starts_on: date | None = None,
    target_date: date | None = None,
) -> Goal:
    """Add a goal to the person's plan: one from the managed list, in words, or both."""
    _check_own_open_record(beneficiary, by)
    title = title.strip()
    if goal_type is None and not title:
        raise ValidationError(_("Pick a goal from the list or say it in words."))
    if starts_on and target_date and target_date < starts_on:
        raise ValidationError(_("The goal is aimed for after it starts."))
    goal = Goal.objects.create(
        beneficiary=beneficiary,
        organisation=beneficiary.organisation,
        goal_type=goal_type,
        title=title,
        starts_on=starts_on,
        target_date=target_date,
        created_by=by,
    )
    record_audit(
        AuditAction.CREATE,
        goal,
        by=by,
        detail=f"goal {goal_type.code if goal_type else 'in words'}",
    )
    return goal


@transaction.atomic
def set_goal_status(
    goal: Goal,
    *,
    status: str,
    by: User,
    on: date | None = None,
    record_outcome_too: bool = False,
) -> Outcome | None:
    """Move a goal to ``status``. Achieving it dates it (``on``, today by default) and, when
    asked and the goal's type names an outcome, records that outcome in the same step.
    Returns the outcome recorded, if any."""
    goal = (
        Goal.objects.select_for_update(of=("self",))
        .select_related("beneficiary", "goal_type")
        .get(pk=goal.pk)
    )
    _check_own_open_record(goal.beneficiary, by)
    if status == goal.status:
        raise ValidationError(_("The goal already has this status."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    goal.status = status
    goal.achieved_on = on if status == GoalStatus.ACHIEVED else None
    goal.save(update_fields=["status", "achieved_on", "updated_at"])
    record_audit(AuditAction.UPDATE, goal, by=by, detail=f"goal {status}")
    kind = goal.goal_type.outcome_kind if goal.goal_type else ""
    if status == GoalStatus.ACHIEVED and record_outcome_too and kind:
        return record_outcome(goal.beneficiary, kind=kind, on=on, by=by, note="")
    return None


# -- follow-up tasks -------------------------------------------------------------------------------


def _check_assignee(assignee, organisation):
    membership = getattr(assignee, "membership_or_none", None)
    if (
        membership is None
        or membership.organisation_id != organisation.pk
        or not assignee.is_active
        or not assignee.has_role_permission(Permission.RECORD_CASEWORK)
    ):
        raise ValidationError(_("Tasks go to a caseworker of your organisation."))


@transaction.atomic
def add_task(
    beneficiary: Beneficiary,
    *,
    by: User,
    title: str,
    due_date: date,
    assignee: User | None = None,
    goal: Goal | None = None,
) -> Task:
    """A follow-up step for the person, for one of the organisation's caseworkers (the author
    by default). Tasks are the organisation's own: a referral never shares them."""
    _check_own_open_record(beneficiary, by)
    assignee = assignee or by
    _check_assignee(assignee, beneficiary.organisation)
    if not title.strip():
        raise ValidationError(_("Say what is to be done."))
    if goal is not None and goal.beneficiary_id != beneficiary.pk:
        raise ValidationError(_("The goal is in another person's plan."))
    task = Task.objects.create(
        beneficiary=beneficiary,
        organisation=beneficiary.organisation,
        goal=goal,
        title=title.strip(),
        due_date=due_date,
        assignee=assignee,
        created_by=by,
    )
    record_audit(AuditAction.CREATE, task, by=by, detail="task")
    if assignee.pk != by.pk:
        notify_task_assigned(
            assignee,
            link=reverse("cases:beneficiary_detail", kwargs={"code": beneficiary.code}),
        )
    return task


@transaction.atomic
def complete_task(task: Task, *, by: User) -> Task:
    """Mark the task done. Done twice (a double click) is done once."""
    task = Task.objects.select_for_update().select_related("beneficiary").get(pk=task.pk)
    _check_own_open_record(task.beneficiary, by)
    if task.done_at is None:
        task.done_at, task.done_by = timezone.now(), by
        task.save(update_fields=["done_at", "done_by"])
        record_audit(AuditAction.UPDATE, task, by=by, detail="task done")
    return task


@transaction.atomic
def reopen_task(task: Task, *, by: User) -> Task:
    task = Task.objects.select_for_update().select_related("beneficiary").get(pk=task.pk)
    _check_own_open_record(task.beneficiary, by)
    if task.done_at is not None:
        task.done_at, task.done_by = None, None
        task.save(update_fields=["done_at", "done_by"])
        record_audit(AuditAction.UPDATE, task, by=by, detail="task not done")
    return task


# -- the notes journal -----------------------------------------------------------------------------


@transaction.atomic
def write_note(
    beneficiary: Beneficiary, *, by: User, text: str, on: date | None = None
) -> CaseNote:
    """Add a dated note to the person's journal (encrypted; nothing in it is ever edited)."""
    _check_own_open_record(beneficiary, by)
    text = text.strip()
    if not text:
        raise ValidationError(_("The note is empty."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    note = CaseNote.objects.create(
        beneficiary=beneficiary,
        organisation=beneficiary.organisation,
        written_on=on,
        text=text,
        author=by,
    )
    record_audit(AuditAction.CREATE, note, by=by, detail="note")
    return note


@transaction.atomic
def correct_note(note: CaseNote, *, by: User, text: str, reason: str) -> CaseNote:
    """Correct a note by a new entry that names it and says why; the earlier one stays,
    marked corrected. A note is corrected once; a later correction corrects the correction."""
    note = CaseNote.objects.select_for_update().select_related("beneficiary").get(pk=note.pk)
    _check_own_open_record(note.beneficiary, by)
    text, reason = text.strip(), reason.strip()
    if not text or not reason:
        raise ValidationError(_("Write the corrected note and say why."))
    if CaseNote.objects.filter(corrects=note).exists():
        raise ValidationError(
            _("This note was corrected already: correct the latest version of it.")
        )
    correction = CaseNote.objects.create(
        beneficiary=note.beneficiary,
        organisation=note.organisation,
        written_on=note.written_on,
        text=text,
        corrects=note,
        correction_reason=reason,
        author=by,
    )
    record_audit(AuditAction.UPDATE, correction, by=by, detail="note corrected")
    return correction


# -- transfers: a case moves to another organisation ----------------------------------------------
#
# Every step locks the person's row before the transfer's (request, accept, and erasure, which
# ends an open transfer), so two steps on one person wait for each other and never deadlock.


def _check_does_casework_for(organisation_id: int, by: User, message: str) -> None:
    if (
        by.organisation is None
        or by.organisation.pk != organisation_id
        or not by.has_role_permission(Permission.RECORD_CASEWORK)
    ):
        raise ValidationError(message)


def _refuse_open_referrals(person: Beneficiary) -> None:
    # Every organisation's referrals of her, not only those the actor's scope reaches: the
    # receiver of a transfer must not take over a case another partner is still working on.
    if Referral._base_manager.filter(
        beneficiary=person, status__in=OPEN_REFERRAL_STATUSES
    ).exists():
        raise ValidationError(
            _(
                "%(person)s has open referrals: complete or withdraw them before the case moves "
                "to another organisation."
            )
            % {"person": person.code}
        )


@transaction.atomic
def request_transfer(
    beneficiary: Beneficiary,
    *,
    to_organisation: Organisation,
    reason: str,
    consent: ConsentInStep,
    by: User,
) -> Transfer:
    """Ask a partner organisation to take over the person's case, recording her consent to the
    transfer (who gave it, how, when) in the same transaction: a refused request leaves no
    consent behind. The partner sees the minimal set of her record and the reason until it
    answers."""
    reason = reason.strip()
    person = Beneficiary._base_manager.select_for_update().get(pk=beneficiary.pk)
    refuse_erased(person)
    _check_does_casework_for(
        person.organisation_id,
        by,
        _("Only the organisation that has the case can ask for its transfer."),
    )
    if to_organisation.pk == person.organisation_id:
        raise ValidationError(_("Transfer to a partner organisation, not your own."))
    if person.status in CLOSED_STATUSES:
        raise ValidationError(_("This case is closed: reopen it before transferring it."))
    if not reason:
        raise ValidationError({"reason": _("Say why the case moves.")})
    _refuse_open_referrals(person)
    already_open = ValidationError(
        _("A transfer of %(person)s is already waiting for an answer.") % {"person": person.code}
    )
    if Transfer._base_manager.filter(beneficiary=person, status=TransferStatus.REQUESTED).exists():
        raise already_open
    _record_consent_in_step(
        person, consent, purpose=ConsentPurpose.TRANSFER, partner=to_organisation, by=by
    )
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                beneficiary=person,
                from_organisation_id=person.organisation_id,
                to_organisation=to_organisation,
                reason=reason,
                requested_by=by,
            )
    except IntegrityError as error:
        raise already_open from error
    record_audit(
        AuditAction.CREATE,
        transfer,
        by=by,
        detail=f"transfer requested to {to_organisation.slug}, transfer consent given",
    )
    notify_transfer_step(transfer, TransferStatus.REQUESTED)
    return transfer


def _locked_open_transfer(transfer: Transfer) -> Transfer:
    """The transfer's row, locked and read again; refused unless it still waits for an answer:
    of two answers at the same moment (accept twice, accept and withdraw) one goes through and
    the other is told what happened."""
    current = Transfer._base_manager.select_for_update().get(pk=transfer.pk)
    if current.status != TransferStatus.REQUESTED:
        raise ValidationError(
            _("Someone answered this transfer in the meantime: it is now %(status)s.")
            % {"status": current.get_status_display().lower()}
        )
    return current


def _answered(transfer: Transfer, status: str, *, by: User, **fields) -> Transfer:
    transfer.status = status
    transfer.answered_at = timezone.now()
    transfer.answered_by = by
    for name, value in fields.items():
        setattr(transfer, name, value)
    transfer.save()
    return transfer


@transaction.atomic
def accept_transfer(transfer: Transfer, *, by: User) -> Transfer:
    """The receiving organisation takes the case over.

    Her record becomes the receiver's, with her identity, consent log, notes journal, case
    plan (goals and tasks: open tasks of someone outside the receiver go to whoever accepts)
    and the documents her organisation kept. The help, outcomes, referrals and activities of
    the past keep the organisation that did them, so each organisation's figures keep its own
    work; the new-people figures keep her where she was taken in. Her code stays: the audit
    log, the access report and the figures' records know her by it. The sender keeps no access
    to her record."""
    person = Beneficiary._base_manager.select_for_update().get(pk=transfer.beneficiary_id)
    transfer = _locked_open_transfer(transfer)
    _check_does_casework_for(
        transfer.to_organisation_id,
        by,
        _("Only the organisation asked to take the case over can accept it."),
    )
    refuse_erased(person)
    if person.organisation_id != transfer.from_organisation_id:
        raise ValidationError(_("This case is no longer with the organisation that asked."))
    _refuse_open_referrals(person)
    if current_consent(person, ConsentPurpose.TRANSFER, transfer.to_organisation) != (
        ConsentAction.GIVEN
    ):
        raise ValidationError(
            _("The person's consent to this transfer was withdrawn: it cannot go ahead.")
        )
    sender, receiver = transfer.from_organisation, transfer.to_organisation
    moved = _move_case(person, sender=sender, receiver=receiver, by=by)
    person.organisation = receiver
    # An edit form opened at the sender before the transfer is refused as stale.
    person.version += 1
    person.save()
    # A local phone number reads with the country of the organisation that has her now.
    refresh_identity_digests(person)
    _answered(transfer, TransferStatus.ACCEPTED, by=by)
    counts = ", ".join(f"{kind} {count}" for kind, count in moved.items())
    record_audit(
        AuditAction.TRANSITION,
        transfer,
        by=by,
        detail=f"transfer accepted: {sender.slug} to {receiver.slug}",
    )
    record_audit(
        AuditAction.UPDATE,
        person,
        by=by,
        organisation=receiver,
        detail=f"case transferred in from {sender.slug} ({counts})",
    )
    notify_transfer_step(transfer, TransferStatus.ACCEPTED)
    return transfer


def _move_case(person: Beneficiary, *, sender, receiver, by: User) -> dict[str, int]:
    """Give the receiver what goes with her: the sender's plan, tasks, notes and documents.
    Plain managers: the rows belong to the sender, outside the receiver's scope."""
    own = {"beneficiary": person, "organisation": sender}
    reassigned = (
        Task._base_manager.filter(**own, done_at__isnull=True)
        .exclude(assignee__membership__organisation=receiver)
        .update(assignee=by)
    )
    return {
        "goals": Goal._base_manager.filter(**own).update(organisation=receiver),
        "tasks": Task._base_manager.filter(**own).update(organisation=receiver),
        "tasks reassigned": reassigned,
        "notes": CaseNote._base_manager.filter(**own).update(organisation=receiver),
        "documents": Document._base_manager.filter(**own).update(organisation=receiver),
    }


@transaction.atomic
def decline_transfer(transfer: Transfer, *, reason: str, by: User) -> Transfer:
    """The organisation asked says no, and why: the case stays where it is."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the transfer is declined."))
    Beneficiary._base_manager.select_for_update().get(pk=transfer.beneficiary_id)
    transfer = _locked_open_transfer(transfer)
    _check_does_casework_for(
        transfer.to_organisation_id,
        by,
        _("Only the organisation asked to take the case over can decline it."),
    )
    _answered(transfer, TransferStatus.DECLINED, by=by, decline_reason=reason)
    record_audit(AuditAction.TRANSITION, transfer, by=by, detail="transfer declined")
    notify_transfer_step(transfer, TransferStatus.DECLINED)
    return transfer


@transaction.atomic
def withdraw_transfer(transfer: Transfer, *, by: User) -> Transfer:
    """The organisation that asked takes the request back before it is answered."""
    Beneficiary._base_manager.select_for_update().get(pk=transfer.beneficiary_id)
    transfer = _locked_open_transfer(transfer)
    _check_does_casework_for(
        transfer.from_organisation_id,
        by,
        _("Only the organisation that asked for the transfer can withdraw it."),
    )
    _answered(transfer, TransferStatus.WITHDRAWN, by=by)
    record_audit(AuditAction.TRANSITION, transfer, by=by, detail="transfer withdrawn")
    notify_transfer_step(transfer, TransferStatus.WITHDRAWN)
    return transfer
