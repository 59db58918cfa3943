"""What one audit row of a person's record says, in the words of the access report she (or he)
receives. The audit log keeps short technical details ("outcome reported_to_police",
"assistance legal-assistance", "referral to ijm; shares ..."), which name codes and slugs; the
report gives their labels in the reader's language instead, and never the raw detail: a detail
no rule knows is told by the kind of record it is about."""

import re
from collections.abc import Callable
from functools import cached_property

from django.core.exceptions import FieldDoesNotExist
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditEvent, Organisation
from cases.enums import (
    ClosureReason,
    ConsentAction,
    ConsentPurpose,
    EntryChangeKind,
    GoalStatus,
    OutcomeKind,
    ReferralStatus,
)
from cases.models import Beneficiary, GoalType, ServiceType
from documents.enums import DocumentKind

# The record an audit row is about, when its detail says nothing a person can read.
RECORD_KINDS = {
    "cases.beneficiary": gettext_lazy("the record"),
    "cases.assistance": gettext_lazy("assistance"),
    "cases.referral": gettext_lazy("a referral"),
    "cases.outcome": gettext_lazy("an outcome"),
    "cases.consentevent": gettext_lazy("consent"),
    "cases.casenote": gettext_lazy("a note"),
    "cases.goal": gettext_lazy("the plan"),
    "cases.task": gettext_lazy("a task"),
    "cases.entrychange": gettext_lazy("a correction"),
    "documents.document": gettext_lazy("a document"),
}


class CodeNames:
    """Labels of the codes audit details name, read from the database once per report and only
    when a detail needs them."""

    @cached_property
    def services(self) -> dict[str, str]:
        return {service.code: str(service) for service in ServiceType.objects.all()}

    @cached_property
    def organisations(self) -> dict[str, str]:
        return dict(Organisation.objects.values_list("slug", "name"))

    @cached_property
    def goals(self) -> dict[str, str]:
        return {goal.code: str(goal) for goal in GoalType.objects.all()}


