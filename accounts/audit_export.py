"""The audit log as CSV: the same rows whether they stream in the response (a short log) or
are written to a file by an export job (exports.kinds, a long one).

Rows are read as plain tuples, a chunk at a time, with the actor's e-mail and the
organisation's slug joined in the one query: no model instance, no query per row, and memory
stays flat whatever the size of the log."""

import csv
import io
from collections.abc import Callable, Iterator
from typing import BinaryIO

from django.db.models import QuerySet

from nextsteps.spreadsheets import formula_safe

AUDIT_CSV_COLUMNS = [
    "time_utc",
    "user",
    "organisation",
    "action",
    "record_type",
    "record",
    "detail",
    "ip_address",
    "request_id",
]
# Rows read from the database at a time (and how often a job tells its progress).
AUDIT_CSV_CHUNK = 5000


def audit_csv_rows(events: QuerySet) -> Iterator[list[str]]:
    """The header, then one row per audit event of ``events`` (already filtered and ordered)."""
    yield AUDIT_CSV_COLUMNS
    rows = events.values_list(
        "occurred_at",
        "actor__email",
        "organisation__slug",
        "action",
        "object_type",
        "object_reference",
        "detail",
        "ip_address",
        "request_id",
    )
    # Text a spreadsheet would run is prefixed with a quote; an empty value stays empty. Only
    # the columns that can hold typed text are checked (most of the writing's time is spent
    # there): a time, an action, a record type and an address are the application's own
    # vocabulary and never start like a formula.
    for (
        occurred_at,
        email,
        organisation,
        action,
        record_type,
        record,
        detail,
        ip_address,
        request_id,
    ) in rows.iterator(chunk_size=AUDIT_CSV_CHUNK):
        yield [
            occurred_at.isoformat(),
            formula_safe(email),
            formula_safe(organisation),
            action,
            record_type,
            formula_safe(record),
            formula_safe(detail),
            ip_address or "",
            formula_safe(request_id),
        ]


class _Echo:
    def write(self, value):
        return value


def audit_csv_lines(events: QuerySet) -> Iterator[str]:
    """The CSV a line at a time, for a streaming response."""
    writer = csv.writer(_Echo())
    for row in audit_csv_rows(events):
        yield writer.writerow(row)


def write_audit_csv(
    output: BinaryIO, events: QuerySet, *, progress: Callable[[int], None] | None = None
) -> int:
    """Write the CSV into ``output`` (UTF-8, byte for byte what the response streams), telling
    ``progress`` the rows written after each chunk. Returns how many rows (without the header)."""
    text = io.TextIOWrapper(output, encoding="utf-8", newline="")
    writer = csv.writer(text)
    written = -1
    for written, row in enumerate(audit_csv_rows(events)):
        writer.writerow(row)
        if progress is not None and written and written % AUDIT_CSV_CHUNK == 0:
            progress(written)
    text.flush()
    text.detach()  # the caller's file stays open
    written = max(written, 0)
    if progress is not None:
        progress(written)
    return written
