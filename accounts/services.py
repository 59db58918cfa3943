"""Domain functions of the accounts app: the only code that writes to its tables."""

from django.db import transaction
from django.db.models import F

from accounts.enums import AuditAction
from accounts.models import AuditEvent, User
from nextsteps.request_context import current_request_context


def record_audit(
    action: AuditAction, record=None, *, by, organisation=None, detail="", reference=None
) -> AuditEvent:
    """Write one audit row for ``action`` on ``record`` by user ``by``.

    Call it inside the transaction of the change it records, so that both land or neither does.
    A record names itself in the log by ``audit_reference`` (a pseudonymous code) when it has
    one; the organisation is the record's, else the actor's. ``reference`` names something
    that is not a record (a hashed address that reaches no account).
    """
    context = current_request_context()
    return AuditEvent.objects.create(
        actor=by if by is not None and by.is_authenticated else None,
        organisation=organisation or _organisation_of(record) or _organisation_of_actor(by),
        action=action,
        object_type=record._meta.label_lower if record is not None else "",
        object_reference=reference or _reference_of(record),
        detail=detail[:255],
        ip_address=context.ip_address,
        request_id=context.request_id,
    )


def record_audit_for_each(
    action: AuditAction, records, *, by, organisation, detail, batch_size: int = 2000
) -> None:
    """One audit row per record, as ``record_audit`` writes it, saved in batches (an import
    writes a hundred thousand). ``detail`` is a function of the record."""
    context = current_request_context()
    actor = by if by is not None and by.is_authenticated else None
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                actor=actor,
                organisation=organisation,
                action=action,
                object_type=record._meta.label_lower,
                object_reference=_reference_of(record),
                detail=detail(record)[:255],
                ip_address=context.ip_address,
                request_id=context.request_id,
            )
            for record in records
        ),
        batch_size=batch_size,
    )


def _reference_of(record) -> str:
    if record is None:
        return ""
    return str(getattr(record, "audit_reference", record.pk))


def _organisation_of(record):
    return getattr(record, "organisation", None) if record is not None else None


def _organisation_of_actor(user):
    if user is None or not user.is_authenticated:
        return None
    return user.organisation


def raise_session_generation(user):
    """Every live session of ``user`` ends on its next request: the generation is part of the
    session hash. The caller writes the audit row that says why."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


@transaction.atomic
def end_all_sessions(user, *, by):
    """Invalidate every live session of ``user``: each ends on its next request."""
    raise_session_generation(user)
    record_audit(AuditAction.UPDATE, user, by=by, detail="ended all sessions")
