"""The access report the person receives reads as a document (issue 15, point 6): labels instead
of codes ("Reported to police", not reported_to_police; the service's name, not
legal-assistance), times in the record's organisation's time zone, and in LibreOffice no word
broken mid-word ("Betani a", "Complet ed"): each column of the DOCX is as wide as its longest
word. The DOCX is converted with `libreoffice --headless --convert-to pdf` and its words read
back with pdftotext; the pages are left as PNGs in artifacts/exports/ to be looked at."""

import io
import re
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services
from cases.enums import ClosureReason, ConsentGiver, ConsentMethod, OutcomeKind
from tests.cases.factories import AssistanceFactory
from tests.factories import make_member
from tests.office_files import decrypted
from tests.reports.test_exports_in_libreoffice import as_pdf, office  # noqa: F401 - a fixture

PASSWORD = "four words make a key"
# Codes the audit log and the records keep, which the person must never read.
CODES = ["reported_to_police", "legal-assistance", "ijm-test", "betania-test", "cases:", "_"]
# A moment whose day differs in UTC and in Bucharest (UTC+2 in winter).
LATE_EVENING = datetime(2024, 1, 15, 22, 30, tzinfo=UTC)


@pytest.fixture
def dpo(db):
    return make_member(Role.DATA_PROTECTION_OFFICER, email="dpo@partnership.test")


@pytest.fixture
def dpo_client(client_of, dpo):
    return client_of(dpo)


@pytest.fixture
def eventful_file(person, ijm, ijm_caseworker, alice, reference_data):
    """A person of Betania with what the domain functions write: help, a referral to IJM for
    legal assistance that IJM completes, an outcome, a closed case."""
    AssistanceFactory(beneficiary=person, note="Stayed three nights in the shelter")
    services.log_assistance(
        person,
        by=alice,
        service_type=reference_data["legal"],
        date=timezone.localdate(),
        quantity=2,
        sub_project=reference_data["sub_project"],
    )
    referral = services.send_referral(
        person,
        to_organisation=ijm,
        services=[reference_data["legal"]],
        due_date=timezone.localdate() + timedelta(days=7),
        by=alice,
        message="Needs a lawyer for the hearing",
        consent=services.ConsentInStep(
            ConsentGiver.PERSON, ConsentMethod.SIGNED_FORM, timezone.localdate()
        ),
    )
    services.accept_referral(referral, by=ijm_caseworker)
    services.complete_referral(referral, by=ijm_caseworker)
    services.record_outcome(person, kind=OutcomeKind.REPORTED_TO_POLICE, on=date.today(), by=alice)
    services.close_case(
        person, reason=ClosureReason.REINTEGRATED, on=timezone.localdate(), by=alice
    )
    AuditEvent.objects.create(
        actor=alice,
        organisation=person.organisation,
        action=AuditAction.VIEW,
        object_type="cases.beneficiary",
        object_reference=person.code,
        detail="detail page",
        occurred_at=LATE_EVENING,
    )
    person.refresh_from_db()
    return person


def report_page(client, person, language="en"):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    response = client.get(reverse("cases:access_report", kwargs={"code": person.code}))
    assert response.status_code == 200
    return response.content.decode()


def visible_text(page):
    """The page's text without its markup (attributes hold labels for phones, not codes)."""
    return re.sub(r"<[^>]+>", " ", page.split("<main", 1)[-1])


def test_the_report_names_things_by_their_labels_not_their_codes(dpo_client, eventful_file):
    text = visible_text(report_page(dpo_client, eventful_file))

    for code in CODES:
        assert code not in text, code
    for label in [
        "outcome recorded: Reported to police",
        "assistance: Legal assistance",
        "referral sent to IJM (test)",
        "referral: completed",
        "case closed: Reintegrated",
    ]:
        assert label in text, label


@pytest.mark.parametrize("language", ["ro", "nl"])
def test_the_labels_are_in_the_readers_language(dpo_client, eventful_file, language):
    text = visible_text(report_page(dpo_client, eventful_file, language))

    for code in CODES:
        assert code not in text, code
    with translation.override(language):
        outcome = str(OutcomeKind.REPORTED_TO_POLICE.label)
        reintegrated = str(ClosureReason.REINTEGRATED.label)
    assert outcome != "Reported to police" and outcome in text
    assert reintegrated in text


def test_times_are_told_in_the_organisations_time_zone(dpo_client, eventful_file):
    text = visible_text(report_page(dpo_client, eventful_file))

    assert "Times are Europe/Bucharest time." in text
    assert "16/01/2024 00:30" in text  # 22:30 UTC on the 15th
    assert "15/01/2024 22:30" not in text


def test_the_document_reads_whole_words_in_libreoffice(
    office,  # noqa: F811 - the fixture
    dpo_client,
    eventful_file,
    tmp_path,
):
    url = reverse("cases:access_report_download", kwargs={"code": eventful_file.code})
    response = dpo_client.post(url, {"password": PASSWORD, "password_again": PASSWORD})
    docx = decrypted(response.content, PASSWORD)

    pdf = as_pdf(docx, "access-report.docx", tmp_path)
    text = pdf_text(pdf)

    for code in CODES[:-1]:
        assert code not in text, code
    broken = words_broken(re.findall(r"\S+", text), set(words_of_docx(docx)))
    assert broken == [], f"words broken mid-word or not in the document: {broken}"
    assert "Betania (test)" in text and "Completed" in text and "Reported to police" in text


def pdf_text(pdf):
    return subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def words_of_docx(content):
    document = Document(io.BytesIO(content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return [word for text in texts for word in text.split()]


def words_broken(printed, written):
    """The printed words that are no word of the document: pieces of a word cut in two. A line
    may end after a hyphen or before a bracket ("legal-" "aid", "6(1)" "(d)"), as in print."""
    broken, pieces = [], iter(range(len(printed)))
    for index in pieces:
        word = printed[index]
        if word in written:
            continue
        joined = word + printed[index + 1] if index + 1 < len(printed) else ""
        if joined in written and (word.endswith(("-", "/")) or joined[len(word)] == "("):
            next(pieces, None)
            continue
        broken.append(word)
    return broken


def test_naming_the_codes_costs_the_same_queries_however_many_rows(
    dpo_client, eventful_file, alice, reference_data
):
    url = reverse("cases:access_report", kwargs={"code": eventful_file.code})
    dpo_client.get(url)  # the session's first page stamps what every later page reads
    with CaptureQueriesContext(connection) as one_of_each:
        dpo_client.get(url)
    services.reopen_case(eventful_file, reason="Came back", on=timezone.localdate(), by=alice)
    for _ in range(10):
        services.log_assistance(
            eventful_file,
            by=alice,
            service_type=reference_data["food"],
            date=timezone.localdate(),
            quantity=1,
            sub_project=reference_data["sub_project"],
        )

    with CaptureQueriesContext(connection) as many:
        dpo_client.get(url)

    # The services, partners and goals named are read once each, whatever the rows.
    assert len(many) == len(one_of_each)
