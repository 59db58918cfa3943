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
    """Tell the admins who manage ``user`` (her organisation's, or the site admins for a
    partnership-wide role) that she did ``what`` with her account, so that a change she did not
    make is noticed."""
    body = _(
        "%(email)s %(what)s. If she did not, reset her two-factor login and end her sessions "
        "under Administration, and ask her to change her password."
    ) % {"email": user.email, "what": what}
    send_staff_notice(
        organisation_admin_addresses_for(user),
        _("Next Steps: a member changed her two-factor login"),
        body,
    )


def tell_data_protection_officers(subject: str, body: str) -> None:
    send_staff_notice(active_addresses_of_role(Role.DATA_PROTECTION_OFFICER), subject, body)
