"""Figures of the coordinators' dashboards, aggregated in SQL: a fixed number of queries whatever
the number of records, and cached under the data version like the indicators' figures
(pillars.data_version): until the next write a dashboard's figures cost one small query. A
locked period's dashboards are read as published (one query).

Counts of people in partnership-wide views can be suppressed below a threshold
(SMALL_COUNT_SUPPRESSION): they then read "<5" and draw no bar, so nobody can be singled out.
A total that would give a single suppressed count away by subtraction is not shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import Organisation
from cases.enums import Category
from cases.models import Beneficiary, Referral
from nextsteps.labels import current_language
from pillars.computations import (
    COMPUTATIONS,
    ReportFilters,
    compute_by_month_for,
    months_between,
)
from pillars.dashboard_figures import (
    REFERRAL_COUNTS,
    caseload_counts,
    dashboard_as_published,
    referral_counts,
)
from pillars.data_version import cached_figures
from pillars.enums import ComputationKind
from pillars.models import FrozenDashboard, Indicator, Location, Period
from pillars.results import Figure, Origin, PublishedTrends, figures_for, published_trends
from pillars.small_counts import ShownCount, shown, total_of


def fill_months(
    rows: Iterable[tuple[date | datetime, int]], start: date, end: date
) -> list[tuple[date, int]]:
    """[(month, value)] with a zero for every month without rows (a trend shows the gaps)."""
    by_month = {_as_date(month): value for month, value in rows}
    return [(month, by_month.get(month, 0)) for month in months_between(start, end)]


def _as_date(value):
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# -- referrals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralSummary:
    sent: object
    accepted: object
    declined: object
    completed: object
    withdrawn: object
    awaiting_answer: object
    overdue: object
    median_days_to_accept: float | None
    per_month: list


def referral_summary(
    start: date,
    end: date,
    *,
    organisation: Organisation | None = None,
    suppress: bool = False,
    today: date | None = None,
) -> ReferralSummary:
    """Referrals sent in the period (by or to ``organisation``), by what became of them:
    counted once per data version (pillars.data_version) and day, then one small query until
    the next write."""
    today = today or timezone.localdate()
    return cached_figures(
        "referral summary",
        (start, end, organisation, _suppression(suppress), today),
        lambda: referrals_shown(
            referral_counts(start, end, organisation=organisation, today=today),
            start,
            end,
            suppress=suppress,
        ),
    )


def _suppression(suppress: bool) -> int | None:
    """What suppression a cached dashboard's counts were shown with: the threshold, or None."""
    return settings.SMALL_COUNT_THRESHOLD if suppress else None


def referrals_shown(
    counts: dict[str, Any], start: date, end: date, *, suppress: bool = False
) -> ReferralSummary:
    """The referrals dashboard of ``counts`` (pillars.dashboard_figures.referral_counts, live
    or as published), small counts suppressed when ``suppress``."""
    parts = {name: shown(counts[name], suppress=suppress) for name in REFERRAL_COUNTS}
    # Sent is the sum of these; it must not give a suppressed one away.
    outcomes = ("accepted", "declined", "withdrawn", "awaiting_answer")
    parts["sent"] = total_of([counts[name] for name in outcomes], [parts[n] for n in outcomes])
    per_month = [
        (date.fromisoformat(month), shown(count, suppress=suppress))
        for month, count in counts["per_month"].items()
    ]
    return ReferralSummary(
        **parts,
        median_days_to_accept=counts["median_days_to_accept"],
        per_month=fill_months(per_month, start, end),
    )


# -- caseload ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caseload:
    categories: list  # [(value, label)]
    locations: list  # [location name]
    # {(category, location name): count as shown}
    active: dict
    total: object
    intakes_per_month: list

    def cell(self, category: str, location: str) -> ShownCount:
        return self.active.get((category, location), 0)

    def rows(self) -> list[tuple[str, list[ShownCount]]]:
        """[(category label, [count per location])] for the table."""
        return [
            (label, [self.cell(value, location) for location in self.locations])
            for value, label in self.categories
        ]


def caseload_summary(
    start: date,
    end: date,
    *,
    organisation: Organisation | None = None,
    location: Location | None = None,
    suppress: bool = False,
) -> Caseload:
    """Active people by category and location (today), and new intakes per month of the period.
    Today's caseload is the organisation's now; an intake stays with the organisation that took
    her in (a transfer moves her case, not the month she came in). Counted once per data
    version (pillars.data_version), then one small query until the next write."""

    def compute():
        counts = caseload_counts(start, end, organisation=organisation, location=location)
        return caseload_shown(
            counts.figures, start, end, location_names=counts.location_names, suppress=suppress
        )

    return cached_figures(
        "caseload summary",
        # Location names are in the reader's language.
        (start, end, organisation, location, _suppression(suppress), current_language()),
        compute,
    )


def caseload_shown(
    figures: dict[str, Any],
    start: date,
    end: date,
    *,
    location_names: dict[int, str] | None = None,
    suppress: bool = False,
) -> Caseload:
    """The caseload dashboard of ``figures`` (pillars.dashboard_figures.caseload_counts, live
    or as published), small counts suppressed when ``suppress``. Without ``location_names``
    the locations' names are read (one query)."""
    if location_names is None:
        location_names = _location_names({location for _c, location, _n in figures["active"]})
    active_rows = [
        (category, location_names.get(location, str(location)), count)
        for category, location, count in figures["active"]
    ]
    active = {
        (category, name): shown(count, suppress=suppress) for category, name, count in active_rows
    }
    present = {category for category, _location in active}
    return Caseload(
        categories=[(value, label) for value, label in Category.choices if value in present],
        locations=sorted({name for _category, name in active}),
        active=active,
        total=total_of([count for _c, _n, count in active_rows], list(active.values())),
        intakes_per_month=fill_months(
            [
                (date.fromisoformat(month), shown(count, suppress=suppress))
                for month, count in figures["intakes"].items()
            ],
            start,
            end,
        ),
    )


