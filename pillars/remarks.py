"""Remarks that contradict their figure: a coordinator writes "reaching 1280 people" in March, the
records later compute 1,315, and the printed report would say both. The plan page flags such a
remark so that someone rereads it; it never changes a remark."""

import re

# A number as people type it: 1280, 1,280, 1.280 or 1 280 (thousands grouped by threes).
NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+|\d+)(?![\d%]|[.,]\d)")
YEARS = range(1990, 2100)
# A number this far from the figure is about something else (workshops, gifts, a year's
# target); one within it reads as the figure itself.
NEAR = (0.5, 1.5)
SMALLEST = 10


def numbers_in(text: str) -> list[int]:
    """The whole numbers a remark quotes, years left out."""
    numbers = [int(re.sub(r"\D", "", match)) for match in NUMBER.findall(text or "")]
    return [number for number in numbers if number not in YEARS]


def contradicting_numbers(remark: str, result: int | None, target: int | None = None) -> list[int]:
    """The numbers of ``remark`` that look like the row's figure but are not ``result``: none
    when the remark quotes the result, or adds up to it (80 here and 33 there), or has no number
    near it."""
    if result is None or result < SMALLEST:
        return []
    numbers = numbers_in(remark)
    if result in numbers or sum(numbers) == result:
        return []
    low, high = NEAR[0] * result, NEAR[1] * result
    return [
        number
        for number in numbers
        if number >= SMALLEST and low <= number <= high and number != target
    ]
