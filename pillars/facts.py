"""Summary facts: the rows the distinct-people figures read most, pre-aggregated per person and
year, kept in step with every write by database triggers in the writing transaction.

ASSISTED_PEOPLE counts people over millions of assistance rows. A fact row sums one person's
rows of one year that agree on everything the figures filter on but the service
(pillars.models.AssistanceFact), with the number of rows in each month of the year (``m01`` ...
``m12``). A window made of whole months is then answered exactly from the facts: a fact of a
year wholly inside the window counts, one of the window's first or last year counts if it has
rows in one of the window's months (pillars.computations). People are counted distinct over all
the window's facts, never summed over years. Indicators that name service types read the raw
rows (a person gets several services a month: a fact per service would sum almost nothing).

Triggers rather than application code, as for the data version (pillars.data_version): whatever
writes the rows (a domain function, ``QuerySet.update`` when attributes are restated, records
merged or cases transferred, an erasure, the admin, a migration), the facts change in the same
statement, so they never drift from the rows and a rolled-back write leaves them as they were.
Adding a row is an ``INSERT ... ON CONFLICT DO UPDATE`` (atomic: two transactions writing for
the same person and year wait for one another on the fact's row lock, neither increment is
lost); taking one away is an ``UPDATE`` of the month's count, then the fact is deleted once
every month is at zero. PostgreSQL runs them in a plpgsql row trigger, SQLite (one writer at a
time) in plain row triggers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections

# Table and column names come from this module, never from input.

MONTHS = range(1, 13)


def month_column(month: int) -> str:
    """The fact's column counting the rows of ``month`` (1-12) of its year."""
    return f"m{month:02}"


@dataclass(frozen=True)
class FactTable:
    """A fact table summing the rows of a source table that count (``voided_at IS NULL``)."""

    table: str
    source: str
    # Columns copied from the source row as they are; with the year, the fact's key.
    columns: tuple[str, ...]
    # The source's date column: its year is in the key, its month picks the count.
    date_column: str

    @property
    def trigger(self) -> str:
        return f"pillars_fact_{self.table}"


ASSISTANCE_FACTS = FactTable(
    table="pillars_assistancefact",
    source="cases_assistance",
    columns=("beneficiary_id", "category", "location_id", "organisation_id", "sub_project_id"),
    date_column="date",
)
FACT_TABLES = [ASSISTANCE_FACTS]

# The year and the month of a date, as integers.
_YEAR = {
    "postgresql": "CAST(EXTRACT(YEAR FROM {}) AS integer)",
    "sqlite": "CAST(strftime('%Y', {}) AS integer)",
}
_MONTH = {
    "postgresql": "CAST(EXTRACT(MONTH FROM {}) AS integer)",
    "sqlite": "CAST(strftime('%m', {}) AS integer)",
}
# 1 where the date falls in the month, else 0.
_ONE_IF_IN_MONTH = {
    "postgresql": "CASE WHEN " + _MONTH["postgresql"] + " = {} THEN 1 ELSE 0 END",
    "sqlite": "CASE WHEN " + _MONTH["sqlite"] + " = {} THEN 1 ELSE 0 END",
}
_MONTH_COLUMNS = [month_column(month) for month in MONTHS]


def _key(facts: FactTable, row: str, vendor: str) -> list[tuple[str, str]]:
    """[(fact column, its value from the source row ``row``: NEW or OLD)]."""
    return [
        ("year", _YEAR[vendor].format(f"{row}.{facts.date_column}")),
        *[(column, f"{row}.{column}") for column in facts.columns],
    ]


def _counts(facts: FactTable, row: str, vendor: str) -> list[str]:
    """The row's contribution to each month's count: 1 in its month, 0 elsewhere."""
    date = f"{row}.{facts.date_column}"
    return [_ONE_IF_IN_MONTH[vendor].format(date, month) for month in MONTHS]


def _add(facts: FactTable, vendor: str) -> str:
    """Count the NEW row in its fact: one atomic upsert."""
    key = _key(facts, "NEW", vendor)
    key_columns = ", ".join(column for column, _ in key)
    values = ", ".join([value for _, value in key] + _counts(facts, "NEW", vendor))
    # No alias for the table: SQLite takes none in a trigger.
    added = ", ".join(
        f"{column} = {facts.table}.{column} + excluded.{column}" for column in _MONTH_COLUMNS
    )
    return (
        f"INSERT INTO {facts.table} ({key_columns}, {', '.join(_MONTH_COLUMNS)}) "  # noqa: S608
        f"VALUES ({values}) ON CONFLICT ({key_columns}) DO UPDATE SET {added}"
    )


def _subtract(facts: FactTable, vendor: str) -> list[str]:
    """Take the OLD row out of its fact, and the fact away once no month has rows left."""
    matches = " AND ".join(f"{column} = {value}" for column, value in _key(facts, "OLD", vendor))
    taken = ", ".join(
        f"{column} = {column} - {count}"
        for column, count in zip(_MONTH_COLUMNS, _counts(facts, "OLD", vendor), strict=True)
    )
    empty = " + ".join(_MONTH_COLUMNS) + " = 0"
    return [
        f"UPDATE {facts.table} SET {taken} WHERE {matches}",  # noqa: S608
        f"DELETE FROM {facts.table} WHERE {matches} AND {empty}",  # noqa: S608
    ]


