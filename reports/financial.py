"""The financial report: budget, actuals per year, total and difference per budget line, with the
subtotal rows of the budget's groups and the total row, as the final report prints it.

Year columns are the programme's year periods (2021 runs from August, like the programme).
Three queries whatever the number of expenses: the lines, the periods and one aggregate.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from pillars.enums import PeriodKind
from pillars.models import BudgetLine, Expense, Period
from reports.tables import percent_of_target

LINE, SUBTOTAL, TOTAL = "line", "subtotal", "total"


@dataclass(frozen=True)
class FinancialRow:
    label: str
    kind: str
    # None when the report is one organisation's: budgets are set for the partnership.
    budget: Decimal | None
    actuals: tuple
    line: BudgetLine | None = None

    @property
    def total(self):
        return sum(self.actuals, Decimal(0))

    @property
    def difference(self):
        return None if self.budget is None else self.budget - self.total

    @property
    def is_overspent(self):
        return self.difference is not None and self.difference < 0

    @property
    def is_exchange_difference(self):
        return self.line is not None and self.line.is_exchange_difference

    @property
    def pillar_id(self):
        return self.line.pillar_id if self.line else None

    @property
    def percent_spent(self):
        return percent_of_target(self.total, self.budget)


@dataclass(frozen=True)
class FinancialTable:
    programme: object
    years: list
    rows: list
    organisation: object = None

    @property
    def year_labels(self):
        return [period.label for period in self.years]

    @property
    def lines(self):
        return [row for row in self.rows if row.kind == LINE]

    @property
    def currency(self):
        return self.programme.currency


def year_periods(programme):
    return list(
        Period.objects.filter(programme=programme, kind=PeriodKind.YEAR).order_by("start_date")
    )


def financial_table(programme, *, organisation=None):
    """The programme's financial report; with ``organisation``, that organisation's actuals
    only (and no budget or difference, which exist for the partnership as a whole)."""
    years = year_periods(programme)
    lines = list(
        BudgetLine.objects.filter(group__programme=programme).select_related("group", "pillar")
    )
    spent = _actuals(programme, years, organisation)
    rows, group_rows, all_lines = [], [], []
    for index, line in enumerate(lines):
        row = FinancialRow(
            label=line.label,
            kind=LINE,
            budget=None if organisation else line.budget,
            actuals=tuple(spent.get((line.pk, period.pk), Decimal(0)) for period in years),
            line=line,
        )
        rows.append(row)
        group_rows.append(row)
        all_lines.append(row)
        last_of_group = index + 1 == len(lines) or lines[index + 1].group_id != line.group_id
        if last_of_group and line.group.subtotal_label:
            rows.append(_sum_row(line.group.subtotal_label, SUBTOTAL, group_rows, organisation))
        if last_of_group:
            group_rows = []
    if all_lines:
        rows.append(_sum_row(_("Total"), TOTAL, all_lines, organisation))
    return FinancialTable(programme=programme, years=years, rows=rows, organisation=organisation)


def _sum_row(label, kind, rows, organisation):
    columns = zip(*(row.actuals for row in rows), strict=True)
    return FinancialRow(
        label=str(label),
        kind=kind,
        budget=None if organisation else sum((row.budget for row in rows), Decimal(0)),
        actuals=tuple(sum(column, Decimal(0)) for column in columns),
    )


def _expenses(programme, organisation):
    expenses = Expense.objects.filter(line__group__programme=programme)
    if organisation is not None:
        expenses = expenses.filter(organisation=organisation)
    return expenses


def _actuals(programme, years, organisation):
    """{(line id, period id): euros spent} in one query."""
    sums = {
        f"year_{period.pk}": Sum(
            "amount_eur", filter=Q(date__range=(period.start_date, period.end_date))
        )
        for period in years
    }
    if not sums:
        return {}
    spent = {}
    for row in _expenses(programme, organisation).order_by().values("line").annotate(**sums):
        line_id = row.pop("line")
        for key, amount in row.items():
            spent[(line_id, int(key.removeprefix("year_")))] = amount or Decimal(0)
    return spent


def spending_by_month(programme, *, organisation=None):
    """[(first day of month, euros spent)] over the programme, in one query."""
    rows = (
        _expenses(programme, organisation)
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
    results: list

    @property
    def percent_spent(self):
        return percent_of_target(self.spent, self.budget)

    def count(self, status):
        return sum(1 for row in self.results if row.status == status)


def pillar_spending(financial, table):
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
