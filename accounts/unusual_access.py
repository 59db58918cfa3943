"""Unusual access in the audit log, for the data protection officer.

Two patterns that a leak or a misused account leaves behind: one user opening many different
records in a short time (UNUSUAL_ACCESS_RECORDS within UNUSUAL_ACCESS_WINDOW), and activity
outside working hours (WORKING_HOURS, WORKING_DAYS) in the time zone of the user's organisation.
Both are computed in the database, one row per user, whatever the size of the log.

On PostgreSQL, a burst is looked for one user at a time, in the order of the index of record
views by user and time (audit_record_views_by_actor): a window function over each user's views
as the index returns them, with nothing to sort, and only from the index. Measured at national
scale (2 million audit rows, 84,000 record views in a month) this reads a month in a fraction of
the time of one window over all users' views, which must sort them first.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL, ValueRange
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay
from django.db.models.sql.compiler import SQLCompiler

from accounts.enums import AuditAction
from accounts.models import AuditEvent, User

_USER_COLUMNS = (
    "actor__public_id",
    "actor__email",
    "actor__membership__role",
    "actor__membership__organisation__name",
)


class Epoch(Func):
    """Seconds since 1970 of a moment: a number, so that a window frame can reach back a
    duration (Django's frames take numbers, not intervals)."""

    output_field = FloatField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: object
    ) -> tuple[str, list]:
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)")

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: object
    ) -> tuple[str, list]:
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s) * 86400.0)")


class SecondsBefore(ValueRange):
    """RANGE BETWEEN n PRECEDING AND CURRENT ROW over a number of seconds. PostgreSQL has
    supported a RANGE frame with an offset since version 11, and SQLite since 3.28; Django's
    PostgreSQL backend still refuses one, so this frame writes its bounds itself."""

    def __init__(self, seconds: int):
        super().__init__(start=-seconds, end=0)

    def window_frame_start_end(
        self, connection: BaseDatabaseWrapper, start: int, end: int
    ) -> tuple[str, str]:
        return f"{int(-start)} PRECEDING", "CURRENT ROW"


def _views_in_window(events, *, start, end):
    """Record views in [start - window, end) that had at least UNUSUAL_ACCESS_RECORDS views
    (of any records) by the same user in the window before them: one pass of a window function
    over the index on (actor, occurred_at). A user cannot open N different records in fewer
    than N views, so only these can start a burst; the exact count runs on them alone."""
    if connections[events.db].vendor == "postgresql":
        return _views_in_window_by_user(start=start, end=end)
    window = settings.UNUSUAL_ACCESS_WINDOW
    return (
        _record_views(events)
        .filter(occurred_at__gte=start - window, occurred_at__lt=end)
        .annotate(
            views_in_window=Window(
                Count("pk"),
                partition_by=[F("actor_id")],
                order_by=Epoch("occurred_at").asc(),
                frame=SecondsBefore(int(window.total_seconds())),
            )
        )
        .filter(views_in_window__gte=settings.UNUSUAL_ACCESS_RECORDS)
        .values("pk")
    )


# Each user's record views in time order, straight from the index (user, time) that holds the
# record too: the (N-1)th view before each view, by the same user. A view whose (N-1)th
# predecessor is within the window closes N views in it. Then the views at those moments.
_VIEWS_IN_WINDOW_BY_USER = """
SELECT view.id
FROM accounts_user AS actor
CROSS JOIN LATERAL (
    SELECT own.occurred_at,
           LAG(own.occurred_at, %s) OVER (ORDER BY own.occurred_at) AS earlier
    FROM accounts_auditevent AS own
    WHERE own.actor_id = actor.id AND own.action = %s AND own.object_reference <> ''
      AND own.occurred_at >= %s AND own.occurred_at < %s
) AS in_order
JOIN accounts_auditevent AS view
  ON view.actor_id = actor.id AND view.action = %s AND view.occurred_at = in_order.occurred_at
WHERE in_order.earlier >= in_order.occurred_at - %s
"""


def _views_in_window_by_user(*, start, end):
    """As _views_in_window, on PostgreSQL: per user, over the index, without a sort."""
    window = settings.UNUSUAL_ACCESS_WINDOW
    # A constant statement; every value is a parameter.
    return RawSQL(  # noqa: S611
        _VIEWS_IN_WINDOW_BY_USER,
        (
            settings.UNUSUAL_ACCESS_RECORDS - 1,
            AuditAction.VIEW,
            start - window,
            end,
            AuditAction.VIEW,
            window,
        ),
    )


