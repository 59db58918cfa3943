"""The figure each indicator shows for a period: computed live, entered by hand, overridden with
a reason, or frozen when the period was locked (and flagged when the records no longer agree)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth

from accounts.models import Organisation
from pillars.computations import (
    COMPUTATIONS,
    NO_FILTERS,
    ReportFilters,
    compute,
    compute_by_organisation,
    compute_every_choice,
    compute_months_of_every_choice,
)
from pillars.enums import PeriodKind
from pillars.models import (
    BudgetLine,
    Expense,
    FrozenResult,
    FrozenSpending,
    Indicator,
    Location,
    Period,
    Restatement,
    ResultEntry,
    SubProject,
)


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
    # When a restatement replaced the figure first published: that figure, and the restatement.
    first_published: int | None = None
    restatement: Restatement | None = None

    @property
    def is_restated(self) -> bool:
        return self.restatement is not None and self.first_published != self.value


def figures_for(
    indicators: Iterable[Indicator], period: Period, filters: ReportFilters = NO_FILTERS
) -> dict[int, Figure]:
    """{indicator id: Figure} for one period. A locked period shows its published figures,
    for the partnership and for each choice of filters (published_figures); hand-entered
    figures are totals: with a filter, hand-entered ones show none. The period may be unsaved
    (a custom range): its figures are then all computed."""
    indicators = list(indicators)
    computed = compute(indicators, period.start_date, period.end_date, filters)
    entries, frozen, first = {}, {}, {}
    # A range asked for on the fly (an unsaved period) has no entries of its own.
    if period.pk is not None:
        if filters.is_empty:
            entries = {e.indicator_id: e for e in ResultEntry.objects.filter(period=period)}
        if period.is_locked:
            frozen, first = _published(period, dimension_of(filters))
    return {
        indicator.pk: _figure(
            indicator,
            computed.get(indicator.pk),
            entries.get(indicator.pk),
            frozen,
            first.get(indicator.pk),
        )
        for indicator in indicators
    }


def _published(period, dimension):
    """({indicator id: the current published row}, {indicator id: the first published value})
    of one dimension of a locked period, in one query."""
    current, first = {}, {}
    rows = FrozenResult.objects.filter(period=period, dimension=dimension).select_related(
        "restatement__restated_by"
    )
    for row in rows.order_by("frozen_at", "id"):
        first.setdefault(row.indicator_id, int(row.value))
        if row.superseded_at is None:
            current[row.indicator_id] = row
    return current, first


def _figure(indicator, computed, entry, frozen, first_published=None):
    if indicator.is_manual:
        if entry is None:
            return Figure(value=None, origin=None)
        return Figure(value=int(entry.value), origin=Origin.MANUAL, entry=entry)
    if entry is not None:
        return Figure(
            value=int(entry.value), origin=Origin.OVERRIDE, computed=computed, entry=entry
        )
    if indicator.pk in frozen:
        row = frozen[indicator.pk]
        frozen_value = int(row.value)
        return Figure(
            value=frozen_value,
            origin=Origin.FROZEN,
            computed=computed,
            needs_restatement=computed is not None and computed != frozen_value,
            first_published=first_published,
            restatement=row.restatement,
        )
    if computed is None:
        return Figure(value=None, origin=None)
    return Figure(value=computed, origin=Origin.COMPUTED, computed=computed)


# -- what a locked period publishes -----------------------------------------------------------


def dimension_of(filters: ReportFilters) -> str:
    """The key of a choice of report filters among a period's published figures."""
    parts = []
    for name in ("organisation", "location", "sub_project"):
        value = getattr(filters, name)
        if value is not None:
            parts.append(f"{name}={getattr(value, 'pk', value)}")
    return "&".join(parts)


def _filter_choices() -> dict[str, list[int]]:
    """{filter name: the ids it offers}: every organisation, location and sub-project."""
    return {
        "organisation": list(Organisation.objects.order_by("pk").values_list("pk", flat=True)),
        "location": list(Location.objects.order_by("pk").values_list("pk", flat=True)),
        "sub_project": list(SubProject.objects.order_by("pk").values_list("pk", flat=True)),
    }


def published_figures(period: Period) -> dict[tuple[int, str], int]:
    """{(indicator id, dimension): figure} of every computed indicator of the period's
    programme, for every choice of the report filters (none, each organisation, location,
    sub-project and each combination of them): what locking publishes. The figures ``compute``
    gives each choice, from grouped queries: their number does not grow with the choices."""
    indicators = list(Indicator.objects.filter(programme_id=period.programme_id))
    every_choice = compute_every_choice(
        indicators, period.start_date, period.end_date, _filter_choices()
    )
    return {
        (indicator_id, dimension_of(filters)): value
        for filters, computed in every_choice.items()
        for indicator_id, value in computed.items()
    }


def published_months(period: Period) -> dict[tuple[int, str], dict[str, int]]:
    """{(indicator id, dimension): {first day of month (ISO): figure}} of every dated computed
    indicator, for every choice of the report filters: the monthly figures published with the
    totals, which the dashboards' trends of a locked period draw. Months without a figure are
    left out (and a figure without any). Grouped queries, whatever the number of choices."""
    indicators = list(Indicator.objects.filter(programme_id=period.programme_id))
    every_choice = compute_months_of_every_choice(indicators, period.start_date, period.end_date)
    return {
        (indicator_id, dimension_of(filters)): {
            _first_day(month).isoformat(): value for month, value in rows
        }
        for filters, by_month in every_choice.items()
        for indicator_id, rows in by_month.items()
    }


def _first_day(month) -> date:
    # TruncMonth gives a date on a date column, a datetime on some databases' backends.
    return month.date() if isinstance(month, datetime) else month


