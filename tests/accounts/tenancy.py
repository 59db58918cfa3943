"""The accounts app's URL patterns for the tenant-isolation walk (tests/test_tenancy.py)."""

URLS_WITHOUT_OBJECT = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:administration_home",
    "accounts:data_protection_home",
}

# URL name -> tests.tenancy_support.ObjectUrl
OBJECT_URLS = {}


def add_records(world):
    """Add this app's records of the other organisation to ``world.theirs_records``."""
