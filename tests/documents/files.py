"""Small real files of each kind, made in the test (no binary fixtures)."""

import io

from docx import Document as WordDocument
from openpyxl import Workbook

# A minimal PDF: what the file begins with is what makes it one.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def docx_bytes(text="Court summons for the hearing"):
    buffer = io.BytesIO()
    document = WordDocument()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes():
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "expenses"
    workbook.save(buffer)
    return buffer.getvalue()


def large_pdf(megabytes):
    """A PDF of ``megabytes`` MB (its body is filler)."""
    return PDF + b"%" + b"x" * (megabytes * 1024 * 1024 - len(PDF) - 1)
