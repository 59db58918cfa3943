"""The target-vs-result table of a period, in the printed layout: one structure that the page,
the print view, the dashboards, every export and the `report` command all read, so that they
cannot disagree. Figures come from pillars.results.figures_for; this module only arranges them.

A table costs a fixed handful of queries whatever the number of records: the layout (2), the
figures (one per kind of rows read, see pillars.computations), the targets and the remarks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from pillars.computations import COMPUTATIONS, NO_FILTERS, ReportFilters
from pillars.enums import Direction, PeriodKind
from pillars.models import (
    Indicator,
    Period,
    Programme,
    Remark,
    ReportRow,
    ReportSection,
    Target,
)
from pillars.results import Figure, Origin, figures_for
from pillars.small_counts import Suppressed, shown


class Status(StrEnum):
    MET = "met"
    CLOSE = "close"
    BEHIND = "behind"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def symbol(self) -> str:
        # Shown beside the colour so the status reads in print, high contrast and to the
        # colour-blind.
        return {Status.MET: "\u2713", Status.CLOSE: "\u2248", Status.BEHIND: "\u2193"}[self]


STATUS_LABELS = {Status.MET: _("met"), Status.CLOSE: _("close"), Status.BEHIND: _("behind")}


def percent_of_target(result: int | Decimal | None, target: int | Decimal | None) -> int | None:
    """The result as a share of the target, in whole percent; None without a positive target."""
    if result is None or not target:
        return None
    return int((Decimal(result) * 100 / Decimal(target)).quantize(Decimal(1), ROUND_HALF_UP))


def status_of(percent: int | None, direction: str = Direction.INCREASE) -> Status | None:
    if percent is None:
        return None
    close = settings.REPORT_CLOSE_TO_TARGET_PERCENT
    if direction == Direction.DECREASE:
        # Lower is better: at or under the target is met, up to as far above it as "close"
        # allows below it is close.
        if percent <= 100:
            return Status.MET
        return Status.CLOSE if percent <= 200 - close else Status.BEHIND
    if percent >= 100:
        return Status.MET
    return Status.CLOSE if percent >= close else Status.BEHIND


@dataclass(frozen=True)
class TableRow:
    pillar: int
    label: str
    subrow: str
    report_row: ReportRow
    target: int | None
    figure: Figure | None
    remark: str
    # A filtered figure is a part of the partnership's result: its percentage is a share of
    # the partnership's target, and "behind" would be no verdict on it.
    is_share: bool = False
    # A small count of people in a narrowed partnership-wide view: it reads "<5" and has no
    # percentage (which, with the target, would give it away).
    suppressed: bool = False

    @property
    def indicator(self) -> Indicator | None:
        return self.report_row.indicator

    @property
    def is_header(self) -> bool:
        return self.report_row.is_header

    @property
    def printed_label(self) -> str:
        """What the first column prints: the sub-row label (indented) or the row's label."""
        return self.subrow or self.label

    @property
    def full_label(self) -> str:
        """The label with its sub-row, for a figure shown away from the table."""
        return f"{self.label} \u00b7 {self.subrow}" if self.subrow else self.label

    @property
    def result(self) -> int | Suppressed | None:
        if self.suppressed:
            return Suppressed()
        return self.figure.value if self.figure else None

    @property
    def origin(self) -> Origin | None:
        return self.figure.origin if self.figure else None

    @property
    def percent(self) -> int | None:
        if self.suppressed:
            return None
        return percent_of_target(self.result, self.target)

    @property
    def status(self) -> Status | None:
        if self.is_header or self.is_share:
            return None
        return status_of(self.percent, self.indicator.direction)

    @property
    def needs_restatement(self) -> bool:
        return bool(self.figure and self.figure.needs_restatement)


@dataclass(frozen=True)
class TableSection:
    pillar: int
    heading: str
    rows: list[TableRow]