def access_bursts(
    events: QuerySet[AuditEvent], *, start: datetime, end: datetime
) -> QuerySet[AuditEvent]:
    """Users who opened at least UNUSUAL_ACCESS_RECORDS different records within any
    UNUSUAL_ACCESS_WINDOW ending in [start, end), with the most records in one window."""
    window = settings.UNUSUAL_ACCESS_WINDOW
    records_in_window = (
        _record_views(AuditEvent.objects)
        .filter(
            actor=OuterRef("actor"),
            occurred_at__gt=OuterRef("occurred_at") - window,
            occurred_at__lte=OuterRef("occurred_at"),
        )
        .order_by()
        .values("actor")
        .annotate(records=Count("object_reference", distinct=True))
        .values("records")
    )
    return (
        _record_views(events)
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .filter(pk__in=_views_in_window(events, start=start, end=end))
        .annotate(records_in_window=Subquery(records_in_window))
        .filter(records_in_window__gte=settings.UNUSUAL_ACCESS_RECORDS)
        .values(*_USER_COLUMNS)
        .annotate(
            most_records=Max("records_in_window"),
            first_seen=Min("occurred_at"),
            last_seen=Max("occurred_at"),
        )
        .order_by("-most_records", "actor__email")
    )


def out_of_hours_access(
    events: QuerySet[AuditEvent], *, start: datetime, end: datetime
) -> list[dict]:
    """Per user, what they did in [start, end) outside working hours of their organisation's
    time zone (the record's organisation's for partnership-wide roles), most events first.
    The log's rows are grouped by user id and time zone alone, then the users' details are
    read once: grouping tens of thousands of rows by e-mail address and organisation name
    sorted several times the bytes."""
    first_hour, end_hour = settings.WORKING_HOURS
    outside = (
        Q(local_hour__lt=first_hour)
        | Q(local_hour__gte=end_hour)
        | ~Q(local_weekday__in=settings.WORKING_DAYS)
    )
    per_user = list(
        events.filter(actor__isnull=False, occurred_at__gte=start, occurred_at__lt=end)
        .annotate(
            time_zone=Coalesce(
                "actor__membership__organisation__time_zone",
                "organisation__time_zone",
                Value(settings.ORGANISATION_TIME_ZONES[0]),
            )
        )
        .annotate(
            local_hour=_in_local_time(events, ExtractHour, "HOUR"),
            local_weekday=_in_local_time(events, ExtractIsoWeekDay, "ISODOW"),
        )
        .filter(outside)
        .order_by()
        .values("actor", "time_zone")
        .annotate(
            events=Count("pk"),
            records=Count("object_reference", distinct=True, filter=~Q(object_reference="")),
            first_seen=Min("occurred_at"),
            last_seen=Max("occurred_at"),
        )
    )
    users = _user_columns_of({row["actor"] for row in per_user}, using=events.db)
    rows = [{**users[row["actor"]], **row} for row in per_user]
    return sorted(rows, key=lambda row: (-row["events"], row["actor__email"]))


def _user_columns_of(user_ids: set[int], *, using: str) -> dict[int, dict]:
    """{user id: the _USER_COLUMNS of the user, named as from an audit row}."""
    columns = [name.removeprefix("actor__") for name in _USER_COLUMNS]
    users = User.objects.using(using).filter(pk__in=user_ids).values("pk", *columns)
    return {user["pk"]: {f"actor__{name}": user[name] for name in columns} for user in users}


def _record_views(events):
    return events.filter(action=AuditAction.VIEW, actor__isnull=False).exclude(object_reference="")


class InTimeZone(Func):
    """EXTRACT(part FROM moment AT TIME ZONE zone), the zone a column of each row (PostgreSQL):
    one conversion per row, where a CASE over the known zones made one per zone."""

    output_field = FloatField()

    def __init__(self, part: str, moment: str, zone: str):
        self.part = part
        super().__init__(F(moment), F(zone))

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: object
    ) -> tuple[str, list]:
        (moment, moment_params), (zone, zone_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return f"EXTRACT({self.part} FROM ({moment} AT TIME ZONE {zone}))", [
            *moment_params,
            *zone_params,
        ]


def _in_local_time(events, extract, part):
    if connections[events.db].vendor == "postgresql":
        return InTimeZone(part, "occurred_at", "time_zone")
    # Elsewhere one branch per organisation time zone: each row converted in its own zone.
    return Case(
        *(
            When(time_zone=zone, then=extract("occurred_at", tzinfo=ZoneInfo(zone)))
            for zone in settings.ORGANISATION_TIME_ZONES
        )
    )
