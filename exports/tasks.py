"""The background task that builds an export job (django-tasks: run at once by default, on RQ
in production, see settings.TASKS)."""

import zoneinfo

from django.utils import timezone, translation
from django_tasks import task

from accounts.selectors import visible_organisation_ids
from exports import services
from exports.kinds import parameters_of
from exports.models import ExportJob
from nextsteps.request_context import RequestContext, reset_request_context, set_request_context
from nextsteps.scoping import organisation_scope


@task()
def build_export(job_id: int) -> None:
    """Build export job ``job_id`` as its requester would see the data: in her organisation's
    scope, time zone and language, its audit rows carrying her request's address and id."""
    job = ExportJob.objects.select_related("requested_by", "organisation").get(pk=job_id)
    user = job.requested_by
    token = set_request_context(
        RequestContext(ip_address=job.ip_address, request_id=job.request_id)
    )
    try:
        with (
            organisation_scope(visible_organisation_ids(user)),
            timezone.override(_time_zone_of(job)),
            translation.override(parameters_of(job).get("language")),
        ):
            services.build(job)
    finally:
        reset_request_context(token)


def _time_zone_of(job: ExportJob):
    if job.organisation is None:
        return timezone.get_default_timezone()
    return zoneinfo.ZoneInfo(job.organisation.time_zone)
