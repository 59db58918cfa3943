"""Two records of one organisation that are the same person become one (issue 10, point 1).

The organisation's admin picks the record that stays (the survivor) and the one merged into it.
In one transaction, with both rows locked in id order:

- every row that points at the merged record, in any model (found through
  ``Beneficiary._meta.related_objects``, so a model added later is moved too), is moved to the
  survivor as it is: its date and the attributes stored on it (category, location, sub-project,
  organisation as at the date of the help) do not change, so every total stays the same;
- a row that would then be there twice (the same activity taken part in by both records, the
  same identity digest) is kept once: a distinct-person figure counts her once, as she is one;
- two open referrals to the same partner cannot both move (one open referral per person and
  partner): the merge is refused with the partner's name, nothing changed;
- the survivor keeps its values; an empty one is filled from the merged record; the merged
  record's values that differ (another alias, another phone) go into the survivor's notes
  journal (encrypted, erased with her) rather than being lost; she came in on the earlier of the
  two intakes, with that intake's category and location (the new-people figures count her in
  the year she first came);
- the merged record is deleted, and its code is kept as a ``MergedRecord`` that leads the
  organisation's staff to the survivor (docs/decisions.md says why it is deleted rather than
  kept as a marked stub);
- both codes are named in the audit rows.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import AuditAction
from accounts.models import User
from accounts.rules import Permission
from accounts.services import record_audit
from cases.enums import OPEN_REFERRAL_STATUSES, TransferStatus
from cases.identity_index import refresh_identity_digests
from cases.models import (
    Assistance,
    Beneficiary,
    CaseNote,
    MergedRecord,
    Outcome,
    Referral,
    Transfer,
)
from cases.selectors import display_value, locked_periods_reached
from cases.services import refuse_erased
from pillars.models import Period

# What becomes of a related row when its person is merged into another.
MOVE = "move"  # it now points at the survivor, as it is
# Derived from the person's identity (the blind index): moved, kept once, and computed again
# for the survivor from her combined identity.
DERIVED = "derived"

# Every model that points at a person, with how a merge treats it and how the confirmation page
# names its rows. tests/cases/test_merging.py fails when a model points at Beneficiary and is
# not listed here: whoever adds one decides what a merge does with it (a model missing here is
# still moved, so no row is left behind, but its count shows under its technical name).
RELATED_ROWS: dict[str, tuple[str, Any]] = {
    "cases.Assistance": (MOVE, gettext_lazy("Assistance entries")),
    "cases.Outcome": (MOVE, gettext_lazy("Outcomes")),
    "cases.Referral": (MOVE, gettext_lazy("Referrals")),
    "cases.ConsentEvent": (MOVE, gettext_lazy("Consent given or withdrawn")),
    "cases.Goal": (MOVE, gettext_lazy("Goals of the plan")),
    "cases.Task": (MOVE, gettext_lazy("Tasks")),
    "cases.CaseNote": (MOVE, gettext_lazy("Notes")),
    "documents.Document": (MOVE, gettext_lazy("Documents")),
    "pillars.ActivityParticipation": (MOVE, gettext_lazy("Activities taken part in")),
    "cases.CaseEvent": (MOVE, gettext_lazy("Case closed or reopened")),
    "cases.EntryChange": (MOVE, gettext_lazy("Corrections and voids of entries")),
    # Only an erased record has these, and an erased record is never merged.
    "cases.ErasureNotice": (MOVE, gettext_lazy("Erasure notices")),
    # Codes merged into the merged record earlier now lead to the survivor.
    "cases.MergedRecord": (MOVE, gettext_lazy("Codes merged into it earlier")),
    "cases.IdentityDigest": (DERIVED, gettext_lazy("Identity index entries")),
    # Answered transfers (the case's history); a transfer still waiting refuses the merge.
    "cases.Transfer": (MOVE, gettext_lazy("Transfers to another organisation")),
}

# Filled on the survivor from the merged record when the survivor's is empty.
FILLED_WHEN_EMPTY = (
    "legal_name",
    "birth_year",
    "date_of_birth",
    "phone",
    "address",
    "document_numbers",
    "nationality",
    "recruiter_relation",
    "country_of_recruitment",
    "safety_reason",
)
# Every other value shown is kept from the survivor (alias, category, current location,
# status); the merged record's differing value goes into the journal.
# Lists: the survivor's, with the merged record's added.
JOINED = ("exploitation_types", "countries_of_exploitation")
# What the confirmation page shows of both records, in this order.
SHOWN_VALUES = (
    "alias",
    "category",
    "location",
    "status",
    "legal_name",
    "birth_year",
    "date_of_birth",
    "phone",
    "address",
    "document_numbers",
    "nationality",
    "safety_flag",
    "safety_reason",
    "dependants",
    "exploitation_types",
    "countries_of_exploitation",
    "recruiter_relation",
    "country_of_recruitment",
)


@dataclass(frozen=True)
class RelatedRows:
    """The rows of one model that point at a person, through the field ``field_name``."""

    model: type[models.Model]
    field_name: str

    @property
    def label(self) -> str:
        policy_and_label = RELATED_ROWS.get(self.model._meta.label)
        if policy_and_label:
            return str(policy_and_label[1])
        return str(capfirst(self.model._meta.verbose_name_plural))

    @property
    def shown(self) -> bool:
        return RELATED_ROWS.get(self.model._meta.label, (MOVE,))[0] != DERIVED

    def of(self, person: Beneficiary) -> models.QuerySet:
        # The base manager: every row (voided entries too), whatever organisation is in scope;
        # the rows are found through the person, whom the caller has already checked.
        return self.model._base_manager.filter(**{self.field_name: person.pk})


def rows_pointing_at_a_person() -> list[RelatedRows]:
    """Every model with a foreign key to Beneficiary, and that key. A many-to-many relation
    counts through its intermediate model (ActivityParticipation for Activity.beneficiaries)."""
    found = []
    for relation in Beneficiary._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            if not through._meta.auto_created:
                continue  # the intermediate model's own foreign key is listed apart
            found.append(RelatedRows(through, relation.field.m2m_reverse_field_name()))
        else:
            found.append(RelatedRows(relation.related_model, relation.field.name))
    return found


@dataclass(frozen=True)
class ValueChoice:
    """One value of the two records and what the merge keeps."""

    label: str
    survivor: Any
    merged: Any
    outcome: str  # "same", "kept", "filled", "joined", "journal"

    @property
    def explanation(self) -> str:
        return {
            "same": _("the same on both"),
            "kept": _("kept"),
            "filled": _("filled from the other record"),
            "joined": _("both records' entries kept"),
            "journal": _("kept; the other value is written in the notes journal"),
        }[self.outcome]


@dataclass(frozen=True)
class MergePreview:
    """What merging ``merged`` into ``survivor`` would do, for the confirmation page."""

    survivor: Beneficiary
    merged: Beneficiary
    moves: list[tuple[str, int]]
    values: list[ValueChoice]
    intake: date
    conflicts: list[str]
    locked_periods: list[Period]

    @property
    def moves_anything(self) -> bool:
        return any(count for _name, count in self.moves)


# -- what a merge would do -------------------------------------------------------------------------


def may_merge(user: User, person: Beneficiary) -> bool:
    """Only an admin of the organisation that owns the record merges it."""
    return (
        user.has_role_permission(Permission.MERGE_RECORDS)
        and user.organisation is not None
        and user.organisation.pk == person.organisation_id
    )


def merge_preview(survivor: Beneficiary, merged: Beneficiary) -> MergePreview:
    """What the merge would move and keep: a handful of counting queries."""
    moves = [
        (rows.label, rows.of(merged).count()) for rows in rows_pointing_at_a_person() if rows.shown
    ]
    _values, choices, _journal = combined_values(survivor, merged)
    return MergePreview(
        survivor=survivor,
        merged=merged,
        moves=moves,
        values=choices,
        intake=min(survivor.intake_date, merged.intake_date),
        conflicts=merge_conflicts(survivor, merged),
        locked_periods=locked_periods_reached(_dates_of_the_merged_help(merged)),
    )


def _dates_of_the_merged_help(merged: Beneficiary) -> list[date]:
    """The days whose distinct-person figures a merge can change: a locked period among them
    keeps its published figure, and the merge makes it one to restate."""
    days = {merged.intake_date}
    for model in (Assistance, Outcome):
        days.update(model._base_manager.filter(beneficiary=merged).values_list("date", flat=True))
    return sorted(days)


def merge_conflicts(survivor: Beneficiary, merged: Beneficiary) -> list[str]:
    """Why the two records cannot be merged as they are, in words; empty when they can."""
    problems = []
    if survivor.pk == merged.pk:
        problems.append(_("A record cannot be merged with itself."))
    if survivor.organisation_id != merged.organisation_id:
        problems.append(_("Only records of one organisation are merged."))
    for person in (survivor, merged):
        if person.is_erased:
            problems.append(
                _("%(code)s was erased: an erased record is not merged.") % {"code": person.code}
            )
    waiting = Transfer._base_manager.filter(
        beneficiary__in=[survivor.pk, merged.pk], status=TransferStatus.REQUESTED
    ).values_list("beneficiary__code", flat=True)
    problems.extend(
        _(
            "A transfer of %(code)s to another organisation is waiting for an answer: merge "
            "once it is answered or withdrawn."
        )
        % {"code": code}
        for code in sorted(waiting)
    )
    open_to = (
        Referral._base_manager.filter(status__in=OPEN_REFERRAL_STATUSES)
        .values("to_organisation")
        .order_by()
    )
    both = (
        open_to.filter(beneficiary=survivor)
        .filter(to_organisation__in=open_to.filter(beneficiary=merged))
        .values_list("to_organisation__name", flat=True)
    )
    problems.extend(
        _(
            "Both records have an open referral to %(partner)s, and a person has one open "
            "referral per partner: complete or withdraw one of them first."
        )
        % {"partner": partner}
        for partner in sorted(both)
    )
    return problems


def combined_values(
    survivor: Beneficiary, merged: Beneficiary
) -> tuple[dict[str, Any], list[ValueChoice], list[str]]:
    """The survivor's values after the merge (only those that change), what the confirmation
    page says of each value, and the merged record's values that were not kept, as lines for
    the notes journal."""
    values: dict[str, Any] = {}
    choices: list[ValueChoice] = []
    journal: list[str] = []

    def now(name: str) -> Any:
        return values.get(name, getattr(survivor, name))

    for name in SHOWN_VALUES:
        theirs, ours = getattr(merged, name), getattr(survivor, name)
        if _empty(theirs) or theirs == ours:
            outcome = "same" if theirs == ours else "kept"
        elif name in JOINED:
            values[name] = [*ours, *(value for value in theirs if value not in ours)]
            outcome = "joined"
        elif name == "safety_flag":
            # A danger known on either record is a danger: the flag stays raised.
            values[name] = True
            outcome = "filled" if not ours else "kept"
        elif name == "dependants":
            values[name] = max(ours, theirs)
            outcome = "filled" if theirs > ours else "kept"
        elif _empty(ours) and name in FILLED_WHEN_EMPTY and _fits(name, theirs, now):
            values[name] = theirs
            outcome = "filled"
        else:
            outcome = "journal"
            journal.append(f"{_label(name)}: {display_value(merged, name)}")
        choices.append(
            ValueChoice(
                _label(name),
                display_value(survivor, name),
                display_value(merged, name),
                outcome,
            )
        )
    if merged.intake_date < survivor.intake_date:
        # She came in on the earlier intake: the new-people figures count her in that year,
        # by the category and location she had then.
        values.update(
            intake_date=merged.intake_date,
            intake_source=merged.intake_source,
            category_at_intake=merged.category_at_intake,
            location_at_intake_id=merged.location_at_intake_id,
            organisation_at_intake_id=merged.organisation_at_intake_id,
        )
    return values, choices, journal


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False or value == 0


def _fits(name: str, value: Any, now: Any) -> bool:
    """A date of birth fills the survivor's only when it agrees with her birth year."""
    if name != "date_of_birth" or not isinstance(value, date):
        return True
    birth_year = now("birth_year")
    return birth_year is None or birth_year == value.year


