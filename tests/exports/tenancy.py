"""The exports app's URL patterns for the tenant-isolation walk (tests/test_tenancy.py): an
export job is its requester's alone, so another organisation's job is not found."""

from accounts.enums import Role
from exports.enums import ExportKind, ExportStatus
from exports.models import ExportJob
from tests.factories import make_member
from tests.tenancy_support import ObjectUrl, missing_uuid

URLS_WITHOUT_OBJECT = set()

_THEIR_JOB = ObjectUrl(
    theirs=lambda world: {"public_id": world.export_job.public_id},
    missing=missing_uuid("public_id"),
)

OBJECT_URLS = {
    "exports:job": _THEIR_JOB,
    "exports:progress": _THEIR_JOB,
    "exports:download": _THEIR_JOB,
}


def add_records(world):
    """A finished export of their caseworker (its file is never read: the lookup answers
    first)."""
    world.export_job = ExportJob.objects.create(
        organisation=world.theirs,
        requested_by=make_member(Role.CASEWORKER, world.theirs),
        kind=ExportKind.PEOPLE,
        status=ExportStatus.READY,
        total=3,
        done=3,
        stored_as="xx/never-read.enc",
    )
