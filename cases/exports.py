"""Exports of personal data: the people list (XLSX) and a person's access report (DOCX, and the
sections its print page shows). Both are encrypted with a password the user types
(nextsteps.office_files): the views never send them in the clear.

A person's access report is arranged once, as sections of rows of text, which the page and the
document both read: they cannot disagree.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import ExpressionWrapper, F, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cases.models import Beneficiary
from cases.selectors import PERSON_FACTS, AccessReport
from nextsteps.fields import EncryptedTextField
from nextsteps.office_files import (
    HEADING_FILL,
    document_bytes,
    docx_table,
    encrypt_office_file,
    new_document,
    set_column_widths,
    widths_for_content,
)
from nextsteps.spreadsheets import xml_safe
from nextsteps.streamed_xlsx import StreamedWorkbook, Style
from pillars.models import Location

NOTHING = "\u2013"
# A4 less the document's margins of 2 cm (nextsteps.office_files.new_document).
TEXT_WIDTH_CM = 17

# -- the people list -------------------------------------------------------------------------------


# Rows read from the database and written to the sheet at a time: memory stays flat whatever
# the size of the list.
PEOPLE_CHUNK = 2000


def people_list_xlsx(
    people: Iterable[Beneficiary],
    *,
    include_identity: bool,
    password: str,
    about: Iterable[tuple[str, object]],
) -> bytes:
    """The people (``cases.selectors.people_to_export_for``, filtered) as an encrypted workbook:
    one row per person, identity fields only when asked for, and a sheet that says what the file
    is. ``about`` is [(label, value)] for that sheet. Returns (file, codes of the people)."""
    with tempfile.TemporaryFile() as output:
        codes = write_people_workbook(
            output, people, include_identity=include_identity, about=about
        )
        output.seek(0)
        return encrypt_office_file(output.read(), password), codes


def people_columns(include_identity: bool) -> tuple[str, ...]:
    return PERSON_FACTS + (Beneficiary.IDENTITY_FIELDS if include_identity else ())


def write_people_workbook(
    output: BinaryIO,
    people: QuerySet,
    *,
    include_identity: bool,
    about: list,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Write the people as an XLSX workbook into ``output`` (seekable), streamed
    (nextsteps.streamed_xlsx): rows read ``PEOPLE_CHUNK`` at a time as plain tuples, only the
    exported columns, each choice's label looked up in a table made once. Identity is read as
    stored and each chunk's is decrypted together (an identity left out is never read, so
    never decrypted). ``progress`` is told how many rows are written, after each chunk.
    Returns the codes of the people in the file, in its order (for their audit rows)."""
    facts = [_column_value(name) for name in PERSON_FACTS]
    identity = _identity_fields(include_identity)
    headers = [Beneficiary._meta.get_field(name).verbose_name for name in PERSON_FACTS]
    headers += [field.verbose_name for field in identity]
    headers += [_("Last assistance"), _("Open referral")]
    yes = _("yes")
    codes = []
    with StreamedWorkbook(output, heading_fill=HEADING_FILL) as workbook:
        sheet = workbook.add_sheet(
            _("People"), column_widths=[18] * len(headers), freeze_first_row_and_column=True
        )
        sheet.auto_filter = True
        sheet.append(headers, styles=[Style.HEADING] * len(headers))
        for chunk in _chunks(_people_rows(people, identity), PEOPLE_CHUNK):
            for row, identity_values in zip(chunk, _decrypted(chunk, identity), strict=True):
                *values, last_assistance_on, has_open_referral = row[: -len(identity) or None]
                codes.append(values[0])
                sheet.append(
                    [
                        *(value(raw) for value, raw in zip(facts, values, strict=True)),
                        *(_cell(value) for value in identity_values),
                        last_assistance_on,
                        yes if has_open_referral else "",
                    ]
                )
            if progress is not None and len(chunk) == PEOPLE_CHUNK:
                progress(len(codes))
        about_sheet = workbook.add_sheet(_("About this file"), column_widths=[24, 80])
        for label, value in about:
            about_sheet.append([label, value], styles=[Style.BOLD, Style.WRAPPED])
    if progress is not None:
        progress(len(codes))
    return codes


def _identity_fields(include_identity: bool) -> list[EncryptedTextField]:
    if not include_identity:
        return []
    return [Beneficiary._meta.get_field(name) for name in Beneficiary.IDENTITY_FIELDS]


def _people_rows(people: QuerySet, identity: list[EncryptedTextField]) -> Iterator[tuple]:
    """Rows of the facts, the last assistance and open referral, then the identity columns as
    stored (ciphertext: decrypted a chunk at a time by ``_decrypted``), read from the database
    a chunk at a time."""
    stored = {
        f"stored_{field.name}": ExpressionWrapper(F(field.name), output_field=models.TextField())
        for field in identity
    }
    rows = people.annotate(**stored).values_list(
        *PERSON_FACTS, "last_assistance_on", "has_open_referral", *stored
    )
    return rows.iterator(chunk_size=PEOPLE_CHUNK)


