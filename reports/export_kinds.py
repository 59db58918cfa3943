"""The export job of the records behind a figure (reports.records_export), registered with the
exports app when Django starts (reports.apps): nothing may import the reports, so the exports
app cannot name this kind itself."""

from django.http import QueryDict

from accounts.enums import AuditAction
from accounts.models import User
from accounts.services import record_audit
from exports.enums import ExportKind
from exports.kinds import ExportNoLongerValid, Kind, count_in_the_job, register
from exports.models import ExportJob
from reports.records_export import (
    CSV_CONTENT_TYPE,
    RecordsAskedFor,
    records_asked_for,
    write_records_csv,
)


def _build(job: ExportJob, parameters: dict, output, progress) -> tuple[RecordsAskedFor, int]:
    asked = records_asked_for(job.requested_by, QueryDict(parameters["query"]))
    if asked is None:
        raise ExportNoLongerValid
    count_in_the_job(job, asked.records.count())
    return asked, write_records_csv(output, asked.records, progress=progress)


def _audit(job: ExportJob, parameters: dict, built: tuple[RecordsAskedFor, int]) -> None:
    asked, count = built
    record_records_export_audit(job.requested_by, asked, count)


def record_records_export_audit(user: User, asked: RecordsAskedFor, count: int) -> None:
    """The export's audit row, naming the figure: the same for a file made at once or by a
    job."""
    record_audit(
        AuditAction.EXPORT,
        asked.indicator,
        by=user,
        detail=f"{asked.audit_detail}, {count} rows, CSV",
    )


def register_kinds() -> None:
    register(
        ExportKind.REPORT_RECORDS,
        Kind(
            build=_build,
            record_audit=_audit,
            content_type=CSV_CONTENT_TYPE,
            extension="csv",
            needs_password=False,
            describe=lambda parameters: f"the records behind {parameters['indicator']}",
            file_name=lambda parameters: parameters.get("file_name"),
        ),
    )
