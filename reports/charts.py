"""Geometry of the dashboards' charts, drawn as SVG by the templates (reports/includes/): no
JavaScript, so they pass the Content-Security-Policy, print, and follow high-contrast colours
(static/css/app.css). Every chart carries a title, a description and its figures as a table,
its text alternative."""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# Column charts are drawn in this viewBox and scaled to the width of the page.
WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 12, 34
MOST_AXIS_LABELS = 6
SUPPRESSED_HEIGHT = 8

# A point's value: a number, None (no figure), or a suppressed count's text ("<5").
ChartValue = int | float | Decimal | str | None


@dataclass(frozen=True)
class Column:
    label: str
    axis_label: str
    value: object
    display: str
    x: float
    y: float
    width: float
    height: float
    show_label: bool
    # A suppressed count ("<5"): drawn as a short outlined column, so the month does not
    # read as empty.
    suppressed: bool = False

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class ColumnChart:
    title: str
    description: str
    columns: list
    top_value: object
    value_heading: str
    width: int = WIDTH
    height: int = HEIGHT

    left: int = LEFT
    top: int = TOP
    baseline: int = HEIGHT - BOTTOM
    right_edge: int = WIDTH - RIGHT

    @property
    def label_y(self) -> int:
        return self.baseline + 16

    @property
    def is_empty(self) -> bool:
        return not self.columns

    # The columns are written here rather than by a template loop: a dashboard draws dozens of
    # charts of 36 months, and the template engine's lookups per column were most of its time;
    # then format_html's lazy wrappers per value were (a thousand calls for one dashboard).
    def svg_columns(self) -> str:
        """The columns and their axis labels, as SVG elements (values escaped)."""
        return mark_safe(  # noqa: S308 (every value is escaped or a number formatted here)
            "\n".join(
                f'<rect class="chart-column{" chart-suppressed" if column.suppressed else ""}" '
                f'x="{column.x:.2f}" y="{column.y:.2f}" width="{column.width:.2f}" '
                f'height="{column.height:.2f}"><title>{_escaped(column.label)}: '
                f"{_escaped(column.display)}</title></rect>"
                + (
                    f'<text class="chart-label" x="{column.label_x:.2f}" y="{self.label_y}" '
                    f'text-anchor="middle">{_escaped(column.axis_label)}</text>'
                    if column.show_label
                    else ""
                )
                for column in self.columns
            )
        )

    def figure_rows(self) -> str:
        """The figures behind the columns, as rows of the chart's table (values escaped)."""
        return mark_safe(  # noqa: S308 (every value is escaped here)
            "".join(
                f'<tr><th scope="row">{_escaped(column.label)}</th>'
                f'<td class="text-end">{_escaped(column.display)}</td></tr>'
                for column in self.columns
            )
        )


def _escaped(value: object) -> str:
    """As the template engine escapes a value: text escaped, markup already safe kept."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _nice_ceiling(value):
    """A round number at or above ``value`` for the top of the axis (1, 2, 5 x 10^n)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def monthly_chart(
    series: Sequence[tuple[date, ChartValue]], *, title: str, description: str, value_heading: str
) -> ColumnChart:
    """A column chart of [(first day of month, value)]."""
    language = get_language()
    labels = [_month_labels(month, language) for month, _value in series]
    return column_chart(
        [
            (label, value)
            for (label, _axis_label), (_month, value) in zip(labels, series, strict=True)
        ],
        title=title,
        description=description,
        value_heading=value_heading,
        axis_labels=[axis_label for _label, axis_label in labels],
    )


@functools.lru_cache(maxsize=4096)
def _month_labels(month: date, language: str | None) -> tuple[str, str]:
    # A dashboard draws the same months for every indicator: each label is formatted once
    # per language (the language is in the key: the month's name is translated).
    return date_format(month, "M Y"), date_format(month, "M y")


def column_chart(
    points: Sequence[tuple[str, ChartValue]],
    *,
    title: str,
    description: str,
    value_heading: str,
    axis_labels: Sequence[str] | None = None,
    display: Callable[[ChartValue], str] | None = None,
) -> ColumnChart:
    """``points``: [(label, value)] in order; value None or a number; a suppressed count (text
    such as "<5") is shown as it is and draws no bar. ``axis_labels``: shorter labels for the
    axis, of which at most MOST_AXIS_LABELS are drawn."""
    display = display or _plain_number
    top_value = _nice_ceiling(max((_measurable(value) for _label, value in points), default=0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(points), 1)
    every = max(1, math.ceil(len(points) / MOST_AXIS_LABELS))
    columns = []
    for index, (label, value) in enumerate(points):
        suppressed = isinstance(value, str)
        measured = _measurable(value)
        height = plot_height * measured / top_value if measured else 0
        if suppressed:
            height = SUPPRESSED_HEIGHT
        columns.append(
            Column(
                label=str(label),
                axis_label=str(axis_labels[index] if axis_labels else label),
                value=value,
                display=display(value),
                x=round(LEFT + index * slot + slot * 0.15, 2),
                y=round(TOP + plot_height - height, 2),
                width=round(slot * 0.7, 2),
                height=round(height, 2),
                show_label=index % every == 0,
                suppressed=suppressed,
            )
        )
    return ColumnChart(
        title=title,
        description=description,
        columns=columns,
        top_value=_plain_number(top_value),
        value_heading=value_heading,
    )


def _measurable(value):
    try:
        return max(float(value), 0)
    except (TypeError, ValueError):
        return 0


def _plain_number(value):
    if value is None:
        return "\u2013"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return f"{value:,.0f}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return str(value)


@dataclass(frozen=True)
class Progress:
    """A bar against a target: the track is the target (100), the fill the result, capped at
    the track; ``over`` says the result went past it."""

    percent: int | None
    fill: float
    over: bool

    @property
    def has_target(self) -> bool:
        return self.percent is not None


def progress(percent: int | None) -> Progress:
    if percent is None:
        return Progress(percent=None, fill=0, over=False)
    return Progress(percent=percent, fill=float(min(max(percent, 0), 100)), over=percent > 100)
