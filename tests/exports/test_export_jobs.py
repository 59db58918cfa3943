"""Exports too long for a request (issue 14 point 3): a background job builds the file, its page
shows the progress, the file waits encrypted with the field keys, only the member who asked may
download it (with the password she types then, audited), and the link expires."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from exports.enums import ExportStatus
from exports.models import ExportJob
from tests.factories import BeneficiaryFactory, LocationFactory, make_member
from tests.office_files import decrypted

PASSWORD = "four words make a key"
PASSWORDS = {"password": PASSWORD, "password_again": PASSWORD}


@pytest.fixture(autouse=True)
def _a_job_from_three_rows(settings):
    settings.EXPORT_JOB_THRESHOLD = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def people(betania):
    place = LocationFactory(code="oradea", name="Oradea")
    return [
        BeneficiaryFactory(
            organisation=betania,
            alias=f"Secret alias {number}",
            legal_name=f"Hidden Legal Name {number}",
            category="refugee",
            sex="male",
            nationality="UA",
            location=place,
            safety_flag=number == 0,
        )
        for number in range(3)
    ]


def ask_for_the_export(client, django_capture_on_commit_callbacks, query="", **data):
    url = f"{reverse('cases:beneficiary_export')}?{query}"
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, data)


def stored_files(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


def test_a_long_list_is_built_by_a_job_and_waits_encrypted(
    client_of, alice, people, django_capture_on_commit_callbacks, _documents_in_a_temporary_folder
):
    response = ask_for_the_export(
        client_of(alice), django_capture_on_commit_callbacks, include_identity="on"
    )

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[job.public_id])
    assert (job.status, job.done, job.total) == (ExportStatus.READY, 3, 3)
    assert job.requested_by == alice
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    [stored] = stored_files(_documents_in_a_temporary_folder)
    content = stored.read_bytes()
    for person in people:
        for secret in (person.code, person.alias, person.legal_name):
            assert secret.encode() not in content
    assert b"PK" not in content[:4]  # not even a workbook in clear
    # the export's own audit row and one per person, written when the file was made
    export_rows = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert export_rows.get(object_reference="").detail == (
        "people list, 3 records, encrypted XLSX, identity included; no filter"
    )
    assert sorted(
        export_rows.exclude(object_reference="").values_list("object_reference", flat=True)
    ) == sorted(person.code for person in people)


def test_the_requester_downloads_it_with_the_password_she_types_then(
    client_of, alice, people, django_capture_on_commit_callbacks
):
    client = client_of(alice)
    ask_for_the_export(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()

    page = client.get(reverse("exports:job", args=[job.public_id]))
    response = client.post(reverse("exports:download", args=[job.public_id]), PASSWORDS)

    assert page.status_code == 200
    assert b'data-testid="export-form"' in page.content
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(decrypted(response.content, PASSWORD)))["People"]
    header, *rows = sheet.values
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert sorted(rows) == sorted(person.code for person in people)
    first = rows[people[0].code]
    # labels, not stored values: a category, a sex, a country and a place by their names
    assert (first["category"], first["sex"], first["nationality"], first["current location"]) == (
        "Refugee",
        "Male",
        "Ukraine",
        "Oradea",
    )
    assert [rows[person.code]["safety concern"] for person in people] == ["yes", None, None]
    assert first["alias"] == "Secret alias 0"
    assert "legal name" not in header
    download = AuditEvent.objects.get(object_type="exports.exportjob")
    assert (download.actor, download.action) == (alice, AuditAction.EXPORT)
    assert download.object_reference == job.audit_reference


def test_a_weak_password_is_refused_and_nothing_is_downloaded(
    client_of, alice, people, django_capture_on_commit_callbacks
):
    client = client_of(alice)
    ask_for_the_export(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()

    response = client.post(
        reverse("exports:download", args=[job.public_id]),
        {"password": "short", "password_again": "short"},
    )

    assert response.status_code == 400
    assert not AuditEvent.objects.filter(object_type="exports.exportjob").exists()


def test_nobody_else_reaches_the_job(
    client_of, alice, charlie, betania, people, django_capture_on_commit_callbacks
):
    ask_for_the_export(client_of(alice), django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    colleague = make_member(Role.CASEWORKER, betania, email="bob@betania.test")

    for someone in (colleague, charlie):
        client = client_of(someone)
        for name in ("exports:job", "exports:progress", "exports:download"):
            url = reverse(name, args=[job.public_id])
            assert client.get(url).status_code == 404
            assert client.post(url, PASSWORDS).status_code == 404
    assert not AuditEvent.objects.filter(object_type="exports.exportjob").exists()


def test_the_page_follows_the_progress(
    client_of, alice, people, django_capture_on_commit_callbacks
):
    client = client_of(alice)
    ask_for_the_export(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, done=1)

    page = client.get(reverse("exports:job", args=[job.public_id]))
    progress = client.get(reverse("exports:progress", args=[job.public_id])).json()

    assert b"js/export_job.js" in page.content
    assert progress == {
        "status": "running",
        "done": 1,
        "total": 3,
        "percent": 33,
        "finished": False,
    }


def test_an_expired_link_answers_410_and_its_file_is_gone(
    client_of, alice, people, django_capture_on_commit_callbacks, _documents_in_a_temporary_folder
):
    client = client_of(alice)
    ask_for_the_export(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post(reverse("exports:download", args=[job.public_id]), PASSWORDS)

    assert response.status_code == 410
    assert stored_files(_documents_in_a_temporary_folder) == []
    job.refresh_from_db()
    assert (job.status, job.stored_as) == (ExportStatus.EXPIRED, "")
    assert client.get(reverse("exports:job", args=[job.public_id])).status_code == 410
    assert not AuditEvent.objects.filter(object_type="exports.exportjob").exists()


def test_the_purge_command_deletes_expired_files_only(
    client_of, alice, people, django_capture_on_commit_callbacks, _documents_in_a_temporary_folder
):
    client = client_of(alice)
    ask_for_the_export(client, django_capture_on_commit_callbacks)
    ask_for_the_export(client, django_capture_on_commit_callbacks, "sex=male")
    old, new = ExportJob.objects.order_by("created_at", "id")
    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    call_command("purge_expired_exports", stdout=io.StringIO())

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED
    assert new.status == ExportStatus.READY
    assert [path.name for path in stored_files(_documents_in_a_temporary_folder)] == [
        new.stored_as.split("/")[-1]
    ]


def test_a_short_list_is_still_answered_at_once(client_of, alice, betania, settings):
    settings.EXPORT_JOB_THRESHOLD = 2000
    BeneficiaryFactory.create_batch(3, organisation=betania)

    response = client_of(alice).post(reverse("cases:beneficiary_export"), PASSWORDS)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert not ExportJob.objects.exists()
