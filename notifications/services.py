"""Domain functions of notifications: the only code that writes them. The casework domain
functions call ``notify_*`` inside their own transaction, so a notification exists exactly when
the change it announces does; e-mails leave after that transaction commits."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.enums import AuditAction
from accounts.models import Organisation, User
from accounts.rules import ROLE_PERMISSIONS, Permission
from accounts.services import record_audit
from nextsteps.scoping import scopes_disabled
from notifications.enums import NotificationKind
from notifications.models import Notification, NotificationPreference

if TYPE_CHECKING:  # cases imports this module
    from cases.models import Referral, Transfer

logger = logging.getLogger(__name__)

CASEWORK_ROLES = sorted(
    role
    for role, permissions in ROLE_PERMISSIONS.items()
    if Permission.RECORD_CASEWORK in permissions
)


def caseworkers_of(organisation: Organisation) -> list[User]:
    """The active members who handle the organisation's referrals (caseworkers and admins)."""
    return list(
        User.objects.filter(
            is_active=True,
            membership__organisation=organisation,
            membership__role__in=CASEWORK_ROLES,
        ).order_by("pk")
    )


def _still_works_for(user: User | None, organisation_id: int) -> bool:
    return (
        user is not None
        and user.is_active
        and user.organisation is not None
        and user.organisation.pk == organisation_id
        and user.has_role_permission(Permission.RECORD_CASEWORK)
    )


def notify(
    recipients: list[User],
    kind: NotificationKind,
    *,
    link: str,
    referral: Referral | None = None,
) -> list[Notification]:
    """Announce ``kind`` to each of ``recipients`` in the app, and by e-mail to those who asked
    for it once the caller's transaction commits."""
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            organisation=user.organisation,
            kind=kind,
            link=link,
            referral=referral,
        )
        for user in recipients
        if user.organisation is not None
    )
    if notifications:
        public_ids = [note.public_id for note in notifications]
        transaction.on_commit(lambda: send_notification_emails(public_ids))
    return notifications


def _notify_one_side(
    organisation_id: int,
    handler: User | None,
    kind: NotificationKind,
    *,
    link: str,
    referral: Referral | None = None,
) -> list[Notification]:
    """Announce a step of a referral or transfer to one side of it: to ``handler``, the member
    who handles it there, while they still do casework for that organisation; else (nobody
    handles it yet, or they left) to every caseworker of the organisation."""
    if _still_works_for(handler, organisation_id):
        recipients = [handler]
    else:
        recipients = caseworkers_of(Organisation.objects.get(pk=organisation_id))
    return notify(recipients, kind, link=link, referral=referral)


def _referral_link(referral: Referral) -> str:
    return reverse("cases:referral_detail", kwargs={"public_id": referral.public_id})


# What each referral step tells, and to whom: the other side of the referral.
_STEP_KINDS = {
    "sent": NotificationKind.REFERRAL_RECEIVED,
    "accepted": NotificationKind.REFERRAL_ACCEPTED,
    "declined": NotificationKind.REFERRAL_DECLINED,
    "completed": NotificationKind.REFERRAL_COMPLETED,
    "withdrawn": NotificationKind.REFERRAL_WITHDRAWN,
}


def notify_referral_step(referral: Referral, status: str) -> list[Notification]:
    """Tell the other side of ``referral`` that it moved to ``status``. A new referral goes to
    every caseworker of the receiver (nobody has it yet); an answer goes to the caseworker who
    sent it, or to all the sender's caseworkers if she has left; a withdrawal goes to the
    caseworker who accepted it, else to all the receiver's caseworkers."""
    kind = _STEP_KINDS[status]
    if status == "withdrawn":
        organisation_id = referral.to_organisation_id
        handler = _who_accepted(referral)
    elif status == "sent":
        organisation_id, handler = referral.to_organisation_id, None
    else:
        organisation_id, handler = referral.from_organisation_id, referral.sent_by
    return _notify_one_side(
        organisation_id, handler, kind, link=_referral_link(referral), referral=referral
    )


def _who_accepted(referral: Referral) -> User | None:
    accepted = referral.events.filter(status="accepted").select_related("by").first()
    return accepted.by if accepted else None


_TRANSFER_KINDS = {
    "requested": NotificationKind.TRANSFER_REQUESTED,
    "accepted": NotificationKind.TRANSFER_ACCEPTED,
    "declined": NotificationKind.TRANSFER_DECLINED,
    "withdrawn": NotificationKind.TRANSFER_WITHDRAWN,
}


