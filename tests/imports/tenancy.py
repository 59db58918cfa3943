"""The imports app's URL patterns for the tenant-isolation walk (tests/test_tenancy.py).

The import page takes no record's identifier: it imports into the admin's own organisation,
never one named in the request or the file (tests/imports/test_import.py)."""

URLS_WITHOUT_OBJECT = {"imports:spreadsheet", "imports:template"}

# URL name -> tests.tenancy_support.ObjectUrl
OBJECT_URLS = {}


def add_records(world):
    """The import page shows no record of any organisation."""
