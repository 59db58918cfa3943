"""Documents: added by content type, stored encrypted in chunks, streamed back, every download
audited, shared with a partner only on a referral that chose it, removed by erasure, listed in
the access report, re-encrypted by key rotation."""

import tracemalloc

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services as casework
from cases.enums import ErasureGround
from cases.selectors import access_report_of
from documents import services
from documents.encrypted_files import read_decrypted
from documents.models import Document
from tests.documents.files import PDF, PNG, docx_bytes, large_pdf, xlsx_bytes
from tests.factories import make_member

OPEN_XML = "application/vnd.openxmlformats-officedocument"
SECRET_LINE = b"Statement of Ionela Secret-Name to the police"


def secret_pdf():
    return PDF + b"%" + SECRET_LINE + b"\n"


def stored_files(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


def add(person, by, content=None, name="statement.pdf", **kwargs):
    upload = SimpleUploadedFile(name, content or secret_pdf())
    return services.add_document(person, upload=upload, kind="police_report", by=by, **kwargs)


def download_url(document):
    return reverse("documents:download", kwargs={"public_id": document.public_id})


def test_a_document_added_on_the_page_is_encrypted_on_disk_and_streamed_back(
    client_of, alice, person, _documents_in_a_temporary_folder
):
    client = client_of(alice)
    response = client.post(
        reverse("documents:add_to_person", kwargs={"code": person.code}),
        {"kind": "police_report", "file": SimpleUploadedFile("Ionela.pdf", secret_pdf())},
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.organisation, document.content_type, document.title) == (
        alice.organisation,
        "application/pdf",
        "Ionela.pdf",
    )
    (stored,) = stored_files(_documents_in_a_temporary_folder)
    on_disk = stored.read_bytes()
    assert SECRET_LINE not in on_disk and b"%PDF" not in on_disk

    downloaded = client.get(download_url(document))

    assert downloaded.status_code == 200
    assert downloaded["Content-Type"] == "application/pdf"
    assert b"".join(downloaded.streaming_content) == secret_pdf()
    assert person.code in downloaded["Content-Disposition"]
    assert "Ionela" not in downloaded["Content-Disposition"]
    looks = AuditEvent.objects.filter(action=AuditAction.VIEW, object_reference=person.code)
    assert looks.filter(detail="document police_report downloaded").count() == 1


def test_the_file_on_disk_is_unreadable_without_the_keys(
    alice, person, _documents_in_a_temporary_folder, settings
):
    add(person, alice)
    (stored,) = stored_files(_documents_in_a_temporary_folder)
    document = Document.objects.get()

    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(InvalidToken):
        b"".join(read_decrypted(document.stored_as))
    assert SECRET_LINE not in stored.read_bytes()


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PNG, "scan.png", "image/png"),
        (
            docx_bytes(),
            "summons.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            xlsx_bytes(),
            "costs.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (PDF, "no-extension", "application/pdf"),
    ],
)
def test_the_type_comes_from_the_content(alice, person, content, name, content_type):
    document = add(person, alice, content, name)

    assert document.content_type == content_type


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "innocent.pdf"),
        (b"<html><script>alert(1)</script></html>", "photo.png"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "letter.docx"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_kept(
    client_of, alice, person, content, name, _documents_in_a_temporary_folder
):
    response = client_of(alice).post(
        reverse("documents:add_to_person", kwargs={"code": person.code}),
        {"kind": "other", "file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 400
    assert "is not a PDF, an image or an Office document" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(_documents_in_a_temporary_folder) == []


def test_the_size_limit_comes_from_the_settings(alice, person, settings):
    settings.DOCUMENT_MAX_MEGABYTES = 1

    with pytest.raises(Exception, match="larger than 1 MB"):
        add(person, alice, large_pdf(2))
    assert not Document.objects.exists()


def test_a_20_mb_file_never_sits_whole_in_memory(alice, person, tmp_path):
    content = large_pdf(20)
    upload = TemporaryUploadedFile("big.pdf", "application/pdf", len(content), None)
    upload.write(content)
    upload.seek(0)
    del content

    tracemalloc.start()
    document = services.add_document(upload=upload, person=person, kind="court_paper", by=alice)
    total = sum(len(chunk) for chunk in services.download(document, by=alice))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert total == 20 * 1024 * 1024
    assert peak < 3 * 1024 * 1024  # a few chunks, never the file


# -- partners ------------------------------------------------------------------------------------


def test_the_partner_sees_a_document_only_when_shared_and_while_it_has_access(
    client_of, alice, person, referral, ijm_caseworker
):
    shared, kept = add(person, alice), add(person, alice, PNG, "id.png")
    partner = client_of(ijm_caseworker)
    referral_page = reverse("cases:referral_detail", kwargs={"public_id": referral.public_id})

    casework.accept_referral(referral, by=ijm_caseworker)
    assert partner.get(download_url(shared)).status_code == 404  # not chosen yet

    services.share_on_referral(referral, documents=[shared], by=alice)
    page = partner.get(referral_page).content.decode()
    assert download_url(shared) in page and download_url(kept) not in page
    assert partner.get(download_url(shared)).status_code == 200
    assert partner.get(download_url(kept)).status_code == 404

    casework.complete_referral(referral, by=ijm_caseworker)
    assert partner.get(download_url(shared)).status_code == 404


def test_the_sender_chooses_on_the_referral_page(client_of, alice, person, referral):
    document = add(person, alice)
    client = client_of(alice)
    url = reverse("documents:share_on_referral", kwargs={"public_id": referral.public_id})

    assert "statement.pdf" in client.get(url).content.decode()
    response = client.post(url, {"documents": [document.pk]})

    assert response.status_code == 302
    assert list(referral.shared_documents.all()) == [document]
    assert AuditEvent.objects.filter(
        object_reference=person.code, detail="documents shared with ijm-test: 1"
    ).exists()


def test_the_partner_adds_a_document_the_sender_sees(
    client_of, alice, person, referral, ijm_caseworker
):
    casework.accept_referral(referral, by=ijm_caseworker)

    response = client_of(ijm_caseworker).post(
        reverse("documents:add_to_referral", kwargs={"public_id": referral.public_id}),
        {"kind": "court_paper", "file": SimpleUploadedFile("verdict.docx", docx_bytes())},
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.organisation, document.referral) == (ijm_caseworker.organisation, referral)
    person_page = client_of(alice).get(
        reverse("cases:beneficiary_detail", kwargs={"code": person.code})
    )
    assert download_url(document) in person_page.content.decode()


def test_a_partner_cannot_add_without_access(referral, ijm_caseworker, person):
    with pytest.raises(Exception, match="no longer gives access"):
        add(person, ijm_caseworker, referral=referral)  # not accepted yet


# -- erasure, access report, key rotation ------------------------------------------------------


def test_erasure_removes_the_documents_and_their_files(
    alice, person, referral, _documents_in_a_temporary_folder, django_capture_on_commit_callbacks
):
    services.share_on_referral(referral, documents=[add(person, alice)], by=alice)
    dpo = make_member(Role.DATA_PROTECTION_OFFICER)

    with django_capture_on_commit_callbacks(execute=True):
        casework.erase_beneficiary(person, ground=ErasureGround.REQUEST, by=dpo)

    assert not Document.objects.exists()
    assert stored_files(_documents_in_a_temporary_folder) == []


def test_the_access_report_lists_her_documents(alice, person):
    add(person, alice, name="Ionela-passport.pdf")

    report = access_report_of(person)

    assert [document.title for document in report.documents] == ["Ionela-passport.pdf"]


def test_key_rotation_reencrypts_the_files(
    alice, person, settings, _documents_in_a_temporary_folder
):
    document = add(person, alice)
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    document.refresh_from_db()
    (stored,) = stored_files(_documents_in_a_temporary_folder)
    assert stored.name in document.stored_as
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    assert b"".join(read_decrypted(document.stored_as)) == secret_pdf()


def test_the_person_page_costs_the_same_queries_for_one_document_and_many(client_of, alice, person):
    client = client_of(alice)
    url = reverse("cases:beneficiary_detail", kwargs={"code": person.code})
    queries = {}
    for count in (1, 12):
        while Document.objects.count() < count:
            add(person, alice)
        client.get(url)  # the session's first stamp, out of the count
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.content.decode().count('data-testid="document-link"') == count
        queries[count] = len(captured)

    assert queries[1] == queries[12]
