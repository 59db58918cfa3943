from accounts.rules import ROLE_PERMISSIONS


def membership(request):
    """The user's organisation and role for every page: the organisation's name is always on
    screen so nobody mistakes whose data they are looking at."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = user.membership_or_none
    return {
        "current_membership": current,
        "current_organisation": current.organisation if current else None,
        "role_permissions": {str(p) for p in ROLE_PERMISSIONS.get(user.role, ())},
        # Counted in the query that loaded the user (accounts.backends): no query of its own.
        "unread_notifications": getattr(user, "unread_notifications", 0),
        # Counted in the same query (cases.selectors.casework_counts_of_user).
        "navigation_counts": {
            "referrals_awaiting_answer": getattr(user, "referrals_awaiting_answer", 0),
            "overdue_tasks": getattr(user, "overdue_tasks", 0),
        },
    }
