"""Cells that spreadsheet programs read as data, never as formulas."""

import re

# A cell starting with one of these is a formula in Excel or LibreOffice (CSV injection):
# `=HYPERLINK(...)` in a detail field would run when the export is opened.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


# Characters XML 1.0 forbids (controls other than tab, line feed and carriage return): a note
# pasted from another program can carry them, and XLSX and DOCX files cannot.
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(text):
    """``text`` without the characters an XLSX or DOCX file cannot hold."""
    return NOT_IN_XML.sub("", str(text))


def escape_formula(value):
    """``value`` for a spreadsheet cell: text a spreadsheet would run gets a leading apostrophe,
    and loses the characters a file cannot hold; numbers, dates and other text pass unchanged."""
    if not isinstance(value, str):
        return value
    value = xml_safe(value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def formula_safe(value):
    """``value`` for a CSV cell, as text: what a spreadsheet would run is prefixed with a quote."""
    return "" if value is None else escape_formula(str(value))
