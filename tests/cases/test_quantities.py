from decimal import Decimal

import pytest
from django.utils import translation

from cases.models import Assistance


@pytest.mark.parametrize(
    ("quantity", "unit", "language", "shown"),
    [
        (Decimal(1), "nights", "en", "1 night"),
        (Decimal("14.00"), "nights", "en", "14 nights"),
        (Decimal("2.5"), "hours", "en", "2.5 hours"),
        (Decimal(120), "eur", "en", "120 EUR"),
        (Decimal(3), "", "en", "3"),
        (None, "items", "en", ""),
        (Decimal(1), "items", "ro", "1 bucată"),
        (Decimal(25), "nights", "ro", "25 de nopți"),
        (Decimal(2), "sessions", "nl", "2 sessies"),
    ],
)
def test_a_quantity_reads_with_its_unit_in_the_right_number(quantity, unit, language, shown):
    with translation.override(language):
        assert Assistance(quantity=quantity, unit=unit).quantity_text == shown
