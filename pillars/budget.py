"""The budget table: budget, what was spent in each column (a year, a period, any date range),
total and difference per budget line, with a subtotal row under each group that has one and the
total row, as the partnership's financial report prints it.

One query for the money whatever the number of expenses. The plan's budget page and the reports'
financial report both read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from pillars.enums import PeriodKind
from pillars.models import BudgetLine, Expense, Period, Programme
from pillars.results import spending_as_published

LINE, SUBTOTAL, TOTAL = "line", "subtotal", "total"


class Column(Protocol):
    """A column of the table: a period, or any date range with a label."""

    label: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class FinancialRow:
    label: str
    kind: str
    # None when the table is one organisation's: budgets are set for the partnership.
    budget: Decimal | None
    # Spent in each of the table's columns.
    actuals: tuple[Decimal, ...]
    line: BudgetLine | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.actuals, Decimal(0))

    @property
    def difference(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.total

    @property
    def is_overspent(self) -> bool:
        return self.difference is not None and self.difference < 0

    @property
    def is_exchange_difference(self) -> bool:
        return self.line is not None and self.line.is_exchange_difference


@dataclass(frozen=True)
class FinancialTable:
    programme: Programme
    # The columns: anything with a label, a start_date and an end_date (periods, mostly).
    columns: list[Column]
    rows: list[FinancialRow]
    organisation: Organisation | None = None

    @property
    def column_labels(self) -> list[str]:
        return [column.label for column in self.columns]

    @property
    def lines(self) -> list[FinancialRow]:
        return [row for row in self.rows if row.kind == LINE]

    @property
    def currency(self) -> str:
        return self.programme.currency


def year_periods(programme: Programme) -> list[Period]:
    return list(
        Period.objects.filter(programme=programme, kind=PeriodKind.YEAR).order_by("start_date")
    )


def financial_table(
    programme: Programme,
    *,
    columns: Iterable[Column] | None = None,
    organisation: Organisation | None = None,
) -> FinancialTable:
    """The programme's budget table, one column per year unless ``columns`` says otherwise;
    with ``organisation``, that organisation's spending only (and no budget or difference,
    which exist for the partnership as a whole)."""
    columns = year_periods(programme) if columns is None else list(columns)
    lines = list(
        BudgetLine.objects.filter(group__programme=programme).select_related("group", "pillar")
    )
    spent = _spent(programme, columns, organisation)
    rows, group_rows = [], []
    for index, line in enumerate(lines):
        row = FinancialRow(
            label=line.label_in("label"),
            kind=LINE,
            budget=None if organisation else line.budget,
            actuals=tuple(
                spent.get((line.pk, column), Decimal(0)) for column in range(len(columns))
            ),
            line=line,
        )
        rows.append(row)
        group_rows.append(row)
        last_of_group = index + 1 == len(lines) or lines[index + 1].group_id != line.group_id
        if last_of_group and line.group.subtotal_label:
            rows.append(_sum_row(line.group.label_in("subtotal_label"), SUBTOTAL, group_rows))
        if last_of_group:
            group_rows = []
    line_rows = [row for row in rows if row.kind == LINE]
    if line_rows:
        rows.append(_sum_row(_("Total"), TOTAL, line_rows))
    return FinancialTable(
        programme=programme, columns=columns, rows=rows, organisation=organisation
    )


def _sum_row(label, kind, rows):
    columns = zip(*(row.actuals for row in rows), strict=True)
    budgets = [row.budget for row in rows]
    return FinancialRow(
        label=str(label),
        kind=kind,
        budget=None if None in budgets else sum(budgets, Decimal(0)),
        actuals=tuple(sum(column, Decimal(0)) for column in columns),
    )


def expenses_of(
    programme: Programme, organisation: Organisation | None = None
) -> QuerySet[Expense]:
    expenses = Expense.objects.filter(line__group__programme=programme)
    if organisation is not None:
        expenses = expenses.filter(organisation=organisation)
    return expenses


def _spent(programme, columns, organisation):
    """{(line id, column index): euros spent} in one query."""
    sums = {
        f"column_{index}": Sum(
            "amount_eur", filter=Q(date__range=(column.start_date, column.end_date))
        )
        for index, column in enumerate(columns)
    }
    if not sums:
        return {}
    spent = {}
    for row in expenses_of(programme, organisation).order_by().values("line").annotate(**sums):
        line_id = row.pop("line")
        for key, amount in row.items():
            spent[(line_id, int(key.removeprefix("column_")))] = amount or Decimal(0)
    # A locked period's column shows what was published, whatever was booked into it since.
    for index, column in enumerate(columns):
        published = spending_as_published(column, organisation) if _is_saved(column) else None
        if published is not None:
            for key in [key for key in spent if key[1] == index]:
                del spent[key]
            spent.update({(line_id, index): amount for line_id, amount in published.items()})
    return spent


def _is_saved(column):
    return isinstance(column, Period) and column.pk is not None
