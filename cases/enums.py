"""Vocabularies of casework. Where it fits, the wording follows the IOM Human Trafficking Case
Data Standard (HTCDS): type of exploitation, recruiter relationship, countries of recruitment and
exploitation."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_countries import Countries


class Category(models.TextChoices):
    VICTIM_OF_TRAFFICKING = "victim_of_trafficking", _("Victim of trafficking")
    EXITING_PROSTITUTION = "exiting_prostitution", _("Exiting prostitution")
    VULNERABLE_BACKGROUND = "vulnerable_background", _("From a vulnerable background")
    REFUGEE = "refugee", _("Refugee")
    CHILD_OR_TEENAGER = "child_or_teenager", _("Child or teenager")
    CARETAKER = "caretaker", _("Parent or caretaker")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class IntakeSource(models.TextChoices):
    OUTREACH = "outreach", _("Outreach")
    POLICE = "police", _("Police or prosecution")
    REFERRAL = "referral", _("Referral by an organisation")
    SELF = "self", _("Came on their own")
    HOTLINE = "hotline", _("Hotline")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    REINTEGRATED = "reintegrated", _("Reintegrated")


class ClosureReason(models.TextChoices):
    """Why a case was closed."""

    REINTEGRATED = "reintegrated", _("Reintegrated")
    MOVED_ABROAD = "moved_abroad", _("Moved abroad")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    TRANSFERRED = "transferred", _("Transferred to another organisation")
    DIED = "died", _("Died")
    OTHER = "other", _("Other")


class CaseEventKind(models.TextChoices):
    CLOSED = "closed", _("Case closed")
    REOPENED = "reopened", _("Case reopened")


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


# Goals still being worked on: shown first on the plan, their tasks on the person's page.
OPEN_GOAL_STATUSES = (GoalStatus.PLANNED, GoalStatus.IN_PROGRESS)


class EntryChangeKind(models.TextChoices):
    CORRECTED = "corrected", _("Corrected")
    VOIDED = "voided", _("Voided")


# A record in one of these statuses is no longer worked on: RECORD_RETENTION_YEARS after its last
# activity it is anonymised (the retention list of the data protection officer).
CLOSED_STATUSES = (Status.CLOSED, Status.REINTEGRATED)


class ErasureGround(models.TextChoices):
    """Why a record was erased, for the audit log (GDPR article 17(1))."""

    REQUEST = "request", _("The person asked for their data to be erased")
    CONSENT_WITHDRAWN = (
        "consent_withdrawn",
        _("The person withdrew their consent and no other ground allows keeping their data"),
    )
    NO_LONGER_NEEDED = (
        "no_longer_needed",
        _("The data is no longer needed for the person's support"),
    )
    RETENTION = "retention", _("The retention period of the closed record is over")


class ExploitationType(models.TextChoices):
    # HTCDS "type of exploitation"
    SEXUAL = "sexual", _("Sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminality")
    BEGGING = "begging", _("Forced begging")
    DOMESTIC_SERVITUDE = "domestic_servitude", _("Domestic servitude")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    OTHER = "other", _("Other exploitation")


class RecruiterRelation(models.TextChoices):
    # HTCDS "recruiter relationship"; the reports' "loverboy" is an intimate partner
    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner (“loverboy”)")
    FAMILY = "family", _("Family member")
    FRIEND = "friend", _("Friend or acquaintance")
    EMPLOYER = "employer", _("Employer or job offer")
    STRANGER = "stranger", _("Stranger")
    UNKNOWN = "unknown", _("Not known")


class ConsentPurpose(models.TextChoices):
    PROCESSING = "processing", _("Processing by the owning organisation")
    SHARING = "sharing", _("Sharing with a partner organisation")
    PUBLICATION = "publication", _("Anonymised story in publications")
    TRANSFER = "transfer", _("Transfer of the case to another organisation")


# Consent for these purposes names the partner organisation it is given for.
PURPOSES_NAMING_A_PARTNER = (ConsentPurpose.SHARING, ConsentPurpose.TRANSFER)


class ConsentAction(models.TextChoices):
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentGiver(models.TextChoices):
    """Who gave (or withdrew) the consent."""

    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("A legal guardian or parent")
    REPRESENTATIVE = "representative", _("A legal representative")


class ConsentMethod(models.TextChoices):
    """How the consent was given: the evidence the organisation keeps."""

    SIGNED_FORM = "signed_form", _("Signed consent form")
    ORALLY = "orally", _("Orally, noted by the caseworker")
    IN_WRITING = "in_writing", _("In writing (message, e-mail)")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REFERRAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class TransferStatus(models.TextChoices):
    """A case's transfer to another organisation: asked by the organisation that has it,
    answered by the one asked."""

    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Referrals that were taken on: what the reports count as referral cases.
TAKEN_ON_REFERRAL_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)


class OutcomeKind(models.TextChoices):
    EXITED_PROSTITUTION = "exited_prostitution", _("Exited prostitution")
    REINTEGRATED = "reintegrated", _("Reintegrated")
    EMPLOYED = "employed", _("Employed")
    EARNING_FROM_ATELIER = "earning_from_atelier", _("Earning an income from the sewing atelier")
    RETURNED_TO_ORIGIN = "returned_to_origin", _("Returned to country of origin")
    REPORTED_TO_POLICE = "reported_to_police", _("Reported to police")
    CRIMINAL_CASE_OPENED = "criminal_case_opened", _("Criminal case opened")
    CASE_COMPLETED = "case_completed", _("Case completed")


class Unit(models.TextChoices):
    NIGHTS = "nights", _("nights")
    HOURS = "hours", _("hours")
    SESSIONS = "sessions", _("sessions")
    ITEMS = "items", _("items")
    EUR = "eur", _("EUR")
    RON = "ron", _("RON")


# How an amount of each unit reads: "1 night", "14 nights".
AMOUNT_OF_UNIT = {
    Unit.NIGHTS: ngettext_lazy("%(amount)s night", "%(amount)s nights", "count"),
    Unit.HOURS: ngettext_lazy("%(amount)s hour", "%(amount)s hours", "count"),
    Unit.SESSIONS: ngettext_lazy("%(amount)s session", "%(amount)s sessions", "count"),
    Unit.ITEMS: ngettext_lazy("%(amount)s item", "%(amount)s items", "count"),
    Unit.EUR: ngettext_lazy("%(amount)s EUR", "%(amount)s EUR", "count"),
    Unit.RON: ngettext_lazy("%(amount)s RON", "%(amount)s RON", "count"),
}


# Two codes ISO 3166 leaves to its users: a country that is not known, and one not on the list.
COUNTRY_NOT_KNOWN = "XX"
COUNTRY_OTHER = "ZZ"


class CaseCountries(Countries):
    """The full ISO 3166 list (django-countries, names in the interface language): the refugee
    and Dutch caseloads come from Syria, Afghanistan, Eritrea, Nigeria, Albania, Vietnam as
    much as from Romania. "Not known" is kept apart from "another country"."""

    override = {
        COUNTRY_NOT_KNOWN: _("Not known"),
        COUNTRY_OTHER: _("Another country (not on the list)"),
    }
    first = [COUNTRY_NOT_KNOWN, COUNTRY_OTHER]


def country_choices():
    """(code, name) of every country in the active language, in its alphabetical order."""
    return [(country.code, country.name) for country in CaseCountries()]


def country_name(code: str) -> str:
    return CaseCountries().name(code) or code


class IdentityKind(models.TextChoices):
    """What a blind-index digest (cases.identity_index) was made of."""

    LEGAL_NAME = "legal_name", _("legal name")
    NAME_AND_BIRTH = "name_and_birth", _("legal name and date of birth")
    PHONE = "phone", _("phone")
    DOCUMENT = "document", _("document number")


# The digests that say "this may be the same person" (a legal name alone is too common: it is
# only searched for, within the organisation).
DUPLICATE_KINDS = (IdentityKind.NAME_AND_BIRTH, IdentityKind.PHONE, IdentityKind.DOCUMENT)
