"""What each role may do. Views ask for one named permission; selectors ask whether a role may
see identities. A role this module does not know may do nothing."""

from enum import StrEnum

from accounts.enums import PARTNERSHIP_ROLES, Role


class Permission(StrEnum):
    RECORD_CASEWORK = "record_casework"
    SEE_IDENTITIES = "see_identities"
    MANAGE_ACTIVITIES = "manage_activities"
    MANAGE_PLAN = "manage_plan"  # targets, remarks, overrides, locking periods
    MANAGE_BUDGET = "manage_budget"
    VIEW_AGGREGATES = "view_aggregates"
    EXPORT_REPORTS = "export_reports"
    VIEW_AUDIT_LOG = "view_audit_log"
    HANDLE_DATA_REQUESTS = "handle_data_requests"  # access reports, erasure, retention
    MANAGE_USERS = "manage_users"
    MANAGE_REFERENCE_DATA = "manage_reference_data"
    IMPORT_SPREADSHEETS = "import_spreadsheets"  # the organisation's old records, all kinds
    MERGE_RECORDS = "merge_records"  # two records of one person become one (cases.merging)


ROLE_PERMISSIONS = {
    Role.CASEWORKER: {Permission.RECORD_CASEWORK, Permission.SEE_IDENTITIES},
    Role.ORGANISATION_ADMIN: {
        Permission.RECORD_CASEWORK,
        Permission.SEE_IDENTITIES,
        Permission.MANAGE_USERS,
        Permission.VIEW_AGGREGATES,
        Permission.IMPORT_SPREADSHEETS,
        Permission.MERGE_RECORDS,
    },
    Role.ORGANISATION_COORDINATOR: {
        Permission.MANAGE_ACTIVITIES,
        Permission.MANAGE_BUDGET,
        Permission.VIEW_AGGREGATES,
        Permission.EXPORT_REPORTS,
    },
    Role.PROGRAMME_COORDINATOR: {
        Permission.MANAGE_ACTIVITIES,
        Permission.MANAGE_PLAN,
        Permission.MANAGE_BUDGET,
        Permission.VIEW_AGGREGATES,
        Permission.EXPORT_REPORTS,
    },
    Role.DATA_PROTECTION_OFFICER: {Permission.VIEW_AUDIT_LOG, Permission.HANDLE_DATA_REQUESTS},
    Role.SITE_ADMIN: {Permission.MANAGE_USERS, Permission.MANAGE_REFERENCE_DATA},
}


def role_has_permission(role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, ())


def is_partnership_role(role) -> bool:
    return role in PARTNERSHIP_ROLES
