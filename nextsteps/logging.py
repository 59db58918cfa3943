"""Log output that carries no personal data.

Our own code logs codes and ids only. What it cannot control are exception messages: a
``ValueError`` may quote the value it choked on, a template lookup error prints its context, a
database error its parameters. The formatter below keeps every traceback frame (file, line,
function, source line: enough to find a bug) and withholds the message of every exception except
a few kinds whose messages describe the system, not the data.
"""

import logging
import traceback

from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError


def _driver_connection_errors() -> tuple:
    try:
        import psycopg2
    except ImportError:
        return ()
    return (psycopg2.OperationalError, psycopg2.InterfaceError)


# Exceptions whose messages are about the infrastructure (a database that is down, a missing
# setting, a network timeout), kept in full because operators need them. The database driver's
# own connection errors come first in the chain under Django's.
SYSTEM_EXCEPTIONS = (
    OperationalError,
    InterfaceError,
    ImproperlyConfigured,
    OSError,
    *_driver_connection_errors(),
)
# A message of another type that names a file of the app, never data: the staticfiles manifest
# lacking an entry (collectstatic not run), which made every page a 500 with "message withheld".
SYSTEM_MESSAGE_STARTS = {ValueError: ("Missing staticfiles manifest entry for ",)}
WITHHELD = "(message withheld: it may contain personal data)"


class RedactingFormatter(logging.Formatter):
    def format(self, record):
        # Another handler may already have cached the full traceback on the record.
        cached = record.exc_text
        record.exc_text = self.formatException(record.exc_info) if record.exc_info else None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, exc_info):
        return redacted_traceback(exc_info[1]).rstrip("\n")


def redacted_traceback(exception) -> str:
    """Like ``traceback.format_exception``, with exception messages withheld."""
    parts = []
    for position, link in enumerate(_chain_oldest_first(exception)):
        if position:
            parts.append(
                "\nThe above exception was the direct cause of the following exception:\n\n"
                if link.__cause__ is not None
                else "\nDuring handling of the above exception, another exception occurred:\n\n"
            )
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(link.__traceback__))
        parts.append(f"{_qualified_name(link)}: {_message_of(link)}\n")
    return "".join(parts)


def _chain_oldest_first(exception):
    chain, seen = [], set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        chain.append(exception)
        exception = exception.__cause__ or (
            None if exception.__suppress_context__ else exception.__context__
        )
    return reversed(chain)


def _qualified_name(exception):
    kind = type(exception)
    module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
    return f"{module}{kind.__qualname__}"


def _message_of(exception):
    return str(exception) if _describes_the_system(exception) else WITHHELD


def _describes_the_system(exception) -> bool:
    if isinstance(exception, SYSTEM_EXCEPTIONS):
        return True
    starts = SYSTEM_MESSAGE_STARTS.get(type(exception), ())
    return bool(starts) and str(exception).startswith(starts)
