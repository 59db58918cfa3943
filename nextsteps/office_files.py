"""Office files the app writes: the shared pieces of its XLSX (openpyxl) and DOCX (python-docx)
exports, and password protection for those that hold personal data.

Encryption is what Excel and Word do when asked for a password (ECMA-376 agile encryption:
AES-256, the key derived from the password by 100,000 rounds of SHA-512 with a random salt, an
HMAC over the content), done by msoffcrypto-tool. Excel, Word and LibreOffice open the file after
asking for the password, and nothing decrypted is written to disk on the way, unlike an archive
that must be extracted first. The password serves that one file and is kept nowhere: not in the
database, the session, the audit log or the server's log.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl.styles import Alignment, Font, PatternFill

from nextsteps.spreadsheets import xml_safe

HEADING_FILL = "DCE6EA"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MINIMUM_PASSWORD_LENGTH = 12


# -- spreadsheets ----------------------------------------------------------------------------------


def sheet_header(sheet, number, headers):
    """Row ``number`` of ``sheet`` as a shaded, bold header row."""
    for column, text in enumerate(headers, start=1):
        cell = write_cell(sheet, number, column, str(text))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADING_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")


def write_cell(sheet, row, column, value):
    """Text goes in as text, never as a formula (a phone number "+40 ..." stays as typed, and
    "=HYPERLINK(...)" is only words), without the characters a file cannot hold; numbers and
    dates go in as they are."""
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        cell.value = xml_safe(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def workbook_bytes(workbook):
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# -- documents -------------------------------------------------------------------------------------


def new_document():
    """An A4 portrait document in the exports' type size."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    document.styles["Normal"].font.size = Pt(10)
    return document


def docx_table(document, headers):
    """A gridded table with a shaded header row that repeats on every page."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
        cell.paragraphs[0].runs[0].bold = True
        shade(cell, HEADING_FILL)
    _repeat_as_header(table.rows[0])
    return table


def set_column_widths(table, widths):
    """Give the table fixed column widths that every program honours: Word reads the cells'
    widths, LibreOffice the table grid (python-docx writes equal grid columns, which
    LibreOffice shows as equal columns whatever the cells say)."""
    table.autofit = False
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_column.w = width
    properties = table._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    if table_width is None:
        table_width = OxmlElement("w:tblW")
        properties.append(table_width)
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(width.twips for width in widths)))
    for row in table.rows:
        cells = row.cells
        if len({id(cell._tc) for cell in cells}) < len(cells):
            continue  # a merged row (a heading across the table) keeps the table's width
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width


# Room a character of 10 pt text takes in a table cell, and a cell's left and right margins
# together (Word's and LibreOffice's default), in centimetres: generous, so that a word that
# is measured to fit does fit.
CHARACTER_CM = 0.21
CELL_MARGINS_CM = 0.45
# A word longer than this (an address, a link) may break: it would take the whole page.
LONGEST_WORD_KEPT = 24
# A column wider than this many characters only makes its neighbours wrap more.
LONGEST_LINE_WANTED = 60


def widths_for_content(headers, rows, total_cm: float) -> list:
    """Column widths (python-docx lengths) that add up to ``total_cm`` and give each column
    room for its longest word, so that no word breaks mid-word ("Betani a"); room left over
    goes to the columns with long text (notes, messages)."""
    columns = list(zip(headers, *rows, strict=True))
    need = [_cm(min(_longest(column, _words), LONGEST_WORD_KEPT)) for column in columns]
    want = [
        max(needed, _cm(min(_longest(column, _lines), LONGEST_LINE_WANTED)))
        for needed, column in zip(need, columns, strict=True)
    ]
    if sum(want) <= total_cm:
        widths = [width * total_cm / sum(want) for width in want]
    elif sum(need) <= total_cm:
        spare = total_cm - sum(need)
        wish = sum(wanted - needed for wanted, needed in zip(want, need, strict=True))
        widths = [
            needed + spare * (wanted - needed) / wish
            for wanted, needed in zip(want, need, strict=True)
        ]
    else:
        widths = [needed * total_cm / sum(need) for needed in need]
    return [Cm(width) for width in widths]


def _cm(characters: int) -> float:
    return characters * CHARACTER_CM + CELL_MARGINS_CM


def _words(text: str) -> list[str]:
    return text.split()


def _lines(text: str) -> list[str]:
    return text.splitlines()


def _longest(column, pieces) -> int:
    return max((len(piece) for text in column for piece in pieces(str(text))), default=1)


def set_font_size(table, size):
    """Every run of the table in ``size`` (a table style's size is lost on LibreOffice)."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = size


def shade(cell, colour):
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _repeat_as_header(row):
    # Word repeats this row at the top of every page the table runs onto.
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def document_bytes(document):
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# -- password protection ---------------------------------------------------------------------------


def encrypt_office_file(content: bytes, password: str) -> bytes:
    """``content`` (an XLSX or DOCX file) encrypted with ``password``."""
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        raise ValueError("The password is too short to protect personal data.")
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(content)).encrypt(password, encrypted)
    return encrypted.getvalue()
