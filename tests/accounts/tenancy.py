"""The accounts app's URL patterns for the tenant-isolation walk (tests/test_tenancy.py)."""

from accounts.enums import Role
from tests.factories import make_member
from tests.tenancy_support import ObjectUrl, missing_uuid

URLS_WITHOUT_OBJECT = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    # Its identifiers are a one-time token for one account, not an organisation's record.
    "accounts:password_reset_confirm",
    "accounts:member_add",
    "accounts:two_factor",
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:two_factor_backup_codes",
    "accounts:administration_home",
    "accounts:data_protection_home",
    "accounts:audit_log",
    "accounts:audit_log_export",
    "accounts:unusual_access",
    "accounts:records_of_processing",
}


def _their_member(world):
    return {"public_id": world.their_member.public_id}


# The site admin manages every organisation's members.
_MEMBER_URL = ObjectUrl(
    theirs=_their_member, missing=missing_uuid("public_id"), visible_to=frozenset({Role.SITE_ADMIN})
)

# URL name -> tests.tenancy_support.ObjectUrl
OBJECT_URLS = {
    "accounts:member_detail": _MEMBER_URL,
    "accounts:member_end_sessions": _MEMBER_URL,
    "accounts:member_deactivate": _MEMBER_URL,
    "accounts:member_reset_two_factor": _MEMBER_URL,
}


def add_records(world):
    """Add this app's records of the other organisation to ``world``."""
    world.their_member = make_member(Role.CASEWORKER, world.theirs)
