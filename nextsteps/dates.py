"""Dates typed by people, read whatever common way they were written."""

from datetime import date, datetime

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d %m %Y", "%Y/%m/%d")


def normalised_date(value) -> str:
    """A date written any common way (12/03/1999, 12.03.1999, 1999-03-12), as YYYY-MM-DD;
    "" when it is no date."""
    if isinstance(value, date):
        return value.isoformat()
    text = " ".join(str(value or "").split())
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date().isoformat()
        except ValueError:
            continue
    return ""
