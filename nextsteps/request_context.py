"""Where a request came from, for the audit log, without passing the request everywhere."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    request_id: str = ""


NO_REQUEST = RequestContext()
_current: ContextVar[RequestContext | None] = ContextVar("request_context", default=None)


def current_request_context() -> RequestContext:
    """The running request's context, or an empty one outside a request (commands, jobs)."""
    return _current.get() or NO_REQUEST


def set_request_context(context: RequestContext):
    return _current.set(context)


def reset_request_context(token):
    _current.reset(token)
