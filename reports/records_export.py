"""The records behind one of an organisation's own figures, as CSV: the only report export that
grows with the data (the tables have a row per indicator or budget line, the breakdown one per
organisation). The same columns as the page (people by code only, a volunteer by number), the
rows read a chunk at a time as plain values, each label (a category, a status, an organisation,
a place) looked up in a table made once. An export job writes the same file for a long list
(reports.apps registers its kind)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from cases.models import Beneficiary, Referral
from nextsteps.spreadsheets import formula_safe
from pillars.models import Indicator, Location, Period
from reports import selectors
from reports.forms import ReportFilterForm

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# Rows read from the database (and how often a job tells its progress) at a time.
RECORDS_CHUNK = 2000


@dataclass(frozen=True)
class RecordsAskedFor:
    indicator: Indicator
    period: Period
    records: QuerySet[Model]

    @property
    def kind(self) -> str:
        return self.records.model._meta.model_name

    @property
    def audit_detail(self) -> str:
        return f"records behind {self.indicator.code} for {self.period.label}"


def records_asked_for(user: User, query: QueryDict) -> RecordsAskedFor | None:
    """The records behind the figure that ``query`` (the records page's address) names, as
    ``user`` may list them; None when the filters are wrong or she may not list them."""
    form = ReportFilterForm(user, query)
    if not form.is_valid():
        return None
    period = form.selected_period()
    if period is None:
        return None
    indicator = Indicator.objects.filter(
        programme=period.programme, code=query.get("indicator", "")
    ).first()
    if indicator is None:
        return None
    records = selectors.records_for(user, indicator, period, form.report_filters())
    if records is None:
        return None
    return RecordsAskedFor(indicator, period, records)


def _labels(choices) -> Callable[[object], str]:
    table = {value: str(label) for value, label in choices}
    return lambda value: table.get(value, value or "")


def _names_of(model) -> Callable[[object], str]:
    table = {record.pk: str(record) for record in model.objects.all()}
    return lambda pk: table.get(pk, "")


def _day(value) -> str:
    return value.isoformat() if value is not None else ""


def _month(value) -> str:
    return f"{value:%Y-%m}"


def _as_is(value) -> object:
    return value


def _columns(kind: str) -> list[tuple[str, str, Callable]]:
    """(heading, value read, how it is written) for each column of a kind of record, decided
    once per file."""
    if kind == "beneficiary":
        return [
            (_("Code"), "code", _as_is),
            (_("Category"), "category", _labels(Beneficiary.category.field.flatchoices)),
            (_("Intake"), "intake_date", _month),
        ]
    if kind == "referral":
        organisation = _names_of(Organisation)
        return [
            (_("Person (code)"), "beneficiary__code", _as_is),
            (_("From"), "from_organisation_id", organisation),
            (_("To"), "to_organisation_id", organisation),
            (_("Sent on"), "sent_on", _day),
            (_("Status"), "status", _labels(Referral.status.field.flatchoices)),
        ]
    place = _names_of(Location)
    if kind == "activity":
        return [
            (_("Activity"), "title", _as_is),
            (_("Date"), "starts_on", _day),
            (_("Location"), "location_id", place),
            (_("Participants"), "participants", _as_is),
        ]
    if kind == "volunteer":
        # A volunteer by her number in the list, as on the page: never her name.
        return [
            (_("Location"), "location_id", place),
            (_("Active from"), "active_from", _day),
            (_("until"), "active_until", _day),
        ]
    return [
        (_("Safety net"), "name", _as_is),
        (_("Location"), "location_id", place),
        (_("Started on"), "started_on", _day),
        (_("Ended on"), "ended_on", _day),
    ]


def write_records_csv(
    output: BinaryIO, records: QuerySet, *, progress: Callable[[int], None] | None = None
) -> int:
    """Write ``records`` (reports.selectors.records_for) as CSV into ``output``: UTF-8 with a
    byte-order mark (Excel then reads Romanian and Dutch letters), text a spreadsheet would run
    escaped. ``progress`` is told the rows written after each chunk. Returns how many rows."""
    kind = records.model._meta.model_name
    columns = _columns(kind)
    numbered = kind == "volunteer"
    text = io.TextIOWrapper(output, encoding="utf-8", newline="")
    text.write("\ufeff")
    writer = csv.writer(text, lineterminator="\r\n")
    headings = [str(heading) for heading, _read, _write in columns]
    writer.writerow([_("Volunteer"), *headings] if numbered else headings)
    # The primary key is read too: a list of distinct records stays one row per record.
    rows = records.values_list("pk", *(read for _heading, read, _write in columns))
    count = 0
    for count, (_pk, *values) in enumerate(rows.iterator(chunk_size=RECORDS_CHUNK), start=1):
        cells = [
            formula_safe(write(value))
            for (_heading, _read, write), value in zip(columns, values, strict=True)
        ]
        writer.writerow([count, *cells] if numbered else cells)
        if progress is not None and count % RECORDS_CHUNK == 0:
            progress(count)
    text.flush()
    text.detach()  # the caller's file stays open
    if progress is not None:
        progress(count)
    return count
