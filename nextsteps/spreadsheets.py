"""Cells that spreadsheet programs read as data, never as formulas."""

# A cell starting with one of these is a formula in Excel or LibreOffice (CSV injection):
# `=HYPERLINK(...)` in a detail field would run when the export is opened.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def formula_safe(value):
    """``value`` for a CSV cell: text that a spreadsheet would run is prefixed with a quote."""
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text
