"""The DOCX tables open in LibreOffice as they were laid out: each column its own width (not four
equal columns), the 2022 table on two A4 pages rather than four, the financial report's first
column wide enough for a pillar's name. Each file is converted with
`libreoffice --headless --convert-to pdf` and the PDF's words are measured (pdftotext -bbox);
`pdftoppm -png` makes pages to look at in artifacts/exports/."""

import itertools
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import User

CM = 72 / 2.54  # PDF points in a centimetre
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
)
# Words of one header ("Budget line") are a space apart; the next column's, two cell margins.
COLUMN_GAP = 6
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "exports"


@pytest.fixture(scope="module")
def office():
    tools = [shutil.which(name) for name in ("libreoffice", "pdftotext", "pdfinfo", "pdftoppm")]
    if not all(tools):
        if os.environ.get("REQUIRE_OFFICE"):
            pytest.fail("LibreOffice and poppler-utils are required (REQUIRE_OFFICE is set)")
        pytest.skip("LibreOffice or poppler-utils is not installed")


@pytest.fixture
def coordinator(demo_data, db, client_of):
    return client_of(User.objects.get(email="programme@nextsteps.example"))


def as_pdf(content, name, tmp_path):
    """The PDF LibreOffice makes of the file, and PNGs of its pages left to be looked at."""
    source = tmp_path / name
    source.write_bytes(content)
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = source.with_suffix(".pdf")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / source.stem)], check=True
    )
    return pdf


def page_count(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))


def header_columns(pdf, first_word):
    """Where each header cell's first word starts on page 1 (x in points), left to right:
    the header row is the line that starts with ``first_word``."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = [
        (float(left), float(top), float(right), text)
        for left, top, right, text in WORD.findall(bbox)
    ]
    first_line = next(top for _left, top, _right, text in words if text == first_word)
    line = sorted((left, right) for left, top, right, _text in words if abs(top - first_line) < 1)
    starts, previous_right = [], None
    for left, right in line:
        if previous_right is None or left - previous_right > COLUMN_GAP:
            starts.append(left)
        previous_right = right
    return starts


def download(client, url_name, query=""):
    response = client.get(f"{reverse(url_name, args=['docx'])}{query}")
    assert response.status_code == 200
    return response.content


def test_the_2022_table_keeps_its_column_widths_and_fits_two_pages(office, coordinator, tmp_path):
    content = download(coordinator, "reports:indicator_table_export", "?period=2022")

    pdf = as_pdf(content, "indicators-2022.docx", tmp_path)

    starts = header_columns(pdf, "Indicator")
    widths = [right - left for left, right in itertools.pairwise(starts)]
    assert len(starts) == 6  # indicator, target, result, % of target, status, remarks
    assert widths[0] > 3.8 * CM  # the indicator's label
    assert max(widths[1:]) < 2 * CM  # the figures
    assert widths[0] > 2 * min(widths)  # not equal columns
    assert page_count(pdf) <= 2


def test_the_programme_table_fits_four_pages(office, coordinator, tmp_path):
    content = download(coordinator, "reports:indicator_table_export", "?period=2021-2023")

    pdf = as_pdf(content, "indicators-2021-2023.docx", tmp_path)

    assert page_count(pdf) <= 4


def test_the_financial_reports_first_column_holds_a_pillars_name(office, coordinator, tmp_path):
    content = download(coordinator, "reports:financial_export")

    pdf = as_pdf(content, "financial-report.docx", tmp_path)

    starts = header_columns(pdf, "Budget")
    widths = [right - left for left, right in itertools.pairwise(starts)]
    assert len(starts) == 7  # line, budget, 2021, 2022, 2023, total, difference
    assert widths[0] > 5 * CM
    assert all(width < 2.1 * CM for width in widths[1:])
    assert page_count(pdf) == 1
