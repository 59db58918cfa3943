"""Around the financial report (pillars.budget.financial_table): spending per month and each
pillar's spending next to that pillar's results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from accounts.models import Organisation
from pillars.budget import FinancialTable, expenses_of
from pillars.models import Programme
from reports.tables import IndicatorTable, Status, TableRow, percent_of_target


def spending_by_month(
    programme: Programme, *, organisation: Organisation | None = None
) -> list[tuple[date, Decimal]]:
    """[(first day of month, euros spent)] over the programme, in one query."""
    rows = (
        expenses_of(programme, organisation)
        .filter(date__range=(programme.start_date, programme.end_date))
        .annotate(month=TruncMonth("date"))
        .order_by("month")
        .values("month")
        .annotate(spent=Sum("amount_eur"))
    )
    return [(row["month"], row["spent"] or Decimal(0)) for row in rows]


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
