"""Domain functions of the accounts app: the only code that writes to its tables."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F, Model
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from accounts.enums import ORGANISATION_ROLES, AuditAction, Role
from accounts.models import AuditEvent, Membership, Organisation, SubmittedForm, User
from nextsteps.request_context import current_request_context


def record_audit(
    action: AuditAction,
    record: Model | None = None,
    *,
    by: User | AnonymousUser | None,
    organisation: Organisation | None = None,
    detail: str = "",
    reference: str | None = None,
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
    action: AuditAction,
    records: Iterable[Model],
    *,
    by: User | AnonymousUser | None,
    organisation: Organisation | None,
    detail: Callable[[Model], str],
    batch_size: int = 2000,
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


def record_audit_for_references(
    action: AuditAction,
    references: Sequence[str],
    *,
    object_type: str,
    by: User | AnonymousUser | None,
    organisation: Organisation | None,
    detail: str,
    batch_size: int = 2000,
) -> None:
    """One audit row per record named by its reference (a person's code), when the records
    themselves were never loaded (a streamed export reads plain rows), in the order given. On
    PostgreSQL the rows are made by the database from the list of references, one statement
    per ``REFERENCES_PER_INSERT``: an export of 40,000 people spent two seconds building model
    objects for ``bulk_create``."""
    context = current_request_context()
    row = AuditEvent(
        actor=by if by is not None and by.is_authenticated else None,
        organisation=organisation,
        action=action,
        object_type=object_type,
        detail=detail[:255],
        ip_address=context.ip_address,
        request_id=context.request_id,
    )
    connection = connections[router.db_for_write(AuditEvent)]
    if connection.vendor == "postgresql":
        _insert_audit_rows_for_references(connection, row, references)
        return
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                actor=row.actor,
                organisation=organisation,
                action=action,
                object_type=object_type,
                object_reference=reference,
                detail=row.detail,
                ip_address=row.ip_address,
                request_id=row.request_id,
            )
            for reference in references
        ),
        batch_size=batch_size,
    )


# References sent in one INSERT (an array parameter of a few hundred kilobytes).
REFERENCES_PER_INSERT = 10_000


def _insert_audit_rows_for_references(connection, row: AuditEvent, references) -> None:
    """``row`` once per reference, each with its own public id (a version 4 UUID, as the
    model's default makes) and the same moment, in the order of ``references``."""
    columns = (
        "occurred_at",
        "actor",
        "organisation",
        "action",
        "object_type",
        "detail",
        "ip_address",
        "request_id",
    )
    fields = [AuditEvent._meta.get_field(name) for name in columns]
    values = [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
    # Typed, as a SELECT does not take a column's type from the INSERT (an address is inet).
    placeholders = ", ".join(f"%s::{field.db_type(connection)}" for field in fields)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = (
        f"INSERT INTO {table} ({names}, object_reference, public_id) "  # noqa: S608 (names)
        f"SELECT {placeholders}, reference, gen_random_uuid() "
        "FROM unnest(%s::varchar[]) WITH ORDINALITY AS given (reference, position) "
        "ORDER BY position"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(references), REFERENCES_PER_INSERT):
            batch = list(references[start : start + REFERENCES_PER_INSERT])
            cursor.execute(statement, [*values, batch])


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


def raise_session_generation(user: User) -> None:
    """Every live session of ``user`` ends on its next request: the generation is part of the
    session hash. The caller writes the audit row that says why."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


@transaction.atomic
def end_all_sessions(user: User, *, by: User) -> None:
    """Invalidate every live session of ``user``: each ends on its next request."""
    raise_session_generation(user)
    record_audit(AuditAction.UPDATE, user, by=by, detail="ended all sessions")


# Easy to read out and type: no 0/O, 1/l/I.
FIRST_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105
FIRST_PASSWORD_LENGTH = 16


@transaction.atomic
def add_member(
    organisation: Organisation, *, email: str, role: Role, display_name: str = "", by: User
) -> tuple[User, str]:
    """A new member of ``organisation`` with a random first password, which she must change at
    her first login (then she sets up two-factor login). Returns the user and the password, to
    be shown once to the admin, who hands it over by a separate channel."""
    if role not in ORGANISATION_ROLES:
        raise ValidationError(_("Choose a role of your organisation."))
    email = email.strip().lower()
    if not email.isascii():
        raise ValidationError(_("Use an address written in plain Latin letters."))
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("There is already an account with this address."))
    password = get_random_string(FIRST_PASSWORD_LENGTH, FIRST_PASSWORD_ALPHABET)
    user = User.objects.create_user(
        email, password, display_name=display_name, must_change_password=True
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    record_audit(
        AuditAction.CREATE, user, by=by, organisation=organisation, detail=f"added member: {role}"
    )
    return user, password


@transaction.atomic
def deactivate_member(user: User, *, by: User) -> None:
    """The member can no longer log in; her sessions end (User.save) and stay ended if she is
    enabled again. Her audit rows and records stay."""
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_audit(AuditAction.UPDATE, user, by=by, detail="deactivated member")


@transaction.atomic
def set_password_by_admin(user: User, password: str, *, by: User) -> None:
    """A password typed by an admin (the admin site): the member changes it at her next login."""
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record_audit(AuditAction.UPDATE, user, by=by, detail="password set by an admin")


def password_changed_by_owner(user: User, *, how: str) -> None:
    """After the user set a password of her own (change or reset by e-mail): no longer must
    change it. The caller's transaction holds the password change."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    record_audit(AuditAction.UPDATE, user, by=user, detail=how)


def claim_form_submission(token: uuid.UUID, *, by: User) -> SubmittedForm | None:
    """Claim a create form's one-time token inside the caller's transaction. Returns None when
    the form is submitted for the first time (the caller saves, then ``settle``s the row), or
    the row of the earlier submission that already saved it.

    Of two submissions at the same moment, the second one's insert waits on the unique index
    until the first commits, then finds its row: one record, never two."""
    try:
        with transaction.atomic():
            SubmittedForm.objects.create(token=token, user=by)
    except IntegrityError:
        return SubmittedForm.objects.filter(token=token, user=by).first() or SubmittedForm(
            token=token, user=by
        )
    return None


def settle_form_submission(token: uuid.UUID, *, next_url: str) -> None:
    """Remember where the first submission of a form led, for its resubmissions."""
    SubmittedForm.objects.filter(token=token).update(next_url=next_url)
