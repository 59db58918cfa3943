"""Around the financial report (pillars.budget.financial_table): spending per month and each
pillar's spending next to that pillar's results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from accounts.models import Organisation
from pillars.budget import FinancialTable, expenses_of
from pillars.models import Period, Programme
from pillars.results import published_spending_by_month
from reports.dashboards import fill_months
from reports.tables import IndicatorTable, Status, TableRow, percent_of_target


@dataclass(frozen=True)
class SpendingByMonth:
    """[(first day of month, euros spent)] over the programme, and the locked years left out of
    it because they were locked before monthly spending was published with the totals."""

    months: list[tuple[date, Decimal]]
    not_kept: list[Period]


def spending_by_month(
    programme: Programme, *, organisation: Organisation | None = None
) -> SpendingByMonth:
    """Every month of the programme (0 without spending): as published for the months of a
    locked year, so that an expense entered after the lock moves neither the table nor the
    chart; as the records give it elsewhere. Three queries, whatever the years locked."""
    published = published_spending_by_month(programme.pk, organisation)
    rows = (
        expenses_of(programme, organisation)
        .filter(date__range=(programme.start_date, programme.end_date))
        .annotate(month=TruncMonth("date"))
        .order_by("month")
        .values("month")
        .annotate(spent=Sum("amount_eur"))
    )
    live = {_first_day(row["month"]): row["spent"] or Decimal(0) for row in rows}
    months = [
        (month, published.months.get(month, Decimal(0)) if published.covers(month) else spent)
        for month, spent in fill_months(live.items(), programme.start_date, programme.end_date)
    ]
    # A year locked before its months were kept: its months are left out rather than drawn
    # from today's records, which could disagree with the total published in the table.
    return SpendingByMonth(
        [
            (month, spent)
            for month, spent in months
            if not any(p.start_date <= month <= p.end_date for p in published.not_kept)
        ],
        published.not_kept,
    )


def _first_day(month: date | datetime) -> date:
    # TruncMonth gives a date on a date column, a datetime on some databases' backends.
    return month.date() if isinstance(month, datetime) else month


@dataclass(frozen=True)
class PillarSpending:
    """A pillar's budget lines next to that pillar's results in the programme's table."""

    pillar: int
    heading: str
    budget: Decimal | None
    spent: Decimal
    results: list[TableRow]

    @property
    def percent_spent(self) -> int | None:
        return percent_of_target(self.spent, self.budget)

    def count(self, status: Status) -> int:
        return sum(1 for row in self.results if row.status == status)


def pillar_spending(financial: FinancialTable, table: IndicatorTable) -> list[PillarSpending]:
    """One PillarSpending per pillar of ``table`` that has budget lines of its own."""
    by_pillar = {}
    for row in financial.lines:
        if row.line.pillar_id is not None:
            by_pillar.setdefault(row.line.pillar.number, []).append(row)
    return [
        PillarSpending(
            pillar=section.pillar,
            heading=section.heading,
            budget=None
            if financial.organisation
            else sum((row.budget for row in by_pillar[section.pillar]), Decimal(0)),
            spent=sum((row.total for row in by_pillar[section.pillar]), Decimal(0)),
            results=[row for row in section.rows if not row.is_header],
        )
        for section in table.sections
        if section.pillar in by_pillar
    ]
