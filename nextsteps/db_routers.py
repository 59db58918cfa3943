"""Report reads on a PostgreSQL read replica (DATABASE_REPLICA_URL), everything else on the
primary.

Only code running inside ``reading_from_replica()`` reads from the replica: the report pages
(reports/urls.py), which show aggregates and tolerate the replica's lag of a moment. Casework
never does: a caseworker who saved a record must see it on the next page. Writes (the audit row
a report page writes, for one) always go to the primary, and migrations run on the primary only
(the replica copies them).
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

REPLICA = "replica"
_on_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def reading_from_replica():
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def reads_from_replica(view):
    """A view whose reads go to the replica, when there is one."""

    @wraps(view)
    def on_replica(request, *args, **kwargs):
        with reading_from_replica():
            return view(request, *args, **kwargs)

    return on_replica


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _on_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, first, second, **hints):
        # The replica is a copy of the primary: rows from either may point at each other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
