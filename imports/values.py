"""Reading one cell of an old spreadsheet into a value of the app: choices by code or by label
in English, Romanian or Dutch (any letter case), dates as ISO or day first, numbers with a
decimal point or comma. Each reader raises CellError with the reason a person can act on."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext as _

# What a cell of an XLSX or CSV file holds once read (openpyxl gives numbers and dates).
CellValue = str | int | float | Decimal | date | datetime | None

MAX_TEXT = 10_000
# Tab, line feed and carriage return are text; every other control character is refused.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class CellError(ValueError):
    """A cell that cannot be read; its message is shown to the importer."""


def text(value: CellValue, *, max_length: int = MAX_TEXT, required: bool = False) -> str:
    if value is None:
        value = ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    value = str(value).strip()
    if CONTROL_CHARACTERS.search(value):
        raise CellError(_("contains control characters"))
    if len(value) > max_length:
        raise CellError(_("longer than %(count)s characters") % {"count": max_length})
    if required and not value:
        raise CellError(_("is empty"))
    return value


def day(value: CellValue, *, required: bool = True) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = text(value, max_length=40)
    if not written:
        if required:
            raise CellError(_("is empty"))
        return None
    for pattern, order in ((ISO_DATE, (0, 1, 2)), (DAY_FIRST, (2, 1, 0))):
        if match := pattern.match(written):
            parts = [int(part) for part in match.groups()]
            try:
                return date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                break
    raise CellError(
        _("%(value)r is not a date (write 2022-03-31 or 31.03.2022)") % {"value": written}
    )


def number(
    value: CellValue,
    *,
    required: bool = False,
    minimum: Decimal | None = Decimal(0),
    places: int = 2,
) -> Decimal | None:
    if isinstance(value, bool):
        raise CellError(_("is not a number"))
    if isinstance(value, int | float):
        written = repr(value)
    else:
        written = text(value, max_length=40).replace(" ", "").replace(",", ".")
    if not written:
        if required:
            raise CellError(_("is empty"))
        return None
    try:
        amount = Decimal(written)
    except InvalidOperation:
        raise CellError(_("%(value)r is not a number") % {"value": written}) from None
    if not amount.is_finite() or abs(amount) >= Decimal(10) ** 9:
        raise CellError(_("%(value)r is out of range") % {"value": written})
    if minimum is not None and amount < minimum:
        raise CellError(_("must be at least %(minimum)s") % {"minimum": minimum})
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise CellError(_("has more than %(places)s decimals") % {"places": places})
    return amount


def whole_number(value: CellValue, *, required: bool = False, minimum: int = 0) -> int | None:
    amount = number(value, required=required, minimum=Decimal(minimum), places=0)
    return None if amount is None else int(amount)


def _folded(label) -> str:
    return unicodedata.normalize("NFKC", str(label)).casefold().strip()


class Vocabulary:
    """The values of one choice column, found by code or by any of their labels."""

    def __init__(self, name: str, entries: Iterable[tuple[object, Iterable[str]]]):
        self.name = name
        self._by_spelling: dict[str, object] = {}
        for value, spellings in entries:
            for spelling in spellings:
                if spelling:
                    self._by_spelling.setdefault(_folded(spelling), value)

    def __call__(self, cell, *, required: bool = True):
        written = text(cell, max_length=200)
        if not written:
            if required:
                raise CellError(_("is empty"))
            return None
        try:
            return self._by_spelling[_folded(written)]
        except KeyError:
            raise CellError(
                _("%(value)r is not a known %(kind)s") % {"value": written, "kind": self.name}
            ) from None

    @classmethod
    def of_choices(
        cls,
        name: str,
        choices: Iterable[tuple[str, str]],
        *,
        former: dict[str, list[str]] | None = None,
    ) -> Vocabulary:
        """A TextChoices' (or a field's choices') codes and labels in every interface language,
        and ``former`` labels ({code: [label, ...]}) that older spreadsheets still use."""
        former = former or {}
        entries = []
        for code, label in choices:
            entries.append((code, [code, *_in_every_language(label), *former.get(code, ())]))
        return cls(name, entries)

    @classmethod
    def of_records(
        cls, name: str, records: Iterable[Model], *, code: str | None, label: str
    ) -> Vocabulary:
        """Reference data (locations, services...): code, and the label with its translations."""
        entries = []
        for record in records:
            spellings = [getattr(record, code)] if code else []
            spellings += [getattr(record, label)]
            spellings += [getattr(record, f"{label}_{language}", "") for language, _ in _others()]
            entries.append((record, spellings))
        return cls(name, entries)


def _others():
    return [(code, name) for code, name in settings.LANGUAGES if code != "en"]


def _in_every_language(label) -> list[str]:
    spellings = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            spellings.append(str(label))
    return spellings
