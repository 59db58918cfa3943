"""Small counts of people hidden from partnership-wide views (SMALL_COUNT_SUPPRESSION): below
the threshold a count reads "<5" and draws no bar, so nobody can be singled out; a total that
would give a single suppressed count away by subtraction is not shown. The dashboards (live or
as published) and the history of a locked period's published dashboards hide them alike."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from accounts.enums import Role
from accounts.models import User
from accounts.rules import Permission


class Suppressed(str):
    """A count below the threshold, shown instead of the number."""

    def __new__(cls):
        return super().__new__(cls, f"<{settings.SMALL_COUNT_THRESHOLD}")

    def __reduce__(self):
        # Pickled with a cached dashboard's figures (whose key holds the threshold).
        return (Suppressed, ())


# A count as a page shows it: the number, or "<5".
ShownCount = int | Suppressed


def shown(count: int, *, suppress: bool = True) -> ShownCount:
    """The count as the page may show it."""
    if suppress and 0 < count < settings.SMALL_COUNT_THRESHOLD:
        return Suppressed()
    return count


def total_of(counts: Iterable[int], shown_counts: Iterable[ShownCount]) -> int | None:
    """The sum of ``counts``, unless exactly one of them is suppressed: the total would then
    give it away by subtraction (None: not shown). Two or more hide each other."""
    if sum(isinstance(count, Suppressed) for count in shown_counts) == 1:
        return None
    return sum(counts)


def suppresses_small_counts(user: User) -> bool:
    """Whether people counts below the threshold are hidden from this user: the partnership-wide
    viewer (the programme coordinator), when the setting is on."""
    return (
        settings.SMALL_COUNT_SUPPRESSION
        and user.is_authenticated
        and user.has_role_permission(Permission.VIEW_AGGREGATES)
        and user.role == Role.PROGRAMME_COORDINATOR
    )
