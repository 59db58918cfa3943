"""Read queries of export jobs: a member sees only the jobs she asked for herself."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from exports.models import ExportJob


def export_jobs_for(user: User | AnonymousUser) -> QuerySet[ExportJob]:
    """The user's own export jobs; a colleague's, another organisation's or a missing one are
    alike: not there (404)."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user)
