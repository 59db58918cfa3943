"""Records of processing (GDPR article 30), generated from the installed models.

``ACTIVITIES`` are the processing activities: whose data, why, on what legal basis, who sees it,
for how long, and which tables with which personal fields. ``NO_PERSONAL_DATA`` lists every
other table with the reason. The data protection officer's page
walks the installed models through both; tests/accounts/test_records_of_processing.py fails when
a table is in neither, or when a table has a field that is personal by its type (encrypted, an
e-mail or IP address, a link to a person or a user) that its entry does not name.

The purposes, bases and periods are the partnership's declarations: review them with your data
protection officer before relying on them.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from nextsteps.fields import EncryptedTextField

BENEFICIARY_MODEL = "cases.beneficiary"


@dataclass(frozen=True)
class ProcessingActivity:
    """One processing activity in the sense of article 30, and the tables it uses."""

    name: str
    subjects: str
    purpose: str
    legal_basis: str
    recipients: str
    retention: str
    # table label -> its personal fields
    tables: dict[str, tuple[str, ...]]


PEOPLE_ASSISTED = _("People assisted")
STAFF = _("Staff of the partnership")
STAFF_BASIS = _(
    "The person's work for the partnership (art. 6(1)(b)) and the legitimate interest and duty "
    "to keep the records secure and accountable (art. 6(1)(f), 32)."
)
IDLE_MINUTES = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
ABSOLUTE_HOURS = int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() // 3600)

ACTIVITIES = [
    ProcessingActivity(
        name=_("Casework"),
        subjects=PEOPLE_ASSISTED,
        purpose=_(
            "Assisting the person (shelter, counselling, legal and social help), referring the "
            "person to a partner with their consent, and counting that help, without identities, "
            "in the programme's reports."
        ),
        legal_basis=_(
            "Consent of the person (art. 6(1)(a), 9(2)(a)), recorded in the consent log; the "
            "person's vital interests when they cannot consent (art. 6(1)(d), 9(2)(c)). Details "
            "of exploitation concern criminal offences (art. 10) and are kept for the person's "
            "support only."
        ),
        recipients=_(
            "Caseworkers and admins of the organisation that holds the record; a partner "
            "organisation only through a referral it accepted, with the person's consent to "
            "share. A partner the person consented to transfer the case to takes the whole "
            "record over once it accepts. Coordinators see counts, never identities."
        ),
        retention=format_lazy(
            _(
                "Until the person asks for erasure (art. 17), or {years} years after the last "
                "activity on a closed case (the data protection officer's retention list). "
                "Either way the record is anonymised, not deleted: identity, alias, nationality, "
                "notes, exploitation details, every free text about the person and the consent "
                "log "
                "are removed; an anonymous stub keeps category, sex, birth year, location, "
                "intake date and status, and the dated assistance, referrals, outcomes and "
                "activities the programme's figures count. Partners that received the person "
                "by referral lose access at once and are told to delete their copies (art. 19). "
                "The audit log keeps its rows, which name the record by its code only."
            ),
            years=settings.RECORD_RETENTION_YEARS,
        ),
        tables={
            BENEFICIARY_MODEL: (
                "alias", "category", "sex", "birth_year", "nationality", "location",
                "intake_date", "intake_source", "status", "safety_flag", "safety_reason",
                "dependants", "exploitation_types", "recruiter_relation",
                "country_of_recruitment", "countries_of_exploitation", "legal_name",
                "date_of_birth", "phone", "address", "document_numbers", "created_by",
                "closed_on", "closure_reason",
            ),
            "cases.consentevent": (
                "beneficiary", "purpose", "partner", "action", "date", "given_by", "method",
                "recorded_by",
            ),
            # What the partner sees is chosen per referral; the safe contact is erased when
            # the referral ends or her consent to share is withdrawn.
            "cases.referral": (
                "beneficiary", "message", "decline_reason", "sent_by", "shared_fields",
                "safe_phone", "meeting_point", "contact_person", "best_times",
            ),
            "cases.referralevent": ("referral", "reason", "by"),
            "cases.assistance": (
                "beneficiary", "service_type", "date", "quantity", "note", "recorded_by",
            ),
            "cases.outcome": ("beneficiary", "kind", "date", "note", "recorded_by"),
            # Corrections and voids of her assistance and outcomes, with their reasons.
            "cases.entrychange": ("beneficiary", "reason", "summary", "by"),
            # Her case plan, the organisation's tasks about her and its notes journal.
            "cases.goal": ("beneficiary", "goal_type", "title", "status", "created_by"),
            "cases.task": ("beneficiary", "title", "due_date", "assignee", "created_by", "done_by"),
            "cases.casenote": ("beneficiary", "text", "correction_reason", "author"),
            # Her case closed (why, when) and reopened (why).
            "cases.caseevent": ("beneficiary", "kind", "on", "closure_reason", "note", "by"),
            "pillars.activityparticipation": ("activity", "beneficiary"),
            # Her assistance summed per year and month for the figures (pillars.facts): kept
            # by database triggers in step with her assistance, so it goes with it.
            "pillars.assistancefact": (
                "beneficiary", "year", "category", "location", "organisation", "sub_project",
            ),
            # Her documents: the files are encrypted in the documents storage, removed with her
            # erasure; a partner sees one only through a referral that shares it.
            "documents.document": (
                "beneficiary", "referral", "shared_on", "kind", "title", "content_type", "size",
                "stored_as", "uploaded_by", "uploaded_at",
            ),
            # Exports too long for a request, built in the background: what was asked for (the
            # list's filters, encrypted: a search may name her) and the file, encrypted in the
            # documents storage, deleted when the link expires.
            "exports.exportjob": (
                "requested_by", "parameters", "stored_as", "size", "created_at", "ip_address",
                "request_id",
            ),
            # A transfer of her case to another organisation, with why and who answered.
            "cases.transfer": (
                "beneficiary", "reason", "decline_reason", "requested_by", "answered_by",
            ),
            # Keyed digests (HMAC under BLIND_INDEX_KEY) of her normalised legal name, date of
            # birth, phone and document numbers: pseudonymous data that finds her duplicates and
            # answers identity searches; removed with her erasure.
            "cases.identitydigest": ("beneficiary", "kind", "digest"),
            # The code of a record merged into another of hers, and who merged it: the code
            # leads her organisation to the record that stayed (pseudonymous, no identity).
            "cases.mergedrecord": ("code", "survivor", "merged_at", "merged_by"),
            # Which partner was told that which erased record is gone, and who noted it.
            "cases.erasurenotice": ("beneficiary", "created_at", "acknowledged_by"),
            # The organisation's own reference of a person (or help) in its old spreadsheet,
            # so that importing it again adds nothing; kept after erasure, so that an old file
            # imported again does not bring an erased person back.
            "imports.importedrecord": ("reference", "object_id"),
        },
    ),
    ProcessingActivity(
        name=_("Volunteers"),
        subjects=_("Volunteers"),
        purpose=_("Counting the partnership's volunteers and their activities in the reports."),
        legal_basis=_("The volunteer's agreement with the organisation (art. 6(1)(b))."),
        recipients=_("Coordinators of the partnership and of the volunteer's organisation."),
        retention=_("For the programme's reporting period, then deleted or anonymised."),
        tables={"pillars.volunteer": ("name", "location", "active_from", "active_until")},
    ),
    ProcessingActivity(
        name=_("Programme records"),
        subjects=STAFF,
        purpose=_(
            "Accountability for the programme's records: who recorded an activity, an expense, "
            "a result or a remark, who locked a period, what a site admin changed."
        ),
        legal_basis=STAFF_BASIS,
        recipients=_("Coordinators; site admins for the admin site's history."),
        retention=_("As long as the record they belong to."),
        tables={
            "pillars.activity": ("recorded_by", "volunteers", "beneficiaries", "description"),
            "pillars.period": ("locked_by",),
            "pillars.restatement": ("restated_by", "reason"),
            "pillars.remark": ("updated_by", "text"),
            "pillars.resultentry": ("entered_by", "reason"),
            "pillars.expense": ("recorded_by", "description"),
            "admin.logentry": ("user", "object_repr", "change_message", "action_time"),
        },
    ),
    ProcessingActivity(
        name=_("Staff accounts"),
        subjects=STAFF,
        purpose=_("Logging in, and the organisation and role that decide what a user may see."),
        legal_basis=STAFF_BASIS,
        recipients=_("The user; their organisation's admins; the site admins."),
        retention=_(
            "While the account exists; an account is disabled, not deleted, while audit rows "
            "name it."
        ),
        tables={
            "accounts.user": (
                "email", "display_name", "password", "last_login", "date_joined", "is_active",
            ),
            "accounts.membership": ("user", "organisation", "role"),
            # What the bell tells a member (no personal data of the people assisted: the text
            # comes from the kind) and whether she wants it by e-mail too.
            "notifications.notification": (
                "recipient", "kind", "referral", "created_at", "read_at",
            ),
            "notifications.notificationpreference": ("user", "by_email"),
        },
    ),
    ProcessingActivity(
        name=_("Audit log"),
        subjects=STAFF,
        purpose=_(
            "Accountability and security (art. 5(2), 32): who looked at, changed or exported "
            "which record (by its code), when and from which address."
        ),
        legal_basis=STAFF_BASIS,
        recipients=_("The data protection officer."),
        retention=_(
            "Append-only evidence; no automatic deletion in this version. Erasing a person "
            "does not remove her record's rows: they hold its code, never her identity."
        ),
        tables={
            "accounts.auditevent": (
                "actor", "occurred_at", "object_reference", "detail", "ip_address", "request_id",
            ),
        },
    ),
    ProcessingActivity(
        name=_("Login security"),
        subjects=STAFF,
        purpose=_(
            "Sessions, two-factor login, and slowing down password guessing (failed logins are "
            "counted per keyed hash of the typed address, never the text)."
        ),
        legal_basis=STAFF_BASIS,
        recipients=_("Nobody in the app; the server's administrators."),
        retention=format_lazy(
            _(
                "Sessions: until logout, {idle} minutes idle or {hours} hours after login "
                "(manage.py clearsessions removes expired rows). Two-factor devices: until "
                "replaced or reset. Failed logins: until the cool-off has passed. Axes' access "
                "logs are switched off."
            ),
            idle=IDLE_MINUTES,
            hours=ABSOLUTE_HOURS,
        ),
        tables={
            "sessions.session": ("session_key", "session_data"),
            # The authenticator secret is encrypted, backup codes are salted hashes. django-otp's
            # own tables (otp_totp, otp_static) stay installed for their migrations but empty.
            "accounts.authenticatordevice": ("user", "key", "last_used_at"),
            "accounts.backupcodedevice": ("user", "last_used_at"),
            "accounts.backupcode": ("device", "code_hash"),
            "otp_totp.totpdevice": ("user", "key", "last_used_at"),
            "otp_static.staticdevice": ("user", "last_used_at"),
            "otp_static.statictoken": ("device", "token"),
            "axes.accessattempt": (
                "username", "ip_address", "user_agent", "get_data", "post_data",
            ),
            "axes.accesslog": ("username", "ip_address", "user_agent"),
            "axes.accessfailurelog": ("username", "ip_address", "user_agent"),
            # The one-time tokens of saved create forms (a double click saves once).
            "accounts.submittedform": ("user", "submitted_at"),
        },
    ),
]  # fmt: skip

# table label -> its personal fields, over all activities
PROCESSING = {label: fields for activity in ACTIVITIES for label, fields in activity.tables.items()}

NO_PERSONAL_DATA = {
    "auth.permission": _("Django's permission names."),
    "auth.group": _("Django's permission groups."),
    "contenttypes.contenttype": _("Django's list of tables."),
    "axes.accessattemptexpiration": _("Expiry times of throttling rows."),
    "accounts.organisation": _("The partner organisations."),
    "django_rq.dashboard": _("No table: the job queue's page, switched off."),
    "nextsteps.encryptioncanary": _("A fixed test value that tells the encryption keys work."),
    "cases.servicetype": _("The list of kinds of help."),
    "cases.codesequence": _("Counters for record codes."),
    "cases.goaltype": _("The list of kinds of goals in a case plan."),
    "pillars.programme": _("The programme."),
    "pillars.reportlayout": _("How reports print."),
    "pillars.pillar": _("The programme's pillars."),
    "pillars.subproject": _("Sub-projects."),
    "pillars.location": _("Places of work."),
    "pillars.dataversion": _("A counter of changes to the records the figures count."),
    "pillars.safetynet": _("Support groups (no member list)."),
    "pillars.indicator": _("Indicators."),
    "pillars.reportsection": _("How reports print."),
    "pillars.reportrow": _("How reports print."),
    "pillars.target": _("Targets."),
    "pillars.frozenresult": _("Figures of locked periods."),
    "pillars.frozenspending": _("Spending published for locked periods."),
    "pillars.frozendashboard": _("Figures of locked periods."),
    "pillars.budgetgroup": _("The budget."),
    "pillars.budgetline": _("The budget."),
}


@dataclass(frozen=True)
class StoredField:
    name: str
    verbose_name: str
    encrypted: bool


@dataclass(frozen=True)
class StoredTable:
    label: str
    verbose_name: str
    fields: list[StoredField]


@dataclass(frozen=True)
class RegisterEntry:
    activity: ProcessingActivity
    tables: list[StoredTable]


def register() -> list[RegisterEntry]:
    """The records of processing: each activity with its tables and their personal fields,
    read from the installed models."""
    return [
        RegisterEntry(
            activity=activity,
            tables=[_stored_table(apps.get_model(label), fields)
                    for label, fields in activity.tables.items()],
        )
        for activity in ACTIVITIES
    ]  # fmt: skip


def unclassified_models() -> list[str]:
    return sorted(
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.label_lower not in PROCESSING
        and model._meta.label_lower not in NO_PERSONAL_DATA
    )


# Encrypted, yet no one's data: a fixed value that tells the keys work (nextsteps.health).
ENCRYPTED_WITHOUT_PERSONAL_DATA = {"nextsteps.encryptioncanary"}


def personal_by_type(model) -> set[str]:
    """The fields of ``model`` that hold personal data whatever the table: encrypted text,
    e-mail and IP addresses, links to a person assisted or to a user."""
    personal_targets = {BENEFICIARY_MODEL, settings.AUTH_USER_MODEL.lower()}
    personal_types = (models.EmailField, models.GenericIPAddressField)
    if model._meta.label_lower not in ENCRYPTED_WITHOUT_PERSONAL_DATA:
        personal_types += (EncryptedTextField,)
    found = set()
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations belong to the other table
        links_to_a_person = field.is_relation and _label(field.related_model) in personal_targets
        if isinstance(field, personal_types) or links_to_a_person:
            found.add(field.name)
    return found


def _label(model):
    if isinstance(model, str):  # a relation not resolved yet ("accounts.User")
        return model.lower()
    return model._meta.label_lower if model is not None else None


def _stored_table(model, names):
    return StoredTable(
        label=model._meta.label_lower,
        verbose_name=str(model._meta.verbose_name),
        fields=[_stored_field(model._meta.get_field(name)) for name in names],
    )


def _stored_field(field):
    return StoredField(
        name=field.name,
        verbose_name=str(getattr(field, "verbose_name", field.name)),
        encrypted=isinstance(field, EncryptedTextField),
    )
