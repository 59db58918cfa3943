"""The reports app's URL patterns for the tenant-isolation walk (tests/test_tenancy.py).

No reports URL names an organisation's record: periods (by label) and indicators (by code) are
the partnership's plan, shared by every organisation, and an export format is not a record. What
each page shows is limited by the user's role instead (reports.selectors): an organisation's
figures and records are its own contribution only (tests/reports/test_privacy.py and
test_views.py hold another organisation's records against every view that lists records)."""

URLS_WITHOUT_OBJECT = {
    "reports:home",
    "reports:indicator_table",
    "reports:indicator_table_print",
    "reports:indicator_table_export",
    "reports:indicator_records",
    "reports:indicator_records_export",
    "reports:indicator_breakdown",
    "reports:financial",
    "reports:financial_print",
    "reports:financial_export",
    "reports:dashboard",
    "reports:referrals_dashboard",
    "reports:caseload_dashboard",
    "reports:budget_dashboard",
}

# URL name -> tests.tenancy_support.ObjectUrl
OBJECT_URLS = {}


def add_records(world):
    """Create this app's records of the other organisation on world (e.g. world.beneficiary)."""
