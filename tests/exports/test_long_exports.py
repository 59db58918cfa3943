"""The other exports that grow with the data, on the export jobs' machinery (issue 14 point 3):
the audit log CSV, a person's access report with a long history, and the records behind a
figure. Above EXPORT_JOB_THRESHOLD a job writes the file, which waits encrypted with the field
keys for its requester alone until its link expires; each download is audited; the file is the
one the immediate download gives for the same input; below the threshold nothing changes."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from exports.enums import ExportKind, ExportStatus
from exports.models import ExportJob
from tests.cases.factories import AssistanceFactory
from tests.factories import BeneficiaryFactory, make_member
from tests.office_files import decrypted
from tests.reports.builders import add_records, build_plan
from tests.reports.reading import office_text

PASSWORD = "four words make a key"
PASSWORDS = {"password": PASSWORD, "password_again": PASSWORD}
LOW = 2  # three rows or more make a job
HIGH = 100_000
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    settings.TASKS = IMMEDIATE_TASKS
    settings.EXPORT_JOB_THRESHOLD = LOW


def stored_bytes(folder):
    [stored] = [path for path in folder.rglob("*") if path.is_file()]
    return stored.read_bytes()


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def download_audit_rows():
    return AuditEvent.objects.filter(object_type="exports.exportjob", action=AuditAction.EXPORT)


# -- asking for each kind, as its page does ------------------------------------------------------


@dataclass
class Asked:
    """An export asked for: who asked, her client, how to ask again, the secrets its file
    holds (never in the stored bytes) and how to read the downloaded file as text."""

    user: object
    client: object
    ask: object  # () -> response
    secrets: list
    needs_password: bool
    kind: str


def run(asked, capture):
    with capture(execute=True):
        return asked.ask()


def the_file(asked, job):
    """The downloaded file, decrypted when it was encrypted with a typed password."""
    response = the_download(asked, job)
    if asked.needs_password:
        return decrypted(response.content, PASSWORD)
    return body(response)


def the_download(asked, job):
    url = reverse("exports:download", args=[job.public_id])
    if asked.needs_password:
        return asked.client.post(url, PASSWORDS)
    return asked.client.get(url)


@pytest.fixture
def dpo(db):
    return make_member(Role.DATA_PROTECTION_OFFICER, email="dpo@partnership.test")


@pytest.fixture
def audit_log(client_of, dpo, alice):
    for number in range(3):
        AuditEvent.objects.create(
            actor=alice,
            organisation=alice.organisation,
            action=AuditAction.VIEW,
            object_type="cases.beneficiary",
            object_reference=f"BET-2023-000{number}",
            detail=f"Secret detail {number}",
            ip_address="192.0.2.7",
        )
    client = client_of(dpo)
    return Asked(
        dpo,
        client,
        lambda: client.post(reverse("accounts:audit_log_export")),
        [b"Secret detail", b"BET-2023-0001", alice.email.encode()],
        False,
        ExportKind.AUDIT_LOG,
    )


@pytest.fixture
def long_history(client_of, dpo, betania):
    person = BeneficiaryFactory(
        organisation=betania, alias="Mirela", legal_name="Ionela Secret-Name"
    )
    AssistanceFactory.create_batch(3, beneficiary=person, note="Assistance note")
    client = client_of(dpo)
    url = reverse("cases:access_report_download", kwargs={"code": person.code})
    asked = Asked(
        dpo,
        client,
        lambda: client.post(url, {}),
        [b"Ionela Secret-Name", b"Mirela", person.code.encode(), b"Assistance note"],
        True,
        ExportKind.ACCESS_REPORT,
    )
    asked.person = person
    asked.url = url
    return asked


@pytest.fixture
def plan(db):
    return build_plan()


def records_export_url(indicator="people"):
    return f"{reverse('reports:indicator_records_export')}?period=2022&indicator={indicator}"


@pytest.fixture
def figure_records(plan, client_of):
    people = add_records(plan, 3)
    coordinator = make_member(Role.ORGANISATION_COORDINATOR, plan.ours)
    client = client_of(coordinator)
    asked = Asked(
        coordinator,
        client,
        lambda: client.post(records_export_url(), {}),
        [person.code.encode() for person in people],
        False,
        ExportKind.REPORT_RECORDS,
    )
    asked.plan = plan
    return asked


KINDS = ["audit_log", "long_history", "figure_records"]


@pytest.fixture(params=KINDS)
def asked(request):
    return request.getfixturevalue(request.param)


# -- every kind ----------------------------------------------------------------------------------


def test_above_the_threshold_a_job_writes_the_file_and_it_waits_encrypted(
    asked, django_capture_on_commit_callbacks, _documents_in_a_temporary_folder
):
    response = run(asked, django_capture_on_commit_callbacks)

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[job.public_id])
    assert (job.kind, job.status, job.requested_by) == (asked.kind, ExportStatus.READY, asked.user)
    assert job.total >= 3 and job.done == job.total
    content = stored_bytes(_documents_in_a_temporary_folder)
    assert [secret for secret in asked.secrets if secret in content] == []
    assert b"PK" not in content[:4]  # not even a document in clear
    assert b"time_utc" not in content and b"Code,Category" not in content  # nor a CSV
    page = asked.client.get(response["Location"])
    assert page.status_code == 200
    assert (b'data-testid="export-form"' in page.content) == asked.needs_password


def test_nobody_but_the_requester_reaches_the_job_or_its_file(
    asked, django_capture_on_commit_callbacks, client_of, charlie
):
    run(asked, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    same_role_elsewhere = make_member(asked.user.role, charlie.organisation)

    for someone in (charlie, same_role_elsewhere):
        client = client_of(someone)
        for name in ("exports:job", "exports:progress", "exports:download"):
            url = reverse(name, args=[job.public_id])
            assert client.get(url).status_code == 404
            assert client.post(url, PASSWORDS).status_code == 404
    assert not download_audit_rows().exists()


def test_an_expired_link_answers_410_and_its_file_is_gone(
    asked, django_capture_on_commit_callbacks, _documents_in_a_temporary_folder
):
    run(asked, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    url = reverse("exports:download", args=[job.public_id])
    response = asked.client.post(url, PASSWORDS) if asked.needs_password else asked.client.get(url)

    assert response.status_code == 410
    assert [path for path in _documents_in_a_temporary_folder.rglob("*") if path.is_file()] == []
    assert not download_audit_rows().exists()


def test_each_download_writes_one_audit_row_naming_what_was_exported(
    asked, django_capture_on_commit_callbacks
):
    run(asked, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()

    the_file(asked, job)

    [row] = download_audit_rows()
    assert (row.actor, row.object_reference) == (asked.user, job.audit_reference)
    if asked.kind == ExportKind.ACCESS_REPORT:
        named = f"downloaded the access report of {asked.person.code} of "
    elif asked.kind == ExportKind.AUDIT_LOG:
        named = "downloaded the audit log CSV (no filter) of "
    else:
        named = "downloaded the records behind people of "
    assert row.detail.startswith(named)
    assert row.detail.endswith(f", {job.total} rows")


# -- the audit log CSV ---------------------------------------------------------------------------


def test_the_audit_log_file_is_the_immediate_download(
    audit_log, django_capture_on_commit_callbacks
):
    with override_settings(EXPORT_JOB_THRESHOLD=HIGH):
        immediate = body(audit_log.ask())
    run(audit_log, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()

    from_the_job = the_file(audit_log, job)

    assert from_the_job == immediate
    assert immediate.count(b"Secret detail") == 3
    # the immediate export's own row is in both; the job's is written once its file is made
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.EXPORT, detail="audit log CSV; no filter"
        ).count()
        == 2
    )


def test_the_job_exports_what_the_filters_chose(audit_log, dpo, django_capture_on_commit_callbacks):
    client = audit_log.client
    url = f"{reverse('accounts:audit_log_export')}?action=view"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = ExportJob.objects.get()

    lines = the_file(audit_log, job).decode().splitlines()

    assert len(lines) == 1 + 3 and all(",view," in line for line in lines[1:])
    assert AuditEvent.objects.get(detail="audit log CSV; action=view").actor == dpo


def test_a_short_audit_log_still_streams_at_once(audit_log, settings):
    settings.EXPORT_JOB_THRESHOLD = HIGH

    response = audit_log.ask()

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    assert body(response).count(b"Secret detail") == 3
    assert not ExportJob.objects.exists()


# -- a person's access report --------------------------------------------------------------------


def test_a_long_history_sends_the_report_page_to_its_download_and_asks_before_a_job(
    long_history,
):
    client = long_history.client
    report_page = client.get(
        reverse("cases:access_report", kwargs={"code": long_history.person.code})
    )
    download_page = client.get(long_history.url)

    assert report_page.status_code == 302
    assert report_page["Location"] == long_history.url
    assert download_page.status_code == 200
    assert "Prepare the file" in download_page.content.decode()
    assert not ExportJob.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW,
        object_reference=long_history.person.code,
        detail="access report download page",
    ).exists()


def test_the_access_report_from_the_job_is_the_immediate_one_and_audited_on_the_person(
    long_history, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False):
        with override_settings(EXPORT_JOB_THRESHOLD=HIGH):
            immediate = long_history.client.post(long_history.url, PASSWORDS)
        run(long_history, django_capture_on_commit_callbacks)
        job = ExportJob.objects.get()
        download = the_download(long_history, job)
        from_the_job = decrypted(download.content, PASSWORD)

    # Named as the file downloaded at once: after the person, not the day.
    named = f'attachment; filename="access-report-{long_history.person.code}.docx"'
    assert immediate["Content-Disposition"] == download["Content-Disposition"] == named
    assert office_text(from_the_job) == office_text(decrypted(immediate.content, PASSWORD))
    assert "Ionela Secret-Name" in office_text(from_the_job)
    exports_of_her = AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_reference=long_history.person.code
    )
    assert sorted(exports_of_her.values_list("detail", flat=True)) == [
        "access report, DOCX prepared by an export job, encrypted at download",
        "access report, encrypted DOCX",
    ]


def test_a_person_erased_before_the_job_runs_is_not_exported(
    long_history, django_capture_on_commit_callbacks, _documents_in_a_temporary_folder
):
    from cases.services import erase_beneficiary

    with django_capture_on_commit_callbacks(execute=False) as queued:
        long_history.ask()
    erase_beneficiary(long_history.person, ground="request", by=long_history.user)
    for callback in queued:
        callback()  # the task runs (and fails, which the immediate backend records)

    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED
    assert [path for path in _documents_in_a_temporary_folder.rglob("*") if path.is_file()] == []


def test_a_short_history_is_still_downloaded_at_once(long_history, settings):
    settings.EXPORT_JOB_THRESHOLD = HIGH

    page = long_history.client.get(
        reverse("cases:access_report", kwargs={"code": long_history.person.code})
    )
    response = long_history.client.post(long_history.url, PASSWORDS)

    assert page.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="access-report-{long_history.person.code}.docx"'
    )
    assert not ExportJob.objects.exists()


# -- the records behind a figure -----------------------------------------------------------------


def test_many_records_ask_before_a_job_and_the_file_is_the_immediate_one(
    figure_records, django_capture_on_commit_callbacks
):
    client = figure_records.client
    with override_settings(EXPORT_JOB_THRESHOLD=HIGH):
        immediate = client.get(records_export_url())
    page = client.get(records_export_url())
    run(figure_records, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()

    from_the_job = the_file(figure_records, job)

    assert "Prepare the file" in page.content.decode()
    assert immediate["Content-Disposition"] == 'attachment; filename="records-people-2022.csv"'
    assert (
        the_download(figure_records, job)["Content-Disposition"]
        == (immediate["Content-Disposition"])
    )
    assert from_the_job == immediate.content
    header, *rows = from_the_job.decode("utf-8-sig").splitlines()
    assert header == "Code,Category,Intake"
    assert len(rows) == 3 and all(row.endswith(",2022-03") for row in rows)
    assert (
        list(
            AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="pillars.indicator")
            .order_by("id")
            .values_list("detail", flat=True)
        )
        == ["records behind people for 2022, 3 rows, CSV"] * 2
    )


@pytest.mark.parametrize(
    ("indicator", "header"),
    [
        ("referrals", "Person (code),From,To,Sent on,Status"),
        ("participants", "Activity,Date,Location,Participants"),
        ("volunteers", "Volunteer,Location,Active from,until"),
        ("nets", "Safety net,Location,Started on,Ended on"),
    ],
)
def test_every_kind_of_record_is_exported_with_its_columns(
    figure_records, django_capture_on_commit_callbacks, indicator, header
):
    client = figure_records.client
    with override_settings(EXPORT_JOB_THRESHOLD=HIGH):
        immediate = client.get(records_export_url(indicator))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(records_export_url(indicator), {})
    job = ExportJob.objects.get()

    from_the_job = the_file(figure_records, job)

    assert from_the_job == immediate.content
    first, *rows = from_the_job.decode("utf-8-sig").splitlines()
    assert first == header
    assert len(rows) == 3


def records_so_far(plan):
    return plan.ours.beneficiaries.all()


def test_a_few_records_are_still_exported_at_once_in_a_fixed_number_of_queries(
    plan, client_of, settings, django_assert_num_queries
):
    settings.EXPORT_JOB_THRESHOLD = HIGH
    coordinator = make_member(Role.ORGANISATION_COORDINATOR, plan.ours)
    client = client_of(coordinator)
    client.get(records_export_url())  # the session's first page stamps what later pages read
    for people in (1, 5):
        add_records(plan, people - records_so_far(plan).count())
        # session, user; the pillars offered, the period, the indicator; the capped count that
        # decides; the rows (with the audit row, in a transaction: 4); not the session's
        # last-activity stamp (noted once a minute, by the first page)
        with django_assert_num_queries(10):
            response = client.get(records_export_url())
        assert response.status_code == 200
        assert len(response.content.decode("utf-8-sig").splitlines()) == 1 + people

    assert not ExportJob.objects.exists()


def test_the_records_page_links_to_its_export_for_whoever_may_export(figure_records, client_of):
    url = f"{reverse('reports:indicator_records')}?period=2022&indicator=people"
    admin = make_member(Role.ORGANISATION_ADMIN, figure_records.plan.ours)

    assert b'data-testid="records-export"' in figure_records.client.get(url).content
    assert b'data-testid="records-export"' not in client_of(admin).get(url).content
    assert client_of(admin).get(records_export_url()).status_code == 403


def test_a_programme_coordinator_lists_no_records_to_export(figure_records, client_of):
    coordinator = make_member(Role.PROGRAMME_COORDINATOR)

    assert client_of(coordinator).get(records_export_url()).status_code == 404
    assert client_of(coordinator).post(records_export_url(), {}).status_code == 404
    assert not ExportJob.objects.exists()


def test_typed_text_that_looks_like_a_formula_is_escaped_in_the_audit_log_file(
    audit_log, alice, django_capture_on_commit_callbacks
):
    AuditEvent.objects.create(
        actor=alice,
        action=AuditAction.VIEW,
        object_reference="=cmd|' /C calc'!A0",
        detail='=HYPERLINK("http://evil.example","x")',
        request_id="+sum(1)",
    )
    run(audit_log, django_capture_on_commit_callbacks)

    rows = list(csv.reader(io.StringIO(the_file(audit_log, ExportJob.objects.get()).decode())))

    [typed] = [row for row in rows if row[6].startswith("'=HYPERLINK")]
    assert (typed[5], typed[8]) == ("'=cmd|' /C calc'!A0", "'+sum(1)")
    assert typed[3] == "view" and typed[0][:4].isdigit()
