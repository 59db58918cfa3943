"""Bounds of what the database and the calendar hold, for form fields: a number beyond its
column, or a date whose next day does not exist, is refused on the form instead of failing in
the database or in date arithmetic (a 500)."""

from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

# The dates a filter or review may name. Queries add a day to the end of a range, so
# 9999-12-31 overflowed.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2999, 12, 31)
DATE_BOUNDS_MESSAGE = _("Choose a date between 2000 and 2999.")


def date_in_calendar_validators() -> list:
    return [
        MinValueValidator(EARLIEST_DATE, message=DATE_BOUNDS_MESSAGE),
        MaxValueValidator(LATEST_DATE, message=DATE_BOUNDS_MESSAGE),
    ]


def largest_value(model: type[models.Model], field_name: str) -> int | Decimal:
    field = model._meta.get_field(field_name)
    if isinstance(field, models.DecimalField):
        whole_digits = field.max_digits - field.decimal_places
        return Decimal(10) ** whole_digits - Decimal(10) ** -field.decimal_places
    _smallest, largest = connection.ops.integer_field_range(field.get_internal_type())
    return largest