def notify_transfer_step(transfer: Transfer, status: str) -> list[Notification]:
    """Tell the other side of a case transfer that it moved to ``status``: a request and its
    withdrawal go to every caseworker of the organisation asked (nobody has it yet); an answer
    to the caseworker who asked, or to all the sender's caseworkers if she has left. The link
    names the transfer by its opaque id."""
    if status in ("requested", "withdrawn"):
        organisation_id, handler = transfer.to_organisation_id, None
    else:
        organisation_id, handler = transfer.from_organisation_id, transfer.requested_by
    link = reverse("cases:transfer_detail", kwargs={"public_id": transfer.public_id})
    return _notify_one_side(organisation_id, handler, _TRANSFER_KINDS[status], link=link)


def notify_erasure(organisation: Organisation, *, former_owner: bool = False) -> list[Notification]:
    """Tell a partner's caseworkers that a person it received by referral, or whose case it had
    before a transfer (``former_owner``), was erased (the notice in their referral inbox says
    which record)."""
    kind = (
        NotificationKind.ERASURE_AFTER_TRANSFER if former_owner else NotificationKind.ERASURE_NOTICE
    )
    return notify(caseworkers_of(organisation), kind, link=reverse("cases:referral_inbox"))


def notify_task_assigned(assignee: User, *, link: str) -> list[Notification]:
    return notify([assignee], NotificationKind.TASK_ASSIGNED, link=link)


def notify_overdue_referrals(referrals: Iterable[Referral], *, today: date | None = None) -> int:
    """Announce once, to both sides' caseworkers, each referral of ``referrals`` (sent, not
    answered) whose answer date has passed. Run daily (``manage.py notify_overdue_referrals``);
    running it again announces nothing twice. Returns how many notifications were made."""
    today = today or timezone.localdate()
    made = 0
    for referral in referrals.filter(status="sent", due_date__lt=today):
        for organisation in (referral.to_organisation, referral.from_organisation):
            for user in caseworkers_of(organisation):
                made += _notify_overdue_once(user, referral)
    return made


def _notify_overdue_once(user: User, referral: Referral) -> int:
    if Notification.objects.filter(
        recipient=user, referral=referral, kind=NotificationKind.REFERRAL_OVERDUE
    ).exists():
        return 0
    try:
        with transaction.atomic():
            notify(
                [user],
                NotificationKind.REFERRAL_OVERDUE,
                link=_referral_link(referral),
                referral=referral,
            )
    except IntegrityError:  # another run made it at the same moment
        return 0
    return 1


@transaction.atomic
def mark_read(notification: Notification, *, by: User) -> Notification:
    """The recipient opened it."""
    if notification.recipient_id != by.pk:
        raise PermissionError("A notification is marked read by its recipient only.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_email_preference(user: User, *, by_email: bool, by: User) -> NotificationPreference:
    if user.pk != by.pk:
        raise PermissionError("Members choose their own e-mail notifications.")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"by_email": by_email}
    )
    record_audit(
        AuditAction.UPDATE,
        by=by,
        detail=f"notification e-mails {'on' if by_email else 'off'}",
    )
    return preference


# -- e-mail ----------------------------------------------------------------------------------------


def notification_email(notification: Notification) -> EmailMessage:
    """The e-mail for one notification: what happened, in the words of its kind, and a link to
    the list of notifications. Nothing about the person: no code, alias or name, and not even
    the referral's address (a forwarded e-mail should reveal nothing)."""
    link = settings.SITE_URL + reverse("notifications:list")
    with override(settings.LANGUAGE_CODE):
        text = str(notification.text)
        body = "\n\n".join(
            [
                text,
                _("Log in to Next Steps to see it: %(link)s") % {"link": link},
                _("You get these e-mails because you turned them on. To turn them off: %(link)s")
                % {"link": settings.SITE_URL + reverse("notifications:preferences")},
            ]
        )
        return EmailMessage(
            subject=_("Next Steps: %(text)s") % {"text": text.rstrip(".")},
            body=body,
            to=[notification.recipient.email],
        )


def send_notification_emails(public_ids: list[uuid.UUID]) -> int:
    """Send the e-mails of these notifications to the recipients who turned e-mail on. A mail
    server that fails is logged and never undoes or breaks what was saved."""
    # The recipients are of another organisation than the member whose change is announced, so
    # the request's scope would hide their notifications; the ids name exactly the rows to send.
    with scopes_disabled():
        notifications = list(
            Notification.objects.filter(
                public_id__in=public_ids, recipient__notification_preference__by_email=True
            )
            .select_related("recipient")
            .order_by("pk")
        )
    messages = [notification_email(notification) for notification in notifications]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # a mail server's failure must not fail the request
        logger.exception("Notification e-mails could not be sent")
        return 0
