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
    }
