"""E-mails to staff about their accounts (never about the people in the records).

A notice is sent after the change it tells of has been saved; a mail server that is down is
logged and does not undo the change or show an error page: the audit row holds the event.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import User
from accounts.selectors import active_addresses_of_role, organisation_admin_addresses_for

logger = logging.getLogger(__name__)


def send_staff_notice(recipients: list[str], subject: str, body: str) -> None:
    if not recipients:
        return
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception("Could not e-mail a notice to staff")


def tell_organisation_admins(user: User, what: str) -> None:
    """Tell the admins who manage ``user`` (their organisation's, or the site admins for a
    partnership-wide role) that the user did ``what`` with their account, so that a change they
    did not make is noticed."""
    body = _(
        "%(email)s %(what)s. If the member did not, reset their two-factor login and end their "
        "sessions under Administration, and ask them to change their password."
    ) % {"email": user.email, "what": what}
    send_staff_notice(
        organisation_admin_addresses_for(user),
        _("Next Steps: a member changed their two-factor login"),
        body,
    )


def tell_data_protection_officers(subject: str, body: str) -> None:
    send_staff_notice(active_addresses_of_role(Role.DATA_PROTECTION_OFFICER), subject, body)
