"""Importing an organisation's old spreadsheets: every row through the domain functions of
cases and pillars (codes, consent, audit rows), into the importer's organisation only, the
whole file in one transaction. A file with any bad row imports nothing and lists every bad row;
a dry run does everything and then rolls it back, so it reports exactly what an import would do.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import AuditAction
from accounts.models import Organisation, User
from accounts.services import record_audit
from cases.enums import Category, IntakeSource, ReferralStatus, Sex, Status
from cases.models import Beneficiary, ServiceType
from cases.services import (
    HistoricReferral,
    import_referral,
    imported_assistance,
    log_imported_assistance,
    register_imported_beneficiaries,
    update_beneficiary,
)
from imports import values
from imports.models import ImportedRecord
from imports.reading import FORMULA, Problem, Row, Workbook
from imports.sheets import ACTIVITIES, ASSISTANCE, EXPENSES, ORDER, PEOPLE, REFERRALS
from imports.values import CellError, Vocabulary
from pillars.enums import ActivityKind, Audience, Currency
from pillars.models import (
    Activity,
    BudgetLine,
    Expense,
    Location,
    Pillar,
    Programme,
    SubProject,
)
from pillars.services import save_activity, save_expense

Progress = Callable[[str, int, int], None]
# Why a referral of the old spreadsheet is entered late, when its row does not say.
IMPORTED_REFERRAL_REASON = "imported from the organisation's spreadsheet"
# The domain function's field names -> the referrals sheet's columns.
REFERRAL_COLUMNS = {
    "sent_on": "date",
    "late_reason": "reason",
    "became": "status",
    "answered_on": "answered_on",
    "closed_on": "closed_on",
}
PROGRESS_EVERY = 500
PERSON_FIELDS = {
    "alias": "alias",
    "category": "category",
    "sex": "sex",
    "birth_year": "birth_year",
    "nationality": "nationality",
    "location": "location",
    "intake_date": "intake_date",
    "intake_source": "how_they_came",
    "status": "status",
}
ACTIVITY_FIELDS = {
    "pillar": "pillar",
    "kind": "kind",
    "title": "title",
    "starts_on": "date",
    "location": "location",
    "sub_project": "sub_project",
    "participants": "participants",
    "audiences": "audience",
    "online_reach": "online_reach",
}
EXPENSE_FIELDS = {
    "line": "budget_line",
    "date": "date",
    "amount": "amount",
    "currency": "currency",
    "rate": "rate",
    "description": "description",
}


# The categories' labels before they stopped saying "woman" (a man or a person of unknown sex can
# be in them): the partners' old spreadsheets name them so, in the three languages.
FORMER_CATEGORY_LABELS = {
    Category.EXITING_PROSTITUTION: [
        "Woman exiting prostitution",
        "Femeie care iese din prostituție",
        "Vrouw die uit de prostitutie stapt",
    ],
    Category.VULNERABLE_BACKGROUND: [
        "Woman from a vulnerable background",
        "Femeie dintr-un mediu vulnerabil",
        "Vrouw met een kwetsbare achtergrond",
    ],
}


@dataclass
class Counts:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    dry_run: bool
    counts: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in ORDER})
    problems: list[Problem] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.problems


def import_workbook(
    workbook: Workbook,
    *,
    organisation: Organisation,
    by: User | None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import ``workbook`` into ``organisation`` (never one named in the file) as ``by`` (None
    for the command line). Nothing is written unless every row imports and it is no dry run."""
    result = ImportResult(dry_run=dry_run, problems=list(workbook.problems))
    with transaction.atomic():
        importer = _Importer(organisation, by, result, progress or (lambda *args: None))
        for sheet in ORDER:
            importer.import_sheet(sheet, workbook.sheets.get(sheet, []))
        if result.problems or dry_run:
            transaction.set_rollback(True)
        else:
            record_audit(
                AuditAction.CREATE,
                None,
                by=by,
                organisation=organisation,
                detail="spreadsheet import: "
                + ", ".join(
                    f"{sheet} {counts.created} new {counts.changed} changed"
                    for sheet, counts in result.counts.items()
                ),
            )
    return result


