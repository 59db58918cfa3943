import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from exports.enums import ExportKind, ExportStatus
from nextsteps.fields import EncryptedTextField


class ExportJob(models.Model):
    """An export too large for a request, built by a background job (exports.tasks). Its file
    waits encrypted with the field keys (documents.encrypted_files) until ``expires_at``; only
    the member who asked for it may download it (exports.selectors)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The requester's organisation when she asked (none for partnership-wide roles).
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=ExportKind.choices)
    # What to export (the list's filters as a query string, which may hold a search for a
    # name, and the options ticked): JSON, encrypted like the person's identity.
    parameters = EncryptedTextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Where the encrypted file lies in the documents storage (a random name); empty once purged.
    stored_as = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    # The request that asked for it, for the audit rows the job writes (no request around it).
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="exportjob_requester_idx"),
            models.Index(fields=["expires_at"], name="exportjob_expires_idx"),
        ]

    def __str__(self):
        return f"{self.kind} export {self.public_id}"

    @property
    def audit_reference(self) -> str:
        return f"export {self.public_id.hex[:8]}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == ExportStatus.READY else 0
        return min(100, self.done * 100 // self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.READY, ExportStatus.FAILED, ExportStatus.EXPIRED)

    def has_expired(self, now=None) -> bool:
        return self.status == ExportStatus.EXPIRED or (
            self.expires_at is not None and self.expires_at <= (now or timezone.now())
        )