def _chunks(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _decrypted(chunk: list[tuple], identity: list[EncryptedTextField]) -> Iterable[tuple]:
    """The identity of each row of ``chunk``, decrypted one column at a time: as the record's
    page reads it (an unreadable value says so), for a fraction of the cost per value."""
    if not identity:
        return [()] * len(chunk)
    first = len(chunk[0]) - len(identity)
    columns = [
        field.from_db_values([row[first + index] for row in chunk])
        for index, field in enumerate(identity)
    ]
    return zip(*columns, strict=True)


def _column_value(name: str) -> Callable:
    """How a column's stored value becomes its cell, decided once per column: choices and
    places through a table of their labels, never a query or a label built per row."""
    field = Beneficiary._meta.get_field(name)
    if name == "location":
        places = {place.pk: str(place) for place in Location.objects.all()}
        return lambda value: places.get(value, "")
    if name == "nationality":
        countries = {code: str(country) for code, country in field.countries}
        return lambda value: countries.get(value, value)
    if field.choices:
        labels = {value: str(label) for value, label in field.flatchoices}
        return lambda value: labels.get(value, value)
    if isinstance(field, models.BooleanField):
        yes = _("yes")
        return lambda value: yes if value else ""
    return _cell


def _cell(value):
    """A value as a spreadsheet cell: dates and numbers stay what they are."""
    if isinstance(value, bool):
        return _("yes") if value else ""
    if value is None or isinstance(value, int | date | str):
        return value
    return str(value)


# -- a person's access report ----------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[list[object]]
    # Shown instead of an empty table.
    empty: str = ""
    # Two columns, a label and its value: the same on a phone, with no need to stack.
    pairs: bool = False
    # Said under the title, e.g. the time zone of the times in the table.
    note: str = ""

    @property
    def labelled_rows(self) -> list[list[tuple[str, object]]]:
        """Each row as (column, value) pairs: a phone shows a row as a list of them."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]


def access_report_sections(report: AccessReport) -> list[Section]:
    """The sections of an access report (cases.selectors.AccessReport), as rows of text."""
    return [
        Section(
            "record",
            _("The record"),
            [_("Field"), _("Value")],
            [[capfirst(str(field.label)), _text(field.value)] for field in report.record],
            pairs=True,
        ),
        Section(
            "identity",
            _("Identity and notes"),
            [_("Field"), _("Value")],
            [[capfirst(str(field.label)), _text(field.value)] for field in report.identity],
            pairs=True,
        ),
        Section(
            "assistance",
            _("Assistance"),
            [_("Date"), _("Service"), _("Quantity"), _("Given by"), _("Sub-project"), _("Note")],
            [
                [
                    _text(item.date),
                    str(item.service_type),
                    item.quantity_text or NOTHING,
                    str(item.organisation),
                    str(item.sub_project),
                    _text(item.note),
                ]
                for item in report.assistance
            ],
            _("No assistance recorded."),
        ),
        Section(
            "referrals",
            _("Referrals"),
            [_("Sent"), _("From"), _("To"), _("Services"), _("Status"), _("Message"), _("Steps")],
            [_referral_row(referral) for referral in report.referrals],
            _("Never referred."),
        ),
        Section(
            "consent",
            _("Consent"),
            [_("Date"), _("Purpose"), _("Partner"), _("Consent")],
            [
                [
                    _text(event.date),
                    event.get_purpose_display(),
                    _text(event.partner),
                    event.get_action_display(),
                ]
                for event in report.consent_events
            ],
            _("No consent recorded."),
        ),
        Section(
            "outcomes",
            _("Outcomes"),
            [_("Date"), _("Outcome"), _("Recorded by"), _("Note")],
            [
                [
                    _text(outcome.date),
                    outcome.get_kind_display(),
                    str(outcome.organisation),
                    _text(outcome.note),
                ]
                for outcome in report.outcomes
            ],
            _("No outcome recorded."),
        ),
        Section(
            "notes",
            _("Notes"),
            [_("Date"), _("Note"), _("Correction of"), _("Why corrected")],
            [
                [
                    _text(note.written_on),
                    _text(note.text),
                    _text(note.corrects.written_on) if note.corrects_id else NOTHING,
                    _text(note.correction_reason),
                ]
                for note in report.notes
            ],
            _("No notes."),
        ),
        Section(
            "plan",
            _("Plan and tasks"),
            [_("Goal or task"), _("Status"), _("Date")],
            [
                [goal.label, goal.get_status_display(), _text(goal.target_date)]
                for goal in report.goals
            ]
            + [
                [task.title, _("done") if task.is_done else _("open"), _text(task.due_date)]
                for task in report.tasks
            ],
            _("No plan."),
        ),
        Section(
            "documents",
            _("Documents"),
            [_("Added"), _("Kind"), _("File name"), _("Added by"), _("Size in bytes")],
            [
                [
                    _text(document.uploaded_at.date()),
                    document.get_kind_display(),
                    document.title,
                    str(document.organisation),
                    str(document.size),
                ]
                for document in report.documents
            ],
            _("No documents."),
        ),
        Section(
            "transfers",
            _("Transfers"),
            [_("Asked on"), _("From"), _("To"), _("Status"), _("Why the case moves")],
            [
                [
                    _text(transfer.requested_on),
                    str(transfer.from_organisation),
                    str(transfer.to_organisation),
                    transfer.get_status_display(),
                    _text(transfer.reason),
                ]
                for transfer in report.transfers
            ],
            _("No transfer."),
        ),
        Section(
            "activities",
            _("Activities taken part in"),
            [_("Date"), _("Activity"), _("Kind"), _("Organisation"), _("Location")],
            [
                [
                    _text(taking_part.activity.starts_on),
                    taking_part.activity.title,
                    taking_part.activity.get_kind_display(),
                    str(taking_part.activity.organisation),
                    str(taking_part.activity.location),
                ]
                for taking_part in report.activities
            ],
            _("No activity recorded."),
        ),
        Section(
            "looks",
            _("Who looked at or changed the record"),
            [_("When"), _("Action"), _("What"), _("Organisation"), _("Role")],
            [
                [_local(look.at), look.action, look.detail, look.organisation, look.role]
                for look in report.looks
            ],
            _("Nobody has opened the record."),
            note=_("Times are %(time_zone)s time.")
            % {"time_zone": timezone.get_current_timezone_name()},
        ),
        Section(
            "processing",
            _("Why the partnership keeps this, for whom and for how long"),
            [_("Question"), _("Answer")],
            [
                [_("Purpose"), str(report.processing.purpose)],
                [_("Legal basis"), str(report.processing.legal_basis)],
                [_("Who may see it"), str(report.processing.recipients)],
                [
                    _("Partners that received it by referral"),
                    ", ".join(str(partner) for partner in report.recipients) or NOTHING,
                ],
                [_("How long"), str(report.processing.retention)],
            ],
            pairs=True,
        ),
    ]


def _referral_row(referral):
    steps = "; ".join(
        f"{_text(timezone.localdate(event.at))} {event.get_status_display()}"
        + (f": {event.reason}" if event.reason else "")
        for event in referral.events.all()
    )
    message = referral.message
    if referral.decline_reason:
        message = f"{message}\n{_('Reason for declining')}: {referral.decline_reason}".strip()
    return [
        _text(referral.sent_on),
        str(referral.from_organisation),
        str(referral.to_organisation),
        ", ".join(str(service) for service in referral.services.all()),
        referral.get_status_display(),
        _text(message),
        steps,
    ]


def _text(value):
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date) and not isinstance(value, datetime):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _local(moment: datetime) -> str:
    """A moment in the active time zone (the record's organisation's: see report_time_zone)."""
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def report_time_zone(report: AccessReport) -> ZoneInfo:
    """The report tells times as the person lives them: in her organisation's time zone (not
    the server's UTC, nor the zone of the officer who happens to print it)."""
    return ZoneInfo(report.person.organisation.time_zone)


def access_report_title(report: AccessReport) -> str:
    return _("Access report of %(code)s") % {"code": report.person.code}


def access_report_docx(report: AccessReport, *, password: str) -> bytes:
    """The access report as an encrypted Word document."""
    return encrypt_office_file(access_report_document(report), password)


def access_report_document(report: AccessReport) -> bytes:
    """The access report as a Word document, not yet encrypted: an export job keeps it
    encrypted with the field keys until the download encrypts it with the password typed
    then (exports.views)."""
    document = new_document()
    document.add_heading(access_report_title(report), level=1)
    document.add_paragraph(
        _(
            "Everything the partnership holds on this person on %(date)s (GDPR article 15). "
            "It contains special-category data: keep it encrypted and give it only to the person."
        )
        % {"date": f"{_local(report.made_at)} ({timezone.get_current_timezone_name()})"}
    )
    for section in access_report_sections(report):
        document.add_heading(section.title, level=2)
        if section.note:
            document.add_paragraph(section.note)
        if not section.rows:
            document.add_paragraph(section.empty)
            continue
        grid = docx_table(document, section.columns)
        for row in section.rows:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = xml_safe(text)
        set_column_widths(grid, widths_for_content(section.columns, section.rows, TEXT_WIDTH_CM))
    return document_bytes(document)
