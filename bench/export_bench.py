"""The people export at scale (issue 14 point 3): time and peak memory of the streamed export
(cases.exports.write_people_workbook: the workbook written row by row) beside the way it was
built before (every person loaded as a model, every identity field decrypted, each label built
per cell, openpyxl holding the whole sheet), both as the largest organisation's caseworker with
identity included; then the whole organisation's list as the job builds it (exports.services:
stored encrypted, the audit rows) and the download encrypts it with a password, and that
encryption alone. Wall time and this process's CPU time: medians of ``repeat`` runs; memory:
Python's peak allocation (tracemalloc) in a run of its own, at two sizes, so that a flat line
shows."""

import os
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from accounts.selectors import visible_organisation_ids
from bench.generator import email_of
from cases.exports import write_people_workbook
from cases.models import Beneficiary
from cases.selectors import PERSON_FACTS, display_value, people_to_export_for
from exports import services
from exports.enums import ExportKind
from exports.kinds import people_about
from exports.models import ExportJob
from nextsteps.office_files import encrypt_office_file, sheet_header, workbook_bytes, write_cell
from nextsteps.scoping import organisation_scope

LARGEST = "network-01"
PASSWORD = "a long benchmark passphrase"  # noqa: S105 (a synthetic file's)


@dataclass(frozen=True)
class ExportFigures:
    name: str
    rows: int
    seconds: list
    # This process's CPU time of each run: on a machine shared with other work the wall time
    # mostly measures the wait for a core (PostgreSQL's own time is not in it).
    cpu_seconds: list
    peak_megabytes: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)


def caseworker() -> User:
    return User.objects.get(email=email_of("caseworker", LARGEST))


def streamed_job(user: User, rows: int) -> None:
    """The job as a worker runs it, then the download's encryption with a password."""
    job = ExportJob.objects.create(
        organisation=user.organisation,
        requested_by=user,
        kind=ExportKind.PEOPLE,
        parameters='{"query": "", "include_identity": true}',
        total=rows,
    )
    services.build(job)
    encrypt_office_file(b"".join(services.download(job, by=user)), PASSWORD)
    services.expire(job)


def streamed_workbook(user: User, rows: int) -> None:
    """The workbook alone (no storage, no audit rows), for its memory at a given size."""
    people = people_to_export_for(user)[:rows]
    with tempfile.TemporaryFile() as output:
        write_people_workbook(
            output,
            people,
            include_identity=True,
            about=people_about(user, made_at=timezone.now(), count=rows),
        )


def before(user: User, rows: int) -> None:
    """The export as it was built until issue 14 (cases.exports before the streamed writer)."""
    people = list(people_to_export_for(user)[:rows])
    fields = PERSON_FACTS + Beneficiary.IDENTITY_FIELDS
    workbook = Workbook()
    sheet = workbook.active
    headers = [Beneficiary._meta.get_field(name).verbose_name for name in fields]
    sheet_header(sheet, 1, [*headers, "Last assistance", "Open referral"])
    for number, person in enumerate(people, start=2):
        values = [_legacy_cell(display_value(person, name)) for name in fields]
        values += [person.last_assistance_on, "yes" if person.has_open_referral else ""]
        for column, value in enumerate(values, start=1):
            write_cell(sheet, number, column, value)
    encrypt_office_file(workbook_bytes(workbook), PASSWORD)


def _legacy_cell(value):
    if isinstance(value, bool):
        return "yes" if value else ""
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def measure(name: str, run: Callable[[User, int], None], rows: int, repeat: int) -> ExportFigures:
    user = caseworker()
    seconds, cpu_seconds = [], []
    with organisation_scope(visible_organisation_ids(user)):
        for _ in range(repeat):
            with transaction.atomic():
                started, cpu_started = time.perf_counter(), time.process_time()
                run(user, rows)
                seconds.append(time.perf_counter() - started)
                cpu_seconds.append(time.process_time() - cpu_started)
                transaction.set_rollback(True)  # the next run finds the same database
        tracemalloc.start()
        with transaction.atomic():
            run(user, rows)
            transaction.set_rollback(True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return ExportFigures(name, rows, seconds, cpu_seconds, peak / 2**20)


def password_encryption(user: User, rows: int) -> None:
    """The download's encryption with a password alone (msoffcrypto, the whole file in memory:
    the format puts the key's check before the content, so it cannot be streamed)."""
    encrypt_office_file(_workbook_of(user, rows), PASSWORD)


_workbooks: dict = {}


def _workbook_of(user: User, rows: int) -> bytes:
    if rows not in _workbooks:
        _workbooks.clear()
        with tempfile.TemporaryFile() as output:
            write_people_workbook(
                output,
                people_to_export_for(user)[:rows],
                include_identity=True,
                about=people_about(user, made_at=timezone.now(), count=rows),
            )
            output.seek(0)
            _workbooks[rows] = output.read()
    return _workbooks[rows]


def run(
    repeat: int = 3, sizes=(10_000, 40_000), write=print, legacy: bool = True, only=None
) -> list:
    """The workbook alone (and the way it was built before) at each size, then the whole
    organisation's list as a job builds it and the download encrypts it, and that encryption
    alone (a job exports what its filters select: here everyone of the organisation)."""
    with organisation_scope(visible_organisation_ids(caseworker())):
        available = people_to_export_for(caseworker()).count()
    write(f"people of {LARGEST}: {available}; load average {os.getloadavg()[0]:.1f}")
    plan = []
    for rows in sizes:
        plan.append(("streamed workbook", streamed_workbook, min(rows, available)))
        if legacy:
            plan.append(("before (issue 14)", before, min(rows, available)))
    plan.append(("streamed job + download", streamed_job, available))
    plan.append(("download's encryption", password_encryption, available))
    figures = []
    for name, function, rows in plan:
        if only and not any(part in name for part in only):
            continue
        result = measure(name, function, rows, repeat)
        figures.append(result)
        write(
            f"{result.name:<24} {result.rows:>6} rows  median {result.median:6.2f} s "
            f"(runs {', '.join(f'{s:.2f}' for s in result.seconds)}), "
            f"CPU {result.cpu_median:6.2f} s  peak {result.peak_megabytes:7.1f} MB  "
            f"load average {os.getloadavg()[0]:.1f}"
        )
    return figures