@dataclass(frozen=True)
class IndicatorTable:
    period: Period
    filters: ReportFilters
    sections: list[TableSection]

    @property
    def rows(self) -> list[TableRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def title(self) -> str:
        return self.period.printed_title

    @property
    def is_custom_range(self) -> bool:
        return self.period.pk is None


def custom_period(programme: Programme, start: date, end: date) -> Period:
    """An unsaved period for a range asked for on the fly. It prints in the layout of the
    tightest saved period around it (inside one year: the annual report's), has no targets,
    remarks or hand-entered figures, and every figure is computed from the records."""
    around = (
        Period.objects.filter(programme=programme, start_date__lte=start, end_date__gte=end)
        .order_by("-start_date", "end_date")
        .select_related("layout")
        .first()
    )
    return Period(
        programme=programme,
        kind=PeriodKind.CUSTOM,
        label=f"{start:%Y-%m-%d} \u2013 {end:%Y-%m-%d}",
        start_date=start,
        end_date=end,
        layout=around.layout if around else None,
    )


def is_narrowed(table: IndicatorTable) -> bool:
    """Whether the table shows less than the partnership's figures of a saved period: one
    organisation, location or sub-project, or a custom range (which can be a single day)."""
    filters = table.filters
    narrowed_by = (filters.organisation, filters.location, filters.sub_project)
    return table.is_custom_range or any(value is not None for value in narrowed_by)


def with_small_counts_of_people_suppressed(table: IndicatorTable) -> IndicatorTable:
    """The table with each count of people below SMALL_COUNT_THRESHOLD (and above zero) shown
    as "<5", for a partnership-wide viewer of a narrowed table: a handful of people in one
    organisation, town or week can be recognised."""
    return replace(
        table,
        sections=[
            replace(section, rows=[_suppressed_if_small(row) for row in section.rows])
            for section in table.sections
        ],
    )


def counts_people_in(indicator: Indicator | None) -> bool:
    """Whether ``indicator``'s figure is a number of people (which suppression hides)."""
    computation = COMPUTATIONS.get(indicator.computation) if indicator else None
    return computation is not None and computation.measure == "people"


def _suppressed_if_small(row: TableRow) -> TableRow:
    value = row.result
    if (
        counts_people_in(row.indicator)
        and isinstance(value, int | Decimal)
        and isinstance(shown(value), str)
    ):
        return replace(row, suppressed=True)
    return row


def indicator_table(
    period: Period, *, filters: ReportFilters = NO_FILTERS, pillar: int | None = None
) -> IndicatorTable:
    """The period's table, optionally one pillar only (by number), narrowed by ``filters``."""
    sections = list(_sections(period, pillar))
    report_rows = [row for section in sections for row in section.rows.all()]
    indicators = {row.indicator_id: row.indicator for row in report_rows if row.indicator_id}
    figures = figures_for(indicators.values(), period, filters)
    targets, remarks = {}, {}
    if period.pk is not None:
        targets = dict(
            Target.objects.filter(period=period, indicator_id__in=list(indicators)).values_list(
                "indicator_id", "value"
            )
        )
        remarks = dict(
            Remark.objects.filter(period=period, row__in=report_rows).values_list("row_id", "text")
        )
    return IndicatorTable(
        period=period,
        filters=filters,
        sections=[
            TableSection(
                pillar=section.pillar.number,
                heading=section.label_in("heading"),
                rows=[
                    TableRow(
                        pillar=section.pillar.number,
                        label=row.label_in("label"),
                        subrow=row.label_in("subrow_label"),
                        report_row=row,
                        target=_whole(targets.get(row.indicator_id)),
                        figure=figures.get(row.indicator_id),
                        remark=remarks.get(row.pk, ""),
                        is_share=not filters.is_empty,
                    )
                    for row in section.rows.all()
                ],
            )
            for section in sections
        ],
    )


def _sections(period, pillar):
    if period.layout_id is None:
        return ReportSection.objects.none()
    sections = (
        ReportSection.objects.filter(layout_id=period.layout_id)
        .select_related("pillar")
        .prefetch_related(
            Prefetch(
                "rows",
                queryset=ReportRow.objects.select_related("indicator").order_by("position"),
            )
        )
        .order_by("pillar__number")
    )
    if pillar is not None:
        sections = sections.filter(pillar__number=pillar)
    return sections


def _whole(value):
    return None if value is None else int(value)