@dataclass(frozen=True)
class PublishedTrends:
    """The monthly figures of a locked period as published: {indicator id: [(month, figure)]},
    and the indicators whose monthly figures were not kept (published before they were)."""

    trends: dict
    not_kept: frozenset
    locked_at: datetime | None


def published_trends(
    period: Period, indicators: Iterable[Indicator], filters: ReportFilters = NO_FILTERS
) -> PublishedTrends:
    """What the trends of a locked period show: the published monthly figures of the dated
    computed ``indicators`` for the filters' dimension, in one query."""
    dated = {
        indicator.pk
        for indicator in indicators
        if indicator.computation in COMPUTATIONS
        and COMPUTATIONS[indicator.computation].date_path is not None
    }
    rows = FrozenResult.objects.current().filter(
        period=period, dimension=dimension_of(filters), indicator_id__in=dated
    )
    trends, not_kept = {}, set()
    for indicator_id, months in rows.values_list("indicator_id", "months"):
        if months is None:
            not_kept.add(indicator_id)
            continue
        trends[indicator_id] = sorted(
            (date.fromisoformat(month), value) for month, value in months.items()
        )
    return PublishedTrends(trends, frozenset(not_kept), period.locked_at)


def published_spending(period: Period) -> dict[tuple[int, int | None], Decimal]:
    """{(budget line id, organisation id or None for the partnership): euros spent in the
    period}: what locking publishes of the financial report. Two queries."""
    spent = (
        Expense.objects.filter(
            line__group__programme_id=period.programme_id,
            date__range=(period.start_date, period.end_date),
        )
        .order_by()
        .values("line", "organisation")
        .annotate(amount=Sum("amount_eur"))
    )
    spending = {}
    for row in spent:
        spending[(row["line"], row["organisation"])] = row["amount"]
        total = spending.get((row["line"], None), Decimal(0))
        spending[(row["line"], None)] = total + row["amount"]
    for line_id in BudgetLine.objects.filter(group__programme_id=period.programme_id).values_list(
        "pk", flat=True
    ):
        spending.setdefault((line_id, None), Decimal(0))
    return spending


def published_spending_months(period: Period) -> dict[tuple[int, int | None], dict[str, str]]:
    """{(budget line id, organisation id or None for the partnership): {first day of month
    (ISO): euros spent, as "12.50"}}: the months published with ``published_spending`` (months
    without spending are left out). One query."""
    spent = (
        Expense.objects.filter(
            line__group__programme_id=period.programme_id,
            date__range=(period.start_date, period.end_date),
        )
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("line", "organisation", "month")
        .annotate(amount=Sum("amount_eur"))
    )
    totals: dict[tuple[int, int | None], dict[str, Decimal]] = {}
    for row in spent:
        month = _first_day(row["month"]).isoformat()
        for key in [(row["line"], row["organisation"]), (row["line"], None)]:
            by_month = totals.setdefault(key, {})
            by_month[month] = by_month.get(month, Decimal(0)) + row["amount"]
    return {
        key: {month: f"{amount:.2f}" for month, amount in by_month.items()}
        for key, by_month in totals.items()
    }


@dataclass(frozen=True)
class PublishedSpendingMonths:
    """The months of the programme's locked years: {first day of month: euros published} (a
    month without spending counts 0), and the locked years whose months were not kept, with
    when they were locked."""

    locked: list[Period]
    months: dict[date, Decimal]
    not_kept: list[Period]

    def covers(self, month: date) -> bool:
        return any(period.start_date <= month <= period.end_date for period in self.locked)


def published_spending_by_month(
    programme_id: int, organisation: Organisation | None = None
) -> PublishedSpendingMonths:
    """What the chart of spending per month shows for the locked years of a programme (for
    the partnership or one ``organisation``). Two queries, whatever the years and lines."""
    locked_years = Period.objects.filter(
        programme_id=programme_id, kind=PeriodKind.YEAR, locked_at__isnull=False
    )
    locked = list(locked_years.order_by("start_date"))
    # A subquery rather than the list: the same two queries whether or not a year is locked.
    rows = FrozenSpending.objects.current().filter(period__in=locked_years)
    rows = rows.filter(Q(organisation=organisation) if organisation else Q(organisation=None))
    months: dict[date, Decimal] = {}
    not_kept_ids = set()
    for period_id, by_month in rows.values_list("period_id", "months"):
        if by_month is None:
            not_kept_ids.add(period_id)
            continue
        for month, amount in by_month.items():
            day = date.fromisoformat(month)
            months[day] = months.get(day, Decimal(0)) + Decimal(amount)
    not_kept = [period for period in locked if period.pk in not_kept_ids]
    return PublishedSpendingMonths(locked, months, not_kept)


def spending_as_published(
    period: Period, organisation: Organisation | None = None
) -> dict[int, Decimal] | None:
    """{budget line id: euros} published for a locked period (None when it is not locked)."""
    if period.pk is None or not period.is_locked:
        return None
    rows = FrozenSpending.objects.current().filter(period=period)
    rows = rows.filter(Q(organisation=organisation) if organisation else Q(organisation=None))
    return dict(rows.values_list("line_id", "amount"))


def breakdown_by_organisation(indicator: Indicator, period: Period) -> dict[int, int]:
    """{organisation id: figure} of one indicator: as published for a locked period, else as
    the records give it now."""
    if period.pk is not None and period.is_locked:
        rows = FrozenResult.objects.current().filter(
            period=period, indicator=indicator, dimension__regex=r"^organisation=[0-9]+$"
        )
        return {int(row.dimension.removeprefix("organisation=")): int(row.value) for row in rows}
    figures = compute_by_organisation([indicator], period.start_date, period.end_date)
    return figures.get(indicator.pk, {})