def _message_of(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a domain function's refusal."""
    if hasattr(error, "error_dict"):
        return [
            (name, " ".join(str(message) for message in messages))
            for name, messages in error.message_dict.items()
        ]
    return [("", " ".join(str(message) for message in error.messages))]


class _Importer:
    def __init__(self, organisation, by, result, progress):
        self.organisation = organisation
        self.by = by
        self.result = result
        self.progress = progress
        self.known = {
            (kind, reference): object_id
            for kind, reference, object_id in ImportedRecord.objects.filter(
                organisation=organisation
            ).values_list("kind", "reference", "object_id")
        }
        self.people: dict[str, Beneficiary] = {}
        self.imported_people = {
            reference.casefold(): object_id
            for (kind, reference), object_id in self.known.items()
            if kind == ImportedRecord.Kind.PERSON
        }
        self.repeats: Counter = Counter()
        self.refused_people: set[str] = set()
        self.vocabulary = {
            "category": Vocabulary.of_choices(
                gettext_lazy("category"), Category.choices, former=FORMER_CATEGORY_LABELS
            ),
            "sex": Vocabulary.of_choices(gettext_lazy("sex"), Sex.choices),
            "nationality": Vocabulary.of_choices(
                gettext_lazy("country"), Beneficiary._meta.get_field("nationality").choices
            ),
            "how_they_came": Vocabulary.of_choices(gettext_lazy("way in"), IntakeSource.choices),
            "status": Vocabulary.of_choices(gettext_lazy("status"), Status.choices),
            "location": Vocabulary.of_records(
                gettext_lazy("location"), Location.objects.all(), code="code", label="name"
            ),
            "sub_project": Vocabulary.of_records(
                gettext_lazy("sub-project"), SubProject.objects.all(), code="code", label="name"
            ),
            "service": Vocabulary.of_records(
                gettext_lazy("service"), ServiceType.objects.all(), code="code", label="name"
            ),
            "kind": Vocabulary.of_choices(gettext_lazy("kind of activity"), ActivityKind.choices),
            "audience": Vocabulary.of_choices(gettext_lazy("audience"), Audience.choices),
            "currency": Vocabulary.of_choices(gettext_lazy("currency"), Currency.choices),
            "partner": Vocabulary.of_records(
                gettext_lazy("partner organisation"),
                Organisation.objects.exclude(pk=organisation.pk),
                code="slug",
                label="name",
            ),
            "referral_status": Vocabulary.of_choices(
                gettext_lazy("referral status"), ReferralStatus.choices
            ),
        }
        self.programmes = list(Programme.objects.order_by("start_date"))
        self.pillars = {
            programme.pk: Vocabulary(
                gettext_lazy("pillar"),
                (
                    (pillar, [str(pillar.number), pillar.name, pillar.name_ro, pillar.name_nl])
                    for pillar in Pillar.objects.filter(programme=programme)
                ),
            )
            for programme in self.programmes
        }
        self.budget_lines = {
            programme.pk: Vocabulary.of_records(
                gettext_lazy("budget line"),
                BudgetLine.objects.filter(group__programme=programme),
                code=None,
                label="label",
            )
            for programme in self.programmes
        }

    # -- the rows of one sheet ---------------------------------------------------------------

    def import_sheet(self, sheet: str, rows: list[Row]) -> None:
        importer = {
            PEOPLE: self._person,
            ASSISTANCE: self._assistance,
            REFERRALS: self._referral,
            ACTIVITIES: self._activity,
            EXPENSES: self._expense,
        }[sheet]
        self.pending_assistance = []
        self.pending_people = []
        self.new_records: list[tuple[str, str, object]] = []
        seen_references: dict[str, int] = {}
        for done, row in enumerate(rows, start=1):
            reference = self._reference(sheet, row, seen_references)
            if reference is not None:
                importer(sheet, row, reference)
            if done % PROGRESS_EVERY == 0:
                self.progress(sheet, done, len(rows))
        if self.pending_people:
            register_imported_beneficiaries(
                self.pending_people, organisation=self.organisation, by=self.by
            )
        if self.pending_assistance:
            entries = log_imported_assistance(
                [entry for entry, _key in self.pending_assistance],
                organisation=self.organisation,
                by=self.by,
            )
            self.new_records += [
                (ImportedRecord.Kind.ASSISTANCE, key, entry)
                for entry, (_old, key) in zip(entries, self.pending_assistance, strict=True)
            ]
        ImportedRecord.objects.bulk_create(
            (
                ImportedRecord(
                    organisation=self.organisation,
                    kind=kind,
                    reference=reference,
                    object_id=record.pk,
                )
                for kind, reference, record in self.new_records
            ),
            batch_size=2000,
        )
        self.progress(sheet, len(rows), len(rows))

    def _reference(self, sheet, row, seen):
        """The row's reference; a reference used twice in a sheet is refused (None)."""
        if sheet == ASSISTANCE:
            return ""
        try:
            reference = values.text(self._cell(row, "reference"), max_length=100, required=True)
        except CellError as error:
            self._refuse(sheet, row, "reference", str(error))
            return None
        folded = reference.casefold()
        if folded in seen:
            self._refuse(sheet, row, "reference", _("also on row %(row)s") % {"row": seen[folded]})
            return None
        seen[folded] = row.number
        return reference

    def _cell(self, row, column):
        value = row.cells.get(column)
        if value is FORMULA:
            raise CellError(_("is a formula (starts with =): type its value instead"))
        return value

    def _read(self, sheet, row, readers: dict[str, Callable]) -> dict | None:
        """Every cell of the row through its reader; None (and the problems noted) if any fails."""
        read, failed = {}, False
        for column, reader in readers.items():
            try:
                read[column] = reader(self._cell(row, column))
            except CellError as error:
                self._refuse(sheet, row, column, str(error))
                failed = True
        return None if failed else read

    def _refuse(self, sheet, row, column, reason):
        self.result.problems.append(Problem(sheet, row.number, column, reason))

    def _refused_by_domain(self, sheet, row, error: ValidationError, columns: dict[str, str]):
        for name, message in _message_of(error):
            self._refuse(sheet, row, columns.get(name, ""), message)

    def _programme_on(self, day: date):
        for programme in self.programmes:
            if programme.start_date <= day <= programme.end_date:
                return programme
        raise CellError(_("%(day)s is outside every programme") % {"day": day.isoformat()})

    # -- people ------------------------------------------------------------------------------

    def _person(self, sheet, row, reference):
        vocabulary = self.vocabulary
        read = self._read(
            sheet,
            row,
            {
                "alias": lambda value: values.text(value, max_length=60, required=True),
                "category": vocabulary["category"],
                "sex": lambda value: vocabulary["sex"](value, required=False) or Sex.UNKNOWN,
                "birth_year": values.whole_number,
                "nationality": lambda value: vocabulary["nationality"](value, required=False) or "",
                "location": vocabulary["location"],
                "intake_date": values.day,
                "how_they_came": vocabulary["how_they_came"],
                "status": lambda value: (
                    vocabulary["status"](value, required=False) or Status.ACTIVE
                ),
            },
        )
        if read is None:
            self.refused_people.add(reference.casefold())
            return
        attributes = {name: read[column] for name, column in PERSON_FIELDS.items()}
        existing_id = self.known.get((ImportedRecord.Kind.PERSON, reference))
        try:
            if existing_id is None:
                person = self._register(attributes)
                self.new_records.append((ImportedRecord.Kind.PERSON, reference, person))
            else:
                person = self._update(self._imported_person(existing_id), attributes)
        except ValidationError as error:
            self._refused_by_domain(sheet, row, error, PERSON_FIELDS)
            self.refused_people.add(reference.casefold())
            return
        self.people[reference.casefold()] = person

    def _register(self, attributes):
        """A new person, checked now and registered with the rest of the sheet."""
        person = Beneficiary(organisation=self.organisation, **attributes)
        # The location came from the database a moment ago: no need to ask whether it exists.
        person.clean_fields(exclude=[*_fields_except(Beneficiary, attributes), "location"])
        self.pending_people.append(person)
        self.result.counts[PEOPLE].created += 1
        return person

    def _imported_person(self, person_id) -> Beneficiary:
        if not hasattr(self, "_earlier_imports"):
            self._earlier_imports = Beneficiary.objects.filter(
                organisation=self.organisation
            ).in_bulk(list(self.imported_people.values()))
        return self._earlier_imports[person_id]

    def _update(self, person, attributes):
        changed = _assign_changes(person, attributes)
        if changed:
            person.clean_fields(exclude=_fields_except(Beneficiary, attributes))
            update_beneficiary(person, changed_fields=changed, by=self.by)
            self.result.counts[PEOPLE].changed += 1
        else:
            self.result.counts[PEOPLE].unchanged += 1
        return person

    # -- assistance --------------------------------------------------------------------------

    def _assistance(self, sheet, row, _reference):
        vocabulary = self.vocabulary
        read = self._read(
            sheet,
            row,
            {
                "person_reference": lambda value: values.text(value, max_length=100, required=True),
                "service": vocabulary["service"],
                "date": values.day,
                "quantity": values.number,
                "sub_project": vocabulary["sub_project"],
                "note": values.text,
            },
        )
        if read is None:
            return
        person = self._person_called(read["person_reference"])
        if person is None:
            reason = (
                _("the person's row on the people sheet cannot be imported")
                if read["person_reference"].casefold() in self.refused_people
                else _("%(reference)r is in no row of the people sheet and no record")
                % {"reference": read["person_reference"]}
            )
            self._refuse(sheet, row, "person_reference", reason)
            return
        key = self._assistance_key(read)
        if (ImportedRecord.Kind.ASSISTANCE, key) in self.known:
            self.result.counts[ASSISTANCE].unchanged += 1
            return
        try:
            entry = imported_assistance(
                person,
                organisation=self.organisation,
                by=self.by,
                service_type=read["service"],
                date=read["date"],
                quantity=read["quantity"],
                sub_project=read["sub_project"],
                note=read["note"],
            )
        except ValidationError as error:
            self._refused_by_domain(sheet, row, error, {"date": "date"})
            return
        self.known[(ImportedRecord.Kind.ASSISTANCE, key)] = None
        self.pending_assistance.append((entry, key))
        self.result.counts[ASSISTANCE].created += 1

    def _assistance_key(self, read) -> str:
        """The same values as an earlier row count again: identical help twice is real."""
        quantity = "" if read["quantity"] is None else f"{read['quantity'].normalize():f}"
        values_key = "|".join(
            [
                read["person_reference"].casefold(),
                read["service"].code,
                read["date"].isoformat(),
                quantity,
                read["sub_project"].code,
            ]
        )
        self.repeats[values_key] += 1
        return f"{values_key}#{self.repeats[values_key]}"[:255]

    def _person_called(self, reference) -> Beneficiary | None:
        """A person of this file or of an earlier import by her reference, else by her code."""
        folded = reference.casefold()
        if folded not in self.people:
            person_id = self.imported_people.get(folded)
            found = Beneficiary.objects.filter(organisation=self.organisation)
            found = (
                found.filter(pk=person_id) if person_id else found.filter(code__iexact=reference)
            )
            self.people[folded] = found.first()
        return self.people[folded]

    # -- referrals made in the past -----------------------------------------------------------

    def _referral(self, sheet, row, reference):
        """A referral of the old spreadsheet, sent on ``date``, with what became of it. One
        already imported (same reference) is left as it is: its steps are history, and a
        correction of it is made in the app."""
        read = self._read(
            sheet,
            row,
            {
                "person_reference": lambda value: values.text(value, max_length=100, required=True),
                "partner": self.vocabulary["partner"],
                "service": self._services,
                "date": values.day,
                "status": self.vocabulary["referral_status"],
                "answered_on": lambda value: values.day(value, required=False),
                "closed_on": lambda value: values.day(value, required=False),
                "reason": lambda value: (
                    values.text(value, max_length=500) or IMPORTED_REFERRAL_REASON
                ),
            },
        )
        if read is None:
            return
        if (ImportedRecord.Kind.REFERRAL, reference) in self.known:
            self.result.counts[REFERRALS].unchanged += 1
            return
        person = self._person_called(read["person_reference"])
        if person is None:
            self._refuse(sheet, row, "person_reference", self._no_person(read["person_reference"]))
            return
        historic = HistoricReferral(
            sent_on=read["date"],
            reason=read["reason"],
            status=read["status"],
            answered_on=read["answered_on"],
            closed_on=read["closed_on"],
        )
        try:
            if person.pk is None:
                # Her row of the people sheet is registered with the rest of that sheet, which
                # is done by now; this finds her saved record.
                raise ValidationError(_("the person's row on the people sheet cannot be imported"))
            referral = import_referral(
                person,
                organisation=self.organisation,
                to_organisation=read["partner"],
                services=read["service"],
                historic=historic,
                by=self.by,
            )
        except ValidationError as error:
            self._refused_by_domain(sheet, row, error, REFERRAL_COLUMNS)
            return
        self.known[(ImportedRecord.Kind.REFERRAL, reference)] = referral.pk
        self.new_records.append((ImportedRecord.Kind.REFERRAL, reference, referral))
        self.result.counts[REFERRALS].created += 1

    def _services(self, value) -> list:
        written = values.text(value, max_length=1000)
        parts = [part for part in written.replace(";", ",").split(",") if part.strip()]
        return [self.vocabulary["service"](part) for part in parts]

    def _no_person(self, reference) -> str:
        if reference.casefold() in self.refused_people:
            return _("the person's row on the people sheet cannot be imported")
        return _("%(reference)r is in no row of the people sheet and no record") % {
            "reference": reference
        }

    # -- activities --------------------------------------------------------------------------

    def _activity(self, sheet, row, reference):
        vocabulary = self.vocabulary
        read = self._read(
            sheet,
            row,
            {
                "kind": vocabulary["kind"],
                "title": lambda value: values.text(value, max_length=200, required=True),
                "date": values.day,
                "location": vocabulary["location"],
                "sub_project": vocabulary["sub_project"],
                "participants": lambda value: values.whole_number(value) or 0,
                "audience": self._audiences,
                "online_reach": values.whole_number,
            },
        )
        if read is None:
            return
        try:
            programme = self._programme_on(read["date"])
            read["pillar"] = self.pillars[programme.pk](self._cell(row, "pillar"))
        except CellError as error:
            self._refuse(sheet, row, "pillar", str(error))
            return
        attributes = {name: read[column] for name, column in ACTIVITY_FIELDS.items()}
        self._save_record(sheet, row, reference, Activity, ImportedRecord.Kind.ACTIVITY, attributes)

    def _audiences(self, value) -> list[str]:
        written = values.text(value, max_length=1000)
        parts = [part for part in written.replace(";", ",").split(",") if part.strip()]
        return sorted({self.vocabulary["audience"](part) for part in parts})

    # -- expenses ----------------------------------------------------------------------------

    def _expense(self, sheet, row, reference):
        read = self._read(
            sheet,
            row,
            {
                "date": values.day,
                "amount": lambda value: values.number(value, required=True, minimum=None),
                "currency": self.vocabulary["currency"],
                "rate": lambda value: values.number(value, places=4) or Decimal(1),
                "description": lambda value: values.text(value, max_length=200),
            },
        )
        if read is None:
            return
        try:
            programme = self._programme_on(read["date"])
            read["budget_line"] = self.budget_lines[programme.pk](self._cell(row, "budget_line"))
        except CellError as error:
            self._refuse(sheet, row, "budget_line", str(error))
            return
        attributes = {name: read[column] for name, column in EXPENSE_FIELDS.items()}
        self._save_record(sheet, row, reference, Expense, ImportedRecord.Kind.EXPENSE, attributes)

    # -- activities and expenses: create or change through their domain function -------------

    def _save_record(self, sheet, row, reference, model, kind, attributes):
        columns = ACTIVITY_FIELDS if model is Activity else EXPENSE_FIELDS
        existing_id = self.known.get((kind, reference))
        if existing_id is None:
            record = model(organisation=self.organisation, **attributes)
            outcome = "created"
        else:
            record = model.objects.get(pk=existing_id, organisation=self.organisation)
            outcome = "changed" if _assign_changes(record, attributes) else "unchanged"
        if outcome == "unchanged":
            self.result.counts[sheet].unchanged += 1
            return
        try:
            record.clean_fields(exclude=_fields_except(model, attributes))
            if model is Activity:
                participants = [] if record.pk is None else list(record.beneficiaries.all())
                volunteers = [] if record.pk is None else list(record.volunteers.all())
                save_activity(record, participants=participants, volunteers=volunteers, by=self.by)
            else:
                save_expense(record, by=self.by)
        except ValidationError as error:
            self._refused_by_domain(sheet, row, error, columns)
            return
        if outcome == "created":
            self.new_records.append((kind, reference, record))
        setattr(self.result.counts[sheet], outcome, getattr(self.result.counts[sheet], outcome) + 1)


def _fields_except(model, attributes) -> list[str]:
    return [field.name for field in model._meta.fields if field.name not in attributes]


def _assign_changes(record, attributes) -> list[str]:
    """Put ``attributes`` on ``record``; the names of those that differ."""
    changed = []
    for name, value in attributes.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed.append(name)
    return changed
