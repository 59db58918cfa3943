"""The cases app's URL patterns for the tenant-isolation walk (tests/test_tenancy.py)."""

URLS_WITHOUT_OBJECT = {"cases:home"}

# URL name -> tests.tenancy_support.ObjectUrl
OBJECT_URLS = {}


def add_records(world):
    """Create this app's records of the other organisation on world (e.g. world.beneficiary)."""
