from django.db import models

from nextsteps.scoping import organisation_scoped_manager


class ImportedRecord(models.Model):
    """A record made by a spreadsheet import, under the organisation's own reference for it in
    the old spreadsheet: importing the same file again finds it instead of adding it twice.

    Kept when the person is erased, so that an old spreadsheet imported again does not bring
    an erased person back."""

    class Kind(models.TextChoices):
        PERSON = "person"
        ASSISTANCE = "assistance"
        ACTIVITY = "activity"
        EXPENSE = "expense"
        REFERRAL = "referral"

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The spreadsheet's reference; for assistance, which has none, its values and how many
    # times the same values came before in the file (identical help twice on one day is real).
    reference = models.CharField(max_length=255)
    object_id = models.BigIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = organisation_scoped_manager("organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "reference"],
                name="imported_record_reference_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"
