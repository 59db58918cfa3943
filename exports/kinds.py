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

from accounts.enums import AuditAction
from accounts.services import record_audit, record_audit_for_references
from cases.exports import write_people_workbook
from cases.filters import BeneficiaryFilter
from cases.selectors import people_to_export_for
from exports.enums import ExportKind
from exports.models import ExportJob
from nextsteps.office_files import XLSX_CONTENT_TYPE


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


def parameters_of(job: ExportJob) -> dict:
    return json.loads(job.parameters or "{}")


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


KINDS = {
    ExportKind.PEOPLE: Kind(
        build=_build_people,
        record_audit=_audit_people,
        content_type=XLSX_CONTENT_TYPE,
        extension="xlsx",
        needs_password=True,
    ),
}
