"""The documents app's URL patterns for the tenant-isolation walk (tests/test_tenancy.py)."""

from documents.models import Document
from tests.tenancy_support import ObjectUrl, missing_uuid

URLS_WITHOUT_OBJECT = set()

_THEIR_REFERRAL = ObjectUrl(
    theirs=lambda world: {"public_id": world.referral.public_id},
    missing=missing_uuid("public_id"),
)

OBJECT_URLS = {
    "documents:add_to_person": ObjectUrl(
        theirs=lambda world: {"code": world.beneficiary.code},
        missing=lambda world: {"code": "NONE-2000-0001"},
    ),
    "documents:add_to_referral": _THEIR_REFERRAL,
    "documents:share_on_referral": _THEIR_REFERRAL,
    "documents:download": ObjectUrl(
        theirs=lambda world: {"public_id": world.document.public_id},
        missing=missing_uuid("public_id"),
    ),
}


def add_records(world):
    """A document of their person (its file is never read: the lookup answers first)."""
    world.document = Document.objects.create(
        beneficiary=world.beneficiary,
        organisation=world.theirs,
        kind="police_report",
        title="report.pdf",
        content_type="application/pdf",
        size=10,
        stored_as="xx/never-read.enc",
    )
