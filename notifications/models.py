import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from nextsteps.scoping import organisation_scoped_manager
from notifications.enums import NotificationKind


class Notification(models.Model):
    """Something a member should look at: one row per recipient, read or not.

    It holds no personal data: its text comes from its kind, and its link names a record by an
    opaque id, so it can go out by e-mail as it is."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The recipient's organisation when it was made: the scope its queries run in.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    # The page to open, a path inside the app.
    link = models.CharField(max_length=200)
    # The referral it is about, if any: an overdue referral is announced once to each member.
    referral = models.ForeignKey(
        "cases.Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = organisation_scoped_manager("organisation")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "referral"],
                condition=Q(kind=NotificationKind.REFERRAL_OVERDUE),
                name="one_overdue_notice_per_member_and_referral",
            )
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"

    @property
    def text(self):
        return self.get_kind_display()

    @property
    def is_read(self):
        return self.read_at is not None

    @property
    def audit_reference(self):
        return str(self.public_id)


class NotificationPreference(models.Model):
    """A member's choice to also get notifications by e-mail (off unless she turns it on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    by_email = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.user_id}: e-mail {'on' if self.by_email else 'off'}"
