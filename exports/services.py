"""Domain functions of export jobs: asking for one, building it (in a worker, exports.tasks),
downloading its file (audited) and purging files past their time.

The file waits encrypted with the field keys, in the documents storage under a random name
(documents.encrypted_files); it is deleted when its link expires."""

import json
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import User
from accounts.services import record_audit
from documents.encrypted_files import CHUNK_SIZE, delete_stored, read_decrypted, store_encrypted
from exports.enums import ExportKind, ExportStatus
from exports.kinds import KINDS, parameters_of
from exports.models import ExportJob
from nextsteps.request_context import current_request_context


class ExportExpired(Exception):
    """The job's link has expired: its file is gone."""


class ExportNotReady(Exception):
    """The job's file is not ready (still running, or failed)."""


def needs_a_job(rows: int) -> bool:
    """Whether an export of ``rows`` rows is built off the request."""
    return rows > settings.EXPORT_JOB_THRESHOLD


def needs_a_job_for(rows: QuerySet) -> bool:
    """Whether exporting ``rows`` needs a job, asking the database to count no further than one
    past the threshold: two million audit rows are not counted to learn that they are many."""
    return needs_a_job(rows[: settings.EXPORT_JOB_THRESHOLD + 1].count())


def request_export(kind: ExportKind, *, by: User, parameters: dict, total: int) -> ExportJob:
    """Record the job and put it on the queue once the transaction commits (a worker must find
    the row). With the default (immediate) backend it is built right then, in this process."""
    from exports.tasks import build_export  # the task module imports the kinds' builders

    context = current_request_context()
    job = ExportJob.objects.create(
        organisation=by.organisation,
        requested_by=by,
        kind=kind,
        parameters=json.dumps(parameters),
        total=total,
        ip_address=context.ip_address,
        request_id=context.request_id,
    )
    transaction.on_commit(lambda: build_export.enqueue(job.pk))
    return job


def build(job: ExportJob) -> ExportJob:
    """Build the job's file (in a worker): progress saved as it goes, the file stored
    encrypted, then in one transaction the export's audit rows and the job marked ready. A job
    that fails is marked failed and leaves neither a file nor audit rows."""
    if job.status != ExportStatus.QUEUED:
        return job  # a worker picked it up twice: the first run is the one
    kind = KINDS[job.kind]
    parameters = parameters_of(job)
    _save(job, status=ExportStatus.RUNNING)
    stored_as = ""
    try:
        with tempfile.TemporaryFile() as output:
            built = kind.build(job, parameters, output, lambda done: _save(job, done=done))
            size = output.tell()
            output.seek(0)
            stored_as = store_encrypted(iter(lambda: output.read(CHUNK_SIZE), b""))
        with transaction.atomic():
            kind.record_audit(job, parameters, built)
            now = timezone.now()
            _save(
                job,
                status=ExportStatus.READY,
                stored_as=stored_as,
                size=size,
                finished_at=now,
                expires_at=now + timedelta(hours=settings.EXPORT_LINK_HOURS),
            )
    except Exception:
        if stored_as:
            delete_stored(stored_as)
        _save(job, status=ExportStatus.FAILED, finished_at=timezone.now())
        raise
    return job


def _save(job: ExportJob, **values) -> None:
    """Write ``values`` at once (seen by the job's page while the job runs)."""
    for name, value in values.items():
        setattr(job, name, value)
    ExportJob.objects.filter(pk=job.pk).update(**values)


def download(job: ExportJob, *, by: User) -> Iterator[bytes]:
    """The job's file, decrypted a chunk at a time, with an audit row for the download. An
    expired job's file is deleted there and then."""
    if job.has_expired():
        expire(job)
        raise ExportExpired
    if job.status != ExportStatus.READY:
        raise ExportNotReady
    record_audit(
        AuditAction.EXPORT,
        job,
        by=by,
        organisation=job.organisation,
        detail=f"downloaded {KINDS[job.kind].describe(parameters_of(job))} of "
        f"{timezone.localtime(job.created_at):%Y-%m-%d %H:%M}, {job.total} rows",
    )
    return read_decrypted(job.stored_as)


def expire(job: ExportJob) -> None:
    """Delete the job's file and mark the job expired (its page then says so)."""
    if job.stored_as:
        delete_stored(job.stored_as)
    _save(job, status=ExportStatus.EXPIRED, stored_as="", size=0)


def purge_expired_exports(now: datetime | None = None) -> int:
    """Delete the files of every job whose link has expired; return how many."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(expires_at__lte=now).exclude(status=ExportStatus.EXPIRED)
    count = 0
    for job in expired.iterator():
        expire(job)
        count += 1
    return count
