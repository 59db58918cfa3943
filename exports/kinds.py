"""What each kind of export job builds, and the audit rows it writes when its file is ready.

A kind reads what it exports through the selectors of the requester, inside her organisation's
scope (exports.tasks), exactly as the immediate download does on a smaller list."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit_export import write_audit_csv
from accounts.enums import AuditAction
from accounts.filters import AuditEventFilter
from accounts.selectors import audit_events_for
from accounts.services import record_audit, record_audit_for_references
from cases.exports import access_report_document, report_time_zone, write_people_workbook
from cases.filters import BeneficiaryFilter
from cases.selectors import access_report_of, data_subjects_for, people_to_export_for
from exports.enums import ExportKind
from exports.models import ExportJob
from nextsteps.office_files import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE


class ExportNoLongerValid(Exception):
    """What the job was asked to export cannot be read any more (a filter refused)."""


@dataclass(frozen=True)
class Kind:
    # Writes the file into ``output``, telling ``progress`` the rows done; returns what
    # ``record_audit`` needs to write the export's audit rows once the file is stored.
    build: Callable[[ExportJob, dict, BinaryIO, Callable[[int], None]], object]
    record_audit: Callable[[ExportJob, dict, object], None]
    content_type: str
    extension: str
    # The file is downloaded only encrypted with a password typed at the download.
    needs_password: bool
    # What was exported, for the audit row of each download (never a search's text).
    describe: Callable[[dict], str] = lambda parameters: "an export"
    # The downloaded file's name without its extension, as the same file downloaded at once is
    # named; None (or a job asked for before it was kept): the kind and the day.
    file_name: Callable[[dict], str | None] = lambda parameters: None


def parameters_of(job: ExportJob) -> dict:
    return json.loads(job.parameters or "{}")


def file_name_of(job: ExportJob) -> str:
    """The name the job's file is downloaded under."""
    kind = KINDS[job.kind]
    name = kind.file_name(parameters_of(job)) or (
        f"{job.kind.replace('_', '-')}-{job.created_at:%Y-%m-%d}"
    )
    return f"{name}.{kind.extension}"


def count_in_the_job(job: ExportJob, total: int) -> None:
    """Record the rows to write, for a kind whose request only learnt that they are many."""
    job.total = total
    ExportJob.objects.filter(pk=job.pk).update(total=total)


# -- the people list -------------------------------------------------------------------------------


def people_filter(user, query: str) -> BeneficiaryFilter:
    return BeneficiaryFilter(QueryDict(query) or None, queryset=people_to_export_for(user))


def identity_note(include_identity: bool) -> str:
    return "identity included" if include_identity else "identity left out"


def people_about(user, *, made_at, count) -> list:
    return [
        (_("Organisation"), user.organisation),
        (_("Exported"), f"{made_at:%Y-%m-%d %H:%M} UTC"),
        (_("People"), count),
        (
            _("Handle with care"),
            _(
                "Personal data of people at risk. Keep this file encrypted, do not "
                "forward it, delete it when it is no longer needed."
            ),
        ),
    ]


def record_people_export_audit(user, *, codes, include_identity, summary) -> None:
    """The export's own audit row (kind, how many, identity or not, the filters: a search is
    named, never its text) and one row per person in the file. Call it in the transaction that
    hands the file over."""
    identity = identity_note(include_identity)
    record_audit(
        AuditAction.EXPORT,
        by=user,
        detail=f"people list, {len(codes)} records, encrypted XLSX, {identity}; {summary}",
    )
    record_audit_for_references(
        AuditAction.EXPORT,
        codes,
        object_type="cases.beneficiary",
        by=user,
        organisation=user.organisation,
        detail=f"in the people list export, {identity}",
    )


def _build_people(job, parameters, output, progress):
    people = people_filter(job.requested_by, parameters["query"])
    if people.is_bound and not people.is_valid():
        raise ExportNoLongerValid
    codes = write_people_workbook(
        output,
        people.qs,
        include_identity=parameters["include_identity"],
        about=people_about(job.requested_by, made_at=timezone.now(), count=job.total),
        progress=progress,
    )
    return codes, people.summary()


def _audit_people(job, parameters, built):
    codes, summary = built
    record_people_export_audit(
        job.requested_by,
        codes=codes,
        include_identity=parameters["include_identity"],
        summary=summary,
    )


# -- the audit log ---------------------------------------------------------------------------------


def _build_audit_log(job, parameters, output, progress):
    user = job.requested_by
    events = AuditEventFilter(QueryDict(parameters["query"]), queryset=audit_events_for(user))
    if not events.is_valid():
        raise ExportNoLongerValid
    # Counted here, off the request, which only learnt that the rows are many.
    count_in_the_job(job, events.qs.count())
    write_audit_csv(output, events.qs, progress=progress)
    return events.summary()


def _audit_audit_log(job, parameters, summary):
    # The same row as the immediate download's, written once the file is made.
    record_audit(AuditAction.EXPORT, by=job.requested_by, detail=f"audit log CSV; {summary}")


# -- a person's access report ----------------------------------------------------------------------


def _build_access_report(job, parameters, output, progress):
    person = data_subjects_for(job.requested_by).filter(code=parameters["code"]).first()
    if person is None or person.is_erased:
        raise ExportNoLongerValid  # erased meanwhile: nothing of an erased record is exported
    report = access_report_of(person)
    with timezone.override(report_time_zone(report)):
        output.write(access_report_document(report))
    progress(job.total)
    return person


def _audit_access_report(job, parameters, person):
    record_audit(
        AuditAction.EXPORT,
        person,
        by=job.requested_by,
        detail="access report, DOCX prepared by an export job, encrypted at download",
    )


KINDS = {
    ExportKind.PEOPLE: Kind(
        build=_build_people,
        record_audit=_audit_people,
        content_type=XLSX_CONTENT_TYPE,
        extension="xlsx",
        needs_password=True,
        describe=lambda parameters: "the people export",
    ),
    ExportKind.AUDIT_LOG: Kind(
        build=_build_audit_log,
        record_audit=_audit_audit_log,
        content_type="text/csv",
        extension="csv",
        needs_password=False,
        describe=lambda parameters: f"the audit log CSV ({parameters['summary']})",
    ),
    ExportKind.ACCESS_REPORT: Kind(
        build=_build_access_report,
        record_audit=_audit_access_report,
        content_type=DOCX_CONTENT_TYPE,
        extension="docx",
        needs_password=True,
        describe=lambda parameters: f"the access report of {parameters['code']}",
        file_name=lambda parameters: f"access-report-{parameters['code']}",
    ),
}


def register(kind: str, definition: Kind) -> None:
    """Add a kind defined by an app this one may not import (the reports, which nothing
    imports: reports.apps registers its own when Django starts)."""
    KINDS[kind] = definition
