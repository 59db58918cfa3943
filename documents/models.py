import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.enums import DocumentKind
from nextsteps.fields import EncryptedTextField
from nextsteps.scoping import organisation_scoped_manager


class Document(models.Model):
    """A file about a person (a scanned ID, a police report, a court paper, a signed consent),
    stored encrypted (documents.encrypted_files). It belongs to the organisation that added it:
    the person's own organisation, or a partner that added it against a referral. A partner sees
    one only through a referral that gives it access: the sender's documents it chose to share
    on that referral, and the partner's own added against it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(
        "cases.Beneficiary", on_delete=models.PROTECT, related_name="documents"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    referral = models.ForeignKey(
        "cases.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents_added",
    )
    shared_on = models.ManyToManyField(
        "cases.Referral", blank=True, related_name="shared_documents"
    )
    kind = models.CharField(_("kind of document"), max_length=24, choices=DocumentKind.choices)
    # The file's name as uploaded: it can name her, so it is encrypted like her identity.
    title = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    # Where the encrypted file lies in the documents storage (a random name).
    stored_as = models.CharField(max_length=255, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = organisation_scoped_manager(
        "organisation", "beneficiary__organisation", "shared_on__to_organisation"
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.kind} of {self.beneficiary_id}"

    @property
    def audit_reference(self):
        return self.beneficiary.code