def _location_names(location_ids: set[int]) -> dict[int, str]:
    if not location_ids:
        return {}
    return {location.pk: str(location) for location in Location.objects.filter(pk__in=location_ids)}


# -- people dashboards of a locked period ------------------------------------------------------


@dataclass(frozen=True)
class PeopleDashboard:
    """What a people dashboard shows: ``summary`` (None when a locked period's dashboard was
    not kept), whether it is as published (and when), and for a period locked before the
    dashboards were published, the published figures it has of the same records."""

    summary: object
    published_at: datetime | None = None
    not_kept: bool = False
    published_totals: list = field(default_factory=list)


def referrals_dashboard(
    period: Period, filters: ReportFilters, *, suppress: bool = False
) -> PeopleDashboard:
    """The referrals dashboard of ``period``: as the records give it, or for a locked period
    as published."""
    return _people_dashboard(
        period,
        filters,
        FrozenDashboard.REFERRALS,
        live=lambda: referral_summary(
            period.start_date,
            period.end_date,
            organisation=filters.organisation,
            suppress=suppress,
        ),
        as_published=lambda figures: referrals_shown(
            figures, period.start_date, period.end_date, suppress=suppress
        ),
        records_model=Referral,
        suppress=suppress,
    )


def caseload_dashboard(
    period: Period, filters: ReportFilters, *, suppress: bool = False
) -> PeopleDashboard:
    """The caseload dashboard of ``period``: as the records give it, or for a locked period as
    published (its active people those of the day it was published)."""
    return _people_dashboard(
        period,
        filters,
        FrozenDashboard.CASELOAD,
        live=lambda: caseload_summary(
            period.start_date,
            period.end_date,
            organisation=filters.organisation,
            location=filters.location,
            suppress=suppress,
        ),
        as_published=lambda figures: caseload_shown(
            figures, period.start_date, period.end_date, suppress=suppress
        ),
        records_model=Beneficiary,
        suppress=suppress,
    )


def _people_dashboard(period, filters, dashboard, *, live, as_published, records_model, suppress):
    published = dashboard_as_published(period, dashboard, filters)
    if published is None:
        return PeopleDashboard(summary=live())
    if published.kept:
        return PeopleDashboard(
            summary=as_published(published.figures), published_at=published.published_at
        )
    # Locked before the dashboards were published: nothing of this one was kept. What was
    # published of the same records are the table's figures.
    return PeopleDashboard(
        summary=None,
        not_kept=True,
        published_totals=_published_totals(period, filters, records_model, suppress),
    )


def _published_totals(period, filters, records_model, suppress):
    """[(indicator's label, figure as shown)] of the period's published figures computed from
    ``records_model``'s rows, for the filters' choice."""
    indicators = [
        indicator
        for indicator in Indicator.objects.filter(programme_id=period.programme_id)
        if indicator.computation in COMPUTATIONS
        and COMPUTATIONS[indicator.computation].model is records_model
    ]
    narrowed = ReportFilters(organisation=filters.organisation, location=filters.location)
    figures = figures_for(indicators, period, narrowed)
    return [
        (indicator.label_in("label"), shown(figures[indicator.pk].value, suppress=suppress))
        for indicator in indicators
        if figures[indicator.pk].origin == Origin.FROZEN
    ]


# -- indicators --------------------------------------------------------------------------------


def outcome_figures(period: Period, filters: ReportFilters) -> list[tuple[Indicator, Figure]]:
    """[(indicator, Figure)] of the programme's outcome indicators (people reintegrated, cases
    completed, earning an income, employed ...) for the period and filters, whatever layout the
    period prints: the narrative's outcomes are on every pillar dashboard. As published when
    the period is locked."""
    outcomes = list(
        Indicator.objects.filter(
            programme_id=period.programme_id, computation=ComputationKind.PEOPLE_WITH_OUTCOME
        ).order_by("pillar__number", "order", "pk")
    )
    if not outcomes:
        return []
    figures = figures_for(outcomes, period, filters)
    return [(indicator, figures[indicator.pk]) for indicator in outcomes]


def indicator_trends(
    indicators: Iterable[Indicator], period: Period, filters: ReportFilters
) -> PublishedTrends:
    """The monthly figures over the period of the indicators that have dates: as the records
    give them (one query per kind of rows), or for a locked period as published with its
    figures (one query), whatever was entered into it since. ``not_kept`` names the indicators
    of a period locked before monthly figures were published: they have no trend."""
    if period.pk is not None and period.is_locked:
        published = published_trends(period, indicators, filters)
        trends, not_kept = published.trends, published.not_kept
    else:
        trends = compute_by_month_for(indicators, period.start_date, period.end_date, filters)
        not_kept = frozenset()
    return PublishedTrends(
        trends={
            pk: fill_months(rows, period.start_date, period.end_date)
            for pk, rows in trends.items()
            if rows
        },
        not_kept=not_kept,
        locked_at=period.locked_at if period.pk is not None else None,
    )