def _label(name: str) -> str:
    return str(capfirst(Beneficiary._meta.get_field(name).verbose_name))


# -- the merge -------------------------------------------------------------------------------------

STALE = gettext_lazy(
    "%(code)s was changed since you opened this page. Nothing was merged: open the page again "
    "and check what the merge does now."
)


@transaction.atomic
def merge_records(
    survivor: Beneficiary,
    merged: Beneficiary,
    *,
    by: User,
    survivor_version: int | None = None,
    merged_version: int | None = None,
) -> Beneficiary:
    """Merge ``merged`` into ``survivor`` (see the module's description). ``*_version`` are the
    versions the admin saw on the confirmation page: a record changed since is refused (nothing
    merged). Returns the survivor as saved."""
    if not may_merge(by, survivor) or not may_merge(by, merged):
        raise ValidationError(_("Only an admin of the organisation that owns both records merges."))
    survivor, merged = _locked_in_id_order(survivor, merged)
    for person in (survivor, merged):
        refuse_erased(person)
    for person, seen in ((survivor, survivor_version), (merged, merged_version)):
        if seen is not None and seen != person.version:
            raise ValidationError(STALE % {"code": person.code})
    if problems := merge_conflicts(survivor, merged):
        raise ValidationError(problems)
    moved = _move_rows(merged, survivor)
    values, _choices, journal = combined_values(survivor, merged)
    for name, value in values.items():
        setattr(survivor, name, value)
    survivor.version += 1
    survivor.save()
    _write_journal_entry(survivor, merged, journal, by=by)
    merged_code = merged.code
    MergedRecord.objects.create(
        code=merged_code, organisation_id=survivor.organisation_id, survivor=survivor, merged_by=by
    )
    try:
        Beneficiary._base_manager.filter(pk=merged.pk).delete()
    except ProtectedError as error:
        # A row added to the merged record by a write that does not hold the person's row
        # (cases.services.hold_person; every caseworker's write does): nothing is merged, and
        # merging again moves that too.
        raise ValidationError(
            _("%(code)s was added to while it was being merged: nothing was merged, try again.")
            % {"code": merged.code}
        ) from error
    # Her digests now come from the combined identity (the merged record's moved with it).
    refresh_identity_digests(survivor)
    summary = ", ".join(f"{label}: {count}" for label, count in moved if count) or "no rows"
    record_audit(
        AuditAction.UPDATE,
        survivor,
        by=by,
        detail=f"merged {merged_code} into {survivor.code}; moved {summary}",
    )
    record_audit(
        AuditAction.DELETE,
        merged,
        by=by,
        organisation=survivor.organisation,
        detail=f"merged into {survivor.code}",
    )
    return survivor


