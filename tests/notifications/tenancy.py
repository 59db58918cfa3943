"""The notifications app's URL patterns for the tenant-isolation walk (tests/test_tenancy.py)."""

from accounts.enums import Role
from notifications.enums import NotificationKind
from notifications.models import Notification
from tests.factories import make_member
from tests.tenancy_support import ObjectUrl, missing_uuid

URLS_WITHOUT_OBJECT = {
    "notifications:list",
    "notifications:mark_all_read",
    "notifications:preferences",
}

OBJECT_URLS = {
    "notifications:open": ObjectUrl(
        theirs=lambda world: {"public_id": world.notification.public_id},
        missing=missing_uuid("public_id"),
    ),
}


def add_records(world):
    """A notification for a caseworker of theirs."""
    recipient = make_member(Role.CASEWORKER, world.theirs)
    world.notification = Notification.objects.create(
        recipient=recipient,
        organisation=world.theirs,
        kind=NotificationKind.REFERRAL_RECEIVED,
        link="/cases/referrals/",
    )