def _choice(choices: type[TextChoices], code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return _humanised(code)


def _humanised(code: str) -> str:
    """A code no list knows, in words: "lost_contact" -> "lost contact"."""
    return re.sub(r"[_-]+", " ", code).strip()


def _field_labels(names: str) -> str:
    labels = []
    for name in names.split(","):
        name = name.strip()
        try:
            labels.append(str(Beneficiary._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # a field since renamed is told in words
            labels.append(_humanised(name))
    return ", ".join(labels)


def _service(match: re.Match, names: CodeNames) -> str:
    code = match["code"]
    service = names.services.get(code, _humanised(code))
    if match["people"]:
        return _("assistance: %(service)s, logged for a group of %(count)s people") % {
            "service": service,
            "count": match["people"],
        }
    if match["imported"]:
        return _("assistance: %(service)s, imported from a spreadsheet") % {"service": service}
    return _("assistance: %(service)s") % {"service": service}


def _entry_change(match: re.Match, names: CodeNames) -> str:
    entry = _("assistance") if match["entry"] == "assistance" else _("outcome")
    kind = _choice(EntryChangeKind, match["kind"]).lower()
    text = f"{entry}: {kind}"
    if match["fields"]:
        text += f" ({_humanised(match['fields'])})"
    return text


def _outcome(match: re.Match, names: CodeNames) -> str:
    text = _("outcome recorded: %(outcome)s") % {"outcome": _choice(OutcomeKind, match["kind"])}
    if match["referral"]:
        text += ", " + _("in answer to a referral")
    return text


def _referral_sent(match: re.Match, names: CodeNames) -> str:
    partner = names.organisations.get(match["partner"], _humanised(match["partner"]))
    return _("referral sent to %(partner)s") % {"partner": partner}


def _referral_status(match: re.Match, names: CodeNames) -> str:
    return _("referral: %(status)s") % {"status": _choice(ReferralStatus, match["status"]).lower()}


def _referral_seen(match: re.Match, names: CodeNames) -> str:
    if match["profile"]:
        return _("the referral, with the profile shared with the partner")
    return _("the referral")


def _consent(match: re.Match, names: CodeNames) -> str:
    text = _("consent: %(purpose)s, %(action)s") % {
        "purpose": _choice(ConsentPurpose, match["purpose"]),
        "action": _choice(ConsentAction, match["action"]).lower(),
    }
    if match["partner"]:
        partner = names.organisations.get(match["partner"], _humanised(match["partner"]))
        text += f" ({partner})"
    return text


def _case_closed(match: re.Match, names: CodeNames) -> str:
    return _("case closed: %(reason)s") % {"reason": _choice(ClosureReason, match["reason"])}


def _goal(match: re.Match, names: CodeNames) -> str:
    code = match["code"]
    if code in GoalStatus.values:
        return _("goal in the plan: %(status)s") % {"status": _choice(GoalStatus, code).lower()}
    if code == "in words":
        return _("goal added to the plan")
    goal = names.goals.get(code, _humanised(code))
    return _("goal added to the plan: %(goal)s") % {"goal": goal}


def _document(match: re.Match, names: CodeNames) -> str:
    kind = _choice(DocumentKind, match["kind"])
    if match["what"] == "downloaded":
        return _("document downloaded: %(kind)s") % {"kind": kind}
    return _("document added: %(kind)s") % {"kind": kind}


def _documents_shared(match: re.Match, names: CodeNames) -> str:
    partner = names.organisations.get(match["partner"], _humanised(match["partner"]))
    return _("documents shared with %(partner)s: %(count)s") % {
        "partner": partner,
        "count": match["count"],
    }


def _changed(match: re.Match, names: CodeNames) -> str:
    return _("changed: %(fields)s") % {"fields": _field_labels(match["fields"])}


def _fixed(text) -> Callable[[re.Match, CodeNames], str]:
    return lambda match, names: str(text)


# The details the app writes about a person's record (cases/services.py, cases/views,
# documents/services.py), most specific first.
RULES: list[tuple[re.Pattern, Callable[[re.Match, CodeNames], str]]] = [
    (
        re.compile(r"^access report, encrypted DOCX$"),
        _fixed(gettext_lazy("access report, as an encrypted document")),
    ),
    (re.compile(r"^access report( download page)?$"), _fixed(gettext_lazy("access report"))),
    (re.compile(r"^data request summary$"), _fixed(gettext_lazy("summary of a data request"))),
    (re.compile(r"^erasure confirmation$"), _fixed(gettext_lazy("erasure page, not confirmed"))),
    (re.compile(r"^erased \("), _fixed(gettext_lazy("record erased"))),
    (re.compile(r"^detail page$"), _fixed(gettext_lazy("the record's page"))),
    (re.compile(r"^case summary"), _fixed(gettext_lazy("case summary"))),
    (re.compile(r"^form "), _fixed(gettext_lazy("a form about the record"))),
    (
        re.compile(r"^registered, processing consent$"),
        _fixed(gettext_lazy("registered, with consent to processing")),
    ),
    (
        re.compile(r"^imported, "),
        _fixed(
            gettext_lazy(
                "imported from a spreadsheet, with consent to processing given on the intake date"
            )
        ),
    ),
    (
        re.compile(r"^in the people list export, identity included"),
        _fixed(gettext_lazy("in an export of the people list, with the identity")),
    ),
    (
        re.compile(r"^in the people list export"),
        _fixed(gettext_lazy("in an export of the people list, without the identity")),
    ),
    (
        re.compile(r"^restated category"),
        _fixed(gettext_lazy("category or location at intake corrected")),
    ),
    (re.compile(r"^changed (?P<fields>.+)$"), _changed),
    (re.compile(r"^saved$"), _fixed(gettext_lazy("saved, nothing changed"))),
    (
        re.compile(r"^consent (?P<purpose>\w+) (?P<action>\w+)(?: for (?P<partner>\S+))?$"),
        _consent,
    ),
    (
        re.compile(
            r"^(?P<entry>assistance|outcome) (?P<kind>corrected|voided)(?:: (?P<fields>[^;]+))?"
        ),
        _entry_change,
    ),
    (
        re.compile(
            r"^assistance (?P<code>\S+?)(?: for (?P<people>\d+) people)?(?P<imported>, imported)?$"
        ),
        _service,
    ),
    (re.compile(r"^outcome (?P<kind>\S+)(?P<referral> against referral)?$"), _outcome),
    (re.compile(r"^referral to (?P<partner>[^;\s]+)"), _referral_sent),
    (re.compile(r"^referral(?P<profile>, shared profile.*)?$"), _referral_seen),
    (re.compile(r"^referral (?P<status>\w+)$"), _referral_status),
    (re.compile(r"^case closed \((?P<reason>\w+)\)$"), _case_closed),
    (re.compile(r"^case reopened$"), _fixed(gettext_lazy("case reopened"))),
    (re.compile(r"^goal (?P<code>.+)$"), _goal),
    (re.compile(r"^task done$"), _fixed(gettext_lazy("task done"))),
    (re.compile(r"^task not done$"), _fixed(gettext_lazy("task open again"))),
    (re.compile(r"^task$"), _fixed(gettext_lazy("task added"))),
    (re.compile(r"^note corrected$"), _fixed(gettext_lazy("note corrected"))),
    (re.compile(r"^note$"), _fixed(gettext_lazy("note written"))),
    (
        re.compile(r"^document (?P<kind>\w+) (?P<what>added|downloaded)"),
        _document,
    ),
    (re.compile(r"^documents shared with (?P<partner>\S+): (?P<count>\d+)$"), _documents_shared),
]


def what_it_was(event: AuditEvent, names: CodeNames) -> str:
    """The audit row's detail in the reader's words (never a code)."""
    for pattern, wording in RULES:
        if match := pattern.match(event.detail):
            return wording(match, names)
    return str(RECORD_KINDS.get(event.object_type, RECORD_KINDS["cases.beneficiary"]))
