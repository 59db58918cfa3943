"""Write many rows fast: COPY on PostgreSQL, bulk_create elsewhere.

Rows are dicts keyed by the model's column attribute names (``organisation_id``, not
``organisation``); a missing field takes its default. Encrypted fields go through the field's own
encryption, once per distinct value: the same ciphertext is reused across rows, which keeps two
million rows to a few thousand Fernet operations.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connections, models

from nextsteps.fields import EncryptedTextField

NULL = r"\N"
CHUNK = 50_000


def next_id(model, using="default") -> int:
    """The first free primary key of ``model``'s table: rows are written with explicit ids so
    that the rows pointing at them can be written in the same pass."""
    last = model.objects.using(using).order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def write_rows(model, rows: Iterable[dict], using="default") -> int:
    """Insert ``rows`` (each with an explicit ``id``) into ``model``'s table; returns how many."""
    connection = connections[using]
    written = 0
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        if connection.vendor == "postgresql":
            _copy(model, chunk, connection)
        else:
            model.objects.using(using).bulk_create([model(**row) for row in chunk], batch_size=500)
        written += len(chunk)
    if connection.vendor == "postgresql" and written:
        _reset_sequence(model, connection)
    return written


def _copy(model, chunk, connection):
    fields = list(model._meta.concrete_fields)
    converters = [_converter(field, connection) for field in fields]
    defaults = [field.get_default() if field.has_default() else None for field in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in chunk:
        values = []
        for field, convert, default in zip(fields, converters, defaults, strict=True):
            value = row.get(field.attname, _missing)
            if value is _missing:
                value = field.get_default() if callable(field.default) else default
            values.append(NULL if value is None else convert(value))
        writer.writerow(values)
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')", buffer
        )


_missing = object()


def _converter(field, connection):
    if isinstance(field, EncryptedTextField):
        ciphertexts = {}

        def encrypt_once(value):
            if value not in ciphertexts:
                ciphertexts[value] = field.get_db_prep_save(value, connection)
            return ciphertexts[value]

        return encrypt_once
    if isinstance(field, models.JSONField):
        return json.dumps
    if isinstance(field, models.BooleanField):
        return lambda value: "t" if value else "f"
    if isinstance(field, models.DateField | models.DateTimeField):
        return lambda value: value.isoformat()
    return str


def _reset_sequence(model, connection):
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            # Table and column names come from the model, not from input.
            f"SELECT setval(pg_get_serial_sequence(%s, %s), (SELECT MAX({column}) FROM {table}))",  # noqa: S608
            [table, column],
        )


def numbered(rows: Iterator[dict], first_id: int) -> Iterator[dict]:
    """Give each row the next id, starting at ``first_id``."""
    for number, row in enumerate(rows, start=first_id):
        row["id"] = number
        yield row
