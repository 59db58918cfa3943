from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.rules import Permission


def role_permission_required(permission: Permission):
    """Log in first; then 403 for a member whose role lacks ``permission``."""

    def decorator(view):
        @wraps(view)
        @login_required
        def guarded(request, *args, **kwargs):
            if not request.user.has_role_permission(permission):
                raise PermissionDenied(permission)
            return view(request, *args, **kwargs)

        guarded.required_permission = permission
        return guarded

    return decorator
