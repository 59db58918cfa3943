"""Records of processing (GDPR article 30), generated from the installed models.

``PROCESSING`` says, for every table that holds personal data, whose data it is, why it is kept,
on what legal basis, who sees it and for how long, and names its personal fields.
``NO_PERSONAL_DATA`` lists every other table with the reason. The data protection officer's page
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
class Processing:
    subjects: str
    purpose: str
    legal_basis: str
    recipients: str
    retention: str
    fields: tuple[str, ...]


# Whose data
PEOPLE_ASSISTED = _("People assisted")
STAFF = _("Staff of the partnership")
VOLUNTEERS = _("Volunteers")
SUBJECT_ORDER = [PEOPLE_ASSISTED, VOLUNTEERS, STAFF]

# Shared declarations
CASEWORK_BASIS = _(
    "Consent of the person (art. 6(1)(a), 9(2)(a)), recorded in the consent log; her vital "
    "interests when she cannot consent (art. 6(1)(d), 9(2)(c)). Details of exploitation concern "
    "criminal offences (art. 10) and are kept for her support only."
)
CASEWORK_RECIPIENTS = _(
    "Caseworkers and admins of the organisation that holds the record; a partner organisation "
    "only through a referral it accepted, with her consent to share. Coordinators see counts, "
    "never identities."
)
CASE_RETENTION = format_lazy(
    _(
        "With the person's record: {years} years after the case is closed, then anonymised "
        "(identity, notes and free text removed; the figures stay)."
    ),
    years=settings.RECORD_RETENTION_YEARS,
)
STAFF_BASIS = _(
    "The person's work for the partnership (art. 6(1)(b)) and the legitimate interest and duty "
    "to keep the records secure and accountable (art. 6(1)(f), 32)."
)
ACCOUNTABILITY_PURPOSE = _("Accountability: who recorded or changed what.")
ACCOUNT_RETENTION = _(
    "While the account exists; an account is disabled, not deleted, while audit rows name it."
)
SECURITY_RECIPIENTS = _("Nobody in the app; the server's administrators.")


def _casework(purpose, *fields):
    return Processing(
        PEOPLE_ASSISTED, purpose, CASEWORK_BASIS, CASEWORK_RECIPIENTS, CASE_RETENTION, fields
    )


def _recorded_by(recipients, *fields):
    return Processing(
        STAFF, ACCOUNTABILITY_PURPOSE, STAFF_BASIS, recipients, ACCOUNT_RETENTION, fields
    )


def _security(purpose, retention, *fields):
    return Processing(STAFF, purpose, STAFF_BASIS, SECURITY_RECIPIENTS, retention, fields)


PLAN_EDITORS = _("Coordinators of the partnership and of the organisation concerned.")

PROCESSING = {
    # People assisted
    "cases.beneficiary": _casework(
        _(
            "Assisting the person (shelter, counselling, legal and social help, referral) and "
            "counting that help, without identities, in the programme's reports."
        ),
        "alias",
        "category",
        "sex",
        "birth_year",
        "nationality",
        "location",
        "intake_date",
        "intake_source",
        "status",
        "safety_flag",
        "safety_reason",
        "dependants",
        "exploitation_types",
        "recruiter_relation",
        "country_of_recruitment",
        "countries_of_exploitation",
        "legal_name",
        "date_of_birth",
        "phone",
        "address",
        "document_numbers",
        "notes",
        "created_by",
    ),
    "cases.consentevent": _casework(
        _("Proof of the person's consent to each use of her data and to each sharing."),
        "beneficiary",
        "purpose",
        "partner",
        "action",
        "date",
        "recorded_by",
    ),
    "cases.referral": _casework(
        _("Referring the person to a partner organisation, with her consent."),
        "beneficiary",
        "message",
        "decline_reason",
        "sent_by",
    ),
    "cases.referralevent": _casework(
        _("The history of a referral: who accepted, declined or closed it, and why."),
        "referral",
        "reason",
        "by",
    ),
    "cases.assistance": _casework(
        _("The help given to the person, and its count in the reports."),
        "beneficiary",
        "service_type",
        "date",
        "quantity",
        "note",
        "recorded_by",
    ),
    "cases.outcome": _casework(
        _("Milestones of the person's way out (reintegration, work, case completed)."),
        "beneficiary",
        "kind",
        "date",
        "note",
        "recorded_by",
    ),
    "pillars.activityparticipation": _casework(
        _("Which registered people took part in a group activity, for the reports' counts."),
        "activity",
        "beneficiary",
    ),
    # Volunteers
    "pillars.volunteer": Processing(
        VOLUNTEERS,
        _("Counting the partnership's volunteers and their activities in the reports."),
        _("The volunteer's agreement with the organisation (art. 6(1)(b))."),
        PLAN_EDITORS,
        _("For the programme's reporting period, then deleted or anonymised."),
        ("name", "location", "active_from", "active_until"),
    ),
    # Staff: accounts and accountability
    "accounts.user": Processing(
        STAFF,
        _("Logging in, roles, and naming who did what in the audit log."),
        STAFF_BASIS,
        _("The user; her organisation's admins; the site admins."),
        ACCOUNT_RETENTION,
        ("email", "display_name", "password", "last_login", "date_joined", "is_active"),
    ),
    "accounts.membership": Processing(
        STAFF,
        _("The user's organisation and role, which decide what she may see."),
        STAFF_BASIS,
        _("The user; her organisation's admins; the site admins."),
        ACCOUNT_RETENTION,
        ("user", "organisation", "role"),
    ),
    "accounts.auditevent": Processing(
        STAFF,
        _(
            "Accountability and security (art. 5(2), 32): who looked at, changed or exported "
            "which record (by its code), when and from which address."
        ),
        STAFF_BASIS,
        _("The data protection officer."),
        _("Append-only evidence; no automatic deletion in this version."),
        ("actor", "occurred_at", "object_reference", "detail", "ip_address", "request_id"),
    ),
    "admin.logentry": _recorded_by(
        _("Site admins."), "user", "object_repr", "change_message", "action_time"
    ),
    "pillars.activity": Processing(
        STAFF,
        _("Group activities of the programme, who recorded them and who took part."),
        STAFF_BASIS,
        PLAN_EDITORS,
        ACCOUNT_RETENTION,
        ("recorded_by", "volunteers", "beneficiaries", "description"),
    ),
    "pillars.period": _recorded_by(PLAN_EDITORS, "locked_by"),
    "pillars.remark": _recorded_by(PLAN_EDITORS, "updated_by", "text"),
    "pillars.resultentry": _recorded_by(PLAN_EDITORS, "entered_by", "reason"),
    "pillars.expense": _recorded_by(PLAN_EDITORS, "recorded_by", "description"),
    # Staff: login security
    "sessions.session": _security(
        _("Keeping a user logged in."),
        format_lazy(
            _(
                "Until logout, {idle} minutes without activity or {hours} hours after login; "
                "expired rows are removed by `manage.py clearsessions`."
            ),
            idle=int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60),
            hours=int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() // 3600),
        ),
        "session_key",
        "session_data",
    ),
    "otp_totp.totpdevice": _security(
        _("Two-factor login with an authenticator app."),
        _("Until the user sets up a new phone or an admin resets her two-factor login."),
        "user",
        "key",
        "last_used_at",
    ),
    "otp_static.staticdevice": _security(
        _("Two-factor login with single-use backup codes."),
        _("Until the user sets up a new phone or an admin resets her two-factor login."),
        "user",
        "last_used_at",
    ),
    "otp_static.statictoken": _security(
        _("The unused backup codes."),
        _("Until used, replaced or reset."),
        "device",
        "token",
    ),
    "axes.accessattempt": _security(
        _(
            "Slowing down password guessing: failed logins per account (a keyed hash of the "
            "typed address, never the text) and address."
        ),
        _("Removed at the account's next login, or once the cool-off has passed."),
        "username",
        "ip_address",
        "user_agent",
        "get_data",
        "post_data",
    ),
    "axes.accesslog": _security(
        _("Not used: the audit log records logins (AXES_DISABLE_ACCESS_LOG)."),
        _("Empty."),
        "username",
        "ip_address",
        "user_agent",
    ),
    "axes.accessfailurelog": _security(
        _("Not used (AXES_ENABLE_ACCESS_FAILURE_LOG is off)."),
        _("Empty."),
        "username",
        "ip_address",
        "user_agent",
    ),
}

NO_PERSONAL_DATA = {
    "auth.permission": _("Django's permission names."),
    "auth.group": _("Django's permission groups."),
    "contenttypes.contenttype": _("Django's list of tables."),
    "axes.accessattemptexpiration": _("Expiry times of throttling rows."),
    "accounts.organisation": _("The partner organisations."),
    "cases.servicetype": _("The list of kinds of help."),
    "cases.codesequence": _("Counters for record codes."),
    "pillars.programme": _("The programme."),
    "pillars.reportlayout": _("How reports print."),
    "pillars.pillar": _("The programme's pillars."),
    "pillars.subproject": _("Sub-projects."),
    "pillars.location": _("Places of work."),
    "pillars.safetynet": _("Support groups (no member list)."),
    "pillars.indicator": _("Indicators."),
    "pillars.reportsection": _("How reports print."),
    "pillars.reportrow": _("How reports print."),
    "pillars.target": _("Targets."),
    "pillars.frozenresult": _("Figures of locked periods."),
    "pillars.budgetgroup": _("The budget."),
    "pillars.budgetline": _("The budget."),
}


@dataclass(frozen=True)
class StoredField:
    name: str
    verbose_name: str
    encrypted: bool


@dataclass(frozen=True)
class RegisterEntry:
    label: str
    verbose_name: str
    processing: Processing
    fields: list[StoredField]


def register() -> list[RegisterEntry]:
    """The records of processing, one entry per table with personal data, grouped by whose
    data it is."""
    entries = []
    for model in apps.get_models():
        processing = PROCESSING.get(model._meta.label_lower)
        if processing is not None:
            entries.append(
                RegisterEntry(
                    label=model._meta.label_lower,
                    verbose_name=str(model._meta.verbose_name),
                    processing=processing,
                    fields=[_stored_field(model, name) for name in processing.fields],
                )
            )
    subject_rank = {str(subjects): rank for rank, subjects in enumerate(SUBJECT_ORDER)}
    return sorted(entries, key=lambda entry: subject_rank[str(entry.processing.subjects)])


def unclassified_models() -> list[str]:
    return sorted(
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.label_lower not in PROCESSING
        and model._meta.label_lower not in NO_PERSONAL_DATA
    )


def personal_by_type(model) -> set[str]:
    """The fields of ``model`` that hold personal data whatever the table: encrypted text,
    e-mail and IP addresses, links to a person assisted or to a user."""
    personal_targets = {BENEFICIARY_MODEL, settings.AUTH_USER_MODEL.lower()}
    personal_types = (EncryptedTextField, models.EmailField, models.GenericIPAddressField)
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


def _stored_field(model, name):
    field = model._meta.get_field(name)
    return StoredField(
        name=name,
        verbose_name=str(getattr(field, "verbose_name", name)),
        encrypted=isinstance(field, EncryptedTextField),
    )