def _unchanged(facts: FactTable) -> str:
    """An update that leaves the row counted in the same fact and month (a note edited)."""
    old = ", ".join(
        ["OLD.voided_at IS NULL", "OLD." + facts.date_column]
        + ["OLD." + column for column in facts.columns]
    )
    new = old.replace("OLD.", "NEW.")
    return f"({old}) IS NOT DISTINCT FROM ({new})"


def _postgresql_function(facts: FactTable) -> str:
    subtract = ";\n        ".join(_subtract(facts, "postgresql"))
    return f"""
CREATE OR REPLACE FUNCTION {facts.trigger}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {_unchanged(facts)} THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.voided_at IS NULL THEN
        {subtract};
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.voided_at IS NULL THEN
        {_add(facts, "postgresql")};
    END IF;
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER {facts.trigger}
AFTER INSERT OR UPDATE OR DELETE ON {facts.source}
FOR EACH ROW EXECUTE FUNCTION {facts.trigger}();
"""


def _sqlite_triggers(facts: FactTable) -> dict[str, str]:
    """{trigger name: CREATE TRIGGER}: SQLite triggers run one event each, in plain SQL."""
    add = _add(facts, "sqlite")
    subtract = "; ".join(_subtract(facts, "sqlite"))
    name = facts.trigger
    source = facts.source
    return {
        f"{name}_insert": (
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source} "
            f"WHEN NEW.voided_at IS NULL BEGIN {add}; END"
        ),
        # Either order of these two is right: a fact emptied by the first is made again by
        # the second.
        f"{name}_update_old": (
            f"CREATE TRIGGER {name}_update_old AFTER UPDATE ON {source} "
            f"WHEN OLD.voided_at IS NULL BEGIN {subtract}; END"
        ),
        f"{name}_update_new": (
            f"CREATE TRIGGER {name}_update_new AFTER UPDATE ON {source} "
            f"WHEN NEW.voided_at IS NULL BEGIN {add}; END"
        ),
        f"{name}_delete": (
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {source} "
            f"WHEN OLD.voided_at IS NULL BEGIN {subtract}; END"
        ),
    }


def summed_from_rows(facts: FactTable, vendor: str) -> str:
    """SELECT of the facts as a fresh GROUP BY over the source rows (the backfill, and what the
    tests compare the facts with): key columns, then m01 ... m12."""
    year = _YEAR[vendor].format(facts.date_column)
    key = ", ".join([year, *facts.columns])
    counts = ", ".join(
        f"SUM({_ONE_IF_IN_MONTH[vendor].format(facts.date_column, month)})" for month in MONTHS
    )
    return (
        f"SELECT {key}, {counts} FROM {facts.source} "  # noqa: S608
        f"WHERE voided_at IS NULL GROUP BY {key}"
    )


def fill_facts(facts: FactTable, using: str = "default") -> None:
    """Sum the source rows into the fact table again, in one INSERT ... SELECT ... GROUP BY."""
    connection = connections[using]
    columns = ", ".join(["year", *facts.columns, *_MONTH_COLUMNS])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {facts.table}")  # noqa: S608
        # In the order of the years: a window's facts then lie together on disk.
        cursor.execute(
            f"INSERT INTO {facts.table} ({columns}) "
            + summed_from_rows(facts, connection.vendor)
            + " ORDER BY 1"
        )


def install_fact_triggers(using: str = "default", **kwargs: object) -> None:
    """Create the triggers that keep every fact table in step (idempotent; run by the migration
    that creates the tables and after every migrate, since SQLite drops a table's triggers when
    a migration rebuilds it: there, facts whose triggers were missing are summed again)."""
    connection = connections[using]
    if connection.vendor not in _YEAR:
        return
    existing = set(connection.introspection.table_names())
    for facts in FACT_TABLES:
        if facts.table not in existing or facts.source not in existing:
            continue
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_postgresql_function(facts))
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [facts.source],
            )
            present = {name for (name,) in cursor.fetchall()}
            missing = [sql for name, sql in _sqlite_triggers(facts).items() if name not in present]
            for sql in missing:
                cursor.execute(sql)
        if missing:
            fill_facts(facts, using)


def install_and_fill(using: str = "default") -> None:
    """What the migration does: the triggers first (on PostgreSQL they hold writes to the rows
    off until the migration commits), then every fact summed from the rows in one statement."""
    install_fact_triggers(using)
    if connections[using].vendor == "postgresql":
        for facts in FACT_TABLES:
            fill_facts(facts, using)


def drop_fact_triggers(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        for facts in FACT_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {facts.trigger} ON {facts.source}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {facts.trigger}()")
            elif connection.vendor == "sqlite":
                for name in _sqlite_triggers(facts):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
