from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    PEOPLE = "people", _("List of people")
    AUDIT_LOG = "audit_log", _("Audit log")
    ACCESS_REPORT = "access_report", _("Access report")
    REPORT_RECORDS = "report_records", _("Records behind a figure")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")
