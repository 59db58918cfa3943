from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What happened. A notification says only this (and links to the page): never a code, an
    alias or a name, because e-mails leave the app and screens are seen over shoulders."""

    REFERRAL_RECEIVED = "referral_received", _("You have a new referral in Next Steps.")
    REFERRAL_ACCEPTED = "referral_accepted", _("A partner accepted a referral you sent.")
    REFERRAL_DECLINED = "referral_declined", _("A partner declined a referral you sent.")
    REFERRAL_COMPLETED = "referral_completed", _("A partner completed a referral you sent.")
    REFERRAL_WITHDRAWN = "referral_withdrawn", _("A partner withdrew a referral it sent you.")
    REFERRAL_OVERDUE = "referral_overdue", _("A referral is past the date it needed an answer by.")
    ERASURE_NOTICE = (
        "erasure_notice",
        _("A person you received by referral was erased: delete any copy you keep."),
    )
    # To an organisation that had the case itself before it moved on: it was never "received".
    ERASURE_AFTER_TRANSFER = (
        "erasure_after_transfer",
        _("A person whose case you transferred was erased: delete any copy you keep."),
    )
    TASK_ASSIGNED = "task_assigned", _("A task was assigned to you in Next Steps.")
    TRANSFER_REQUESTED = (
        "transfer_requested",
        _("A partner asks your organisation to take over a case in Next Steps."),
    )
    TRANSFER_ACCEPTED = "transfer_accepted", _("A partner took over a case you transferred.")
    TRANSFER_DECLINED = "transfer_declined", _("A partner declined a case transfer you asked for.")
    TRANSFER_WITHDRAWN = (
        "transfer_withdrawn",
        _("A partner withdrew the case transfer it asked of you."),
    )
