from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    IDENTITY_DOCUMENT = "identity_document", _("Identity document")
    POLICE_REPORT = "police_report", _("Police report")
    COURT_PAPER = "court_paper", _("Court paper")
    SIGNED_CONSENT = "signed_consent", _("Signed consent form")
    MEDICAL = "medical", _("Medical document")
    OTHER = "other", _("Other")


# What an uploaded file may be, by what it contains (filetype's MIME type) -> its extension.
ACCEPTED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/tiff": "tif",
    "image/heic": "heic",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
