"""The figure each indicator shows for a period: computed live, entered by hand, overridden with
a reason, or frozen when the period was locked (and flagged when the records no longer agree)."""

from dataclasses import dataclass
from enum import StrEnum

from pillars.computations import NO_FILTERS, ReportFilters, compute
from pillars.models import FrozenResult, ResultEntry


class Origin(StrEnum):
    COMPUTED = "computed"
    MANUAL = "manual"
    OVERRIDE = "override"
    FROZEN = "frozen"


@dataclass(frozen=True)
class Figure:
    value: int | None
    origin: Origin | None
    # What the records compute today (None for figures entered by hand).
    computed: int | None = None
    entry: ResultEntry | None = None
    # A locked period whose records now compute a different figure needs a restatement.
    needs_restatement: bool = False


def figures_for(indicators, period, filters: ReportFilters = NO_FILTERS):
    """{indicator id: Figure} for one period. Hand-entered and frozen figures are totals: with a
    filter, computed indicators show their live figure and hand-entered ones show none. The
    period may be unsaved (a custom range): its figures are then all computed."""
    indicators = list(indicators)
    computed = compute(indicators, period.start_date, period.end_date, filters)
    entries, frozen = {}, {}
    # A range asked for on the fly (an unsaved period) has no entries of its own.
    if filters.is_empty and period.pk is not None:
        entries = {e.indicator_id: e for e in ResultEntry.objects.filter(period=period)}
        if period.is_locked:
            frozen = dict(
                FrozenResult.objects.filter(period=period).values_list("indicator_id", "value")
            )
    return {
        indicator.pk: _figure(
            indicator, computed.get(indicator.pk), entries.get(indicator.pk), frozen
        )
        for indicator in indicators
    }


def _figure(indicator, computed, entry, frozen):
    if indicator.is_manual:
        if entry is None:
            return Figure(value=None, origin=None)
        return Figure(value=int(entry.value), origin=Origin.MANUAL, entry=entry)
    if entry is not None:
        return Figure(
            value=int(entry.value), origin=Origin.OVERRIDE, computed=computed, entry=entry
        )
    if indicator.pk in frozen:
        frozen_value = int(frozen[indicator.pk])
        return Figure(
            value=frozen_value,
            origin=Origin.FROZEN,
            computed=computed,
            needs_restatement=computed is not None and computed != frozen_value,
        )
    if computed is None:
        return Figure(value=None, origin=None)
    return Figure(value=computed, origin=Origin.COMPUTED, computed=computed)