def _locked_in_id_order(first: Beneficiary, second: Beneficiary) -> tuple[Beneficiary, Beneficiary]:
    """Both rows as saved now, locked in id order (two merges of the same pair, in either
    direction, wait for each other instead of deadlocking). Refuses when one is gone: it was
    merged or erased meanwhile."""
    rows = {
        person.pk: person
        for person in Beneficiary._base_manager.select_for_update()
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    for person in (first, second):
        if person.pk not in rows:
            raise ValidationError(
                _("%(code)s was merged into another record meanwhile: nothing was merged.")
                % {"code": person.code}
            )
    return rows[first.pk], rows[second.pk]


def _move_rows(merged: Beneficiary, survivor: Beneficiary) -> list[tuple[str, int]]:
    """Point every row of ``merged`` at ``survivor``, keeping a row that both have once."""
    moved = []
    try:
        with transaction.atomic():
            for rows in rows_pointing_at_a_person():
                _drop_rows_the_survivor_has(rows, merged, survivor)
                count = rows.of(merged).update(**{rows.field_name: survivor.pk})
                moved.append((rows.label, count))
    except IntegrityError as error:
        # A rule of the database that merge_conflicts does not know yet: refused, in words.
        raise ValidationError(
            _("The two records cannot be merged: the database refused (%(rule)s).")
            % {"rule": str(error).splitlines()[0][:200]}
        ) from error
    return moved


def _drop_rows_the_survivor_has(
    rows: RelatedRows, merged: Beneficiary, survivor: Beneficiary
) -> None:
    """Rows that a unique rule says a person has once (an activity taken part in, an identity
    digest): where the survivor has the same, the merged record's copy goes."""
    for together in _unique_together_with(rows):
        others = [name for name in together if name != rows.field_name]
        if not others:
            continue
        survivors_keys = rows.of(survivor).values(*others)
        duplicate = Q()
        for key in survivors_keys:
            duplicate |= Q(**key)
        if duplicate:
            rows.of(merged).filter(duplicate).delete()


def _unique_together_with(rows: RelatedRows) -> list[tuple[str, ...]]:
    """The unconditional unique rules of ``rows``' model that include the person's key."""
    meta = rows.model._meta
    rules = [tuple(fields) for fields in meta.unique_together]
    rules += [
        tuple(constraint.fields)
        for constraint in meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
    ]
    return [rule for rule in rules if rows.field_name in rule]


def _write_journal_entry(
    survivor: Beneficiary, merged: Beneficiary, lines: list[str], *, by: User
) -> CaseNote:
    """What the merged record said that the survivor does not keep, in the survivor's journal
    (encrypted, and erased with her), so that nothing is lost."""
    text = _("Merged with %(code)s (intake %(intake)s).") % {
        "code": merged.code,
        "intake": date_format(merged.intake_date, "SHORT_DATE_FORMAT"),
    }
    if lines:
        text += " " + _("Its values that differ from this record's:") + " " + "; ".join(lines)
    return CaseNote.objects.create(
        beneficiary=survivor,
        organisation_id=survivor.organisation_id,
        written_on=timezone.localdate(),
        text=text,
        author=by,
    )
