"""The version of the data that indicator figures are computed from, and a cache keyed on it.

Every write to a table the computations read (pillars.computations) raises
``DataVersion.version`` through a database trigger, in the write's own transaction: whatever
wrote the row (a domain function, a bulk update, an erasure, the admin, a migration), the figures
cached under the old version are never read again. A figure is computed once per version, per
period and filters; at national scale the indicator table then costs one small query instead of
scanning two million rows.

PostgreSQL: a deferred constraint trigger raises the version once per transaction, at commit,
so the version's row lock is the last lock a writer takes (no deadlock with row locks taken
earlier) and is held only while the transaction commits; until then a statement trigger marks
the transaction, whose own reads then bypass the cache. SQLite has one writer at a time and
plain row triggers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router

if TYPE_CHECKING:  # the models module is not imported here: apps.get_model at run time
    from pillars.models import Indicator

# Whatever a computation returns (a dict of figures), cached as it is.
Figures = TypeVar("Figures")
# The models whose rows the computations read, directly or through a code they filter on.
SOURCE_MODELS = [
    "cases.Beneficiary",
    "cases.Assistance",
    "cases.Outcome",
    "cases.Referral",
    "cases.ServiceType",
    "accounts.Organisation",
    "pillars.Activity",
    "pillars.ActivityParticipation",
    "pillars.Volunteer",
    "pillars.SafetyNet",
    "pillars.Location",
    "pillars.SubProject",
]
VERSION_TABLE = "pillars_dataversion"

# Table names come from the models, never from input.
_POSTGRESQL_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION pillars_raise_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- At commit, once per transaction however many rows it wrote.
    IF current_setting('pillars.data_version_raised', true)
            IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config('pillars.data_version_raised', txid_current()::text, true);
        UPDATE {VERSION_TABLE} SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION pillars_note_pending_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- The version rises only at commit: until then this transaction's own reads must not
    -- take figures from the cache (current_version).
    PERFORM set_config('pillars.data_version_pending', txid_current()::text, true);
    RETURN NULL;
END
$$;
"""  # noqa: S608
_CURRENT_VERSION = {
    # NULL while this transaction has written rows the version has not counted yet.
    "postgresql": f"""
        SELECT CASE WHEN COALESCE(current_setting('pillars.data_version_pending', true), '')
                         = COALESCE(txid_current_if_assigned()::text, '-')
                    THEN NULL ELSE version END
        FROM {VERSION_TABLE} WHERE id = 1
    """,  # noqa: S608
    "sqlite": f"SELECT version FROM {VERSION_TABLE} WHERE id = 1",  # noqa: S608
}


def install_triggers(using: str = "default", **kwargs: object) -> None:
    """Create the version row and the triggers (idempotent; run after every migrate, since
    SQLite drops a table's triggers when a migration rebuilds the table)."""
    connection = connections[using]
    DataVersion = apps.get_model("pillars", "DataVersion")
    existing = set(connection.introspection.table_names())
    if VERSION_TABLE not in existing:
        return
    DataVersion.objects.using(using).get_or_create(pk=1)
    tables = [
        apps.get_model(label)._meta.db_table
        for label in SOURCE_MODELS
        if apps.get_model(label)._meta.db_table in existing
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRESQL_FUNCTIONS)
            for table in tables:
                cursor.execute(f"DROP TRIGGER IF EXISTS pillars_data_version ON {table}")
                cursor.execute(
                    f"CREATE CONSTRAINT TRIGGER pillars_data_version "
                    f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
                    f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                    f"EXECUTE FUNCTION pillars_raise_data_version()"
                )
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER pillars_data_version_pending "
                    f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION pillars_note_pending_change()"
                )
        elif connection.vendor == "sqlite":
            for table in tables:
                for operation in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS pillars_data_version_{table}_{operation} "  # noqa: S608
                        f"AFTER {operation} ON {table} BEGIN "
                        f"UPDATE {VERSION_TABLE} SET version = version + 1 WHERE id = 1; END"
                    )


def current_version() -> int | None:
    """The data version now; None where figures must not come from the cache: no version row,
    another database, or (PostgreSQL) this transaction changed rows not counted yet."""
    DataVersion = apps.get_model("pillars", "DataVersion")
    connection = connections[router.db_for_read(DataVersion)]
    if connection.vendor not in _CURRENT_VERSION:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_CURRENT_VERSION[connection.vendor])
        row = cursor.fetchone()
    return None if row is None else row[0]


def indicators_key(indicators: Iterable[Indicator]) -> list[tuple[int, str, int, str]]:
    """What an indicator's figure depends on besides the rows: its computation and parameters."""
    return sorted(
        (
            indicator.pk,
            indicator.computation,
            indicator.pillar_id,
            json.dumps(indicator.parameters, sort_keys=True, default=str),
        )
        for indicator in indicators
    )


def cached_figures(name: str, key_parts: tuple, compute: Callable[[], Figures]) -> Figures:
    """``compute()``, computed once per data version for the same ``key_parts``."""
    version = current_version()
    if version is None:
        return compute()
    text = json.dumps([name, version, *key_parts], sort_keys=True, default=_plain)
    key = "figures:" + hashlib.sha256(text.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, settings.FIGURE_CACHE_SECONDS)
    return found


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "pk", str(value))
