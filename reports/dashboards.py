"""Figures of the coordinators' dashboards, aggregated in SQL: a fixed number of queries whatever
the number of records, and cached under the data version like the indicators' figures
(pillars.data_version): until the next write a dashboard's figures cost one small query.

Counts of people in partnership-wide views can be suppressed below a threshold
(SMALL_COUNT_SUPPRESSION): they then read "<5" and draw no bar, so nobody can be singled out.
A total that would give a single suppressed count away by subtraction is not shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Organisation
from cases.enums import Category, ReferralStatus, Status
from cases.models import Beneficiary, Referral
from nextsteps.labels import current_language, localised
from pillars.computations import ReportFilters, compute_by_month_for
from pillars.data_version import cached_figures
from pillars.enums import ComputationKind
from pillars.models import Indicator, Location, Period
from pillars.results import Figure, PublishedTrends, figures_for, published_trends


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


def _suppression(suppress: bool) -> int | None:
    """What suppression a cached dashboard's counts were shown with: the threshold, or None."""
    return settings.SMALL_COUNT_THRESHOLD if suppress else None


def total_of(counts: Iterable[int], shown_counts: Iterable[ShownCount]) -> int | None:
    """The sum of ``counts``, unless exactly one of them is suppressed: the total would then
    give it away by subtraction (None: not shown). Two or more hide each other."""
    if sum(isinstance(count, Suppressed) for count in shown_counts) == 1:
        return None
    return sum(counts)


def months_between(start: date, end: date) -> list[date]:
    """First days of each month from ``start`` to ``end``."""
    month = start.replace(day=1)
    months = []
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


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
        lambda: _referral_summary(start, end, organisation, suppress, today),
    )


def _referral_summary(start, end, organisation, suppress, today):
    referrals = Referral.objects.filter(sent_on__range=(start, end))
    if organisation is not None:
        referrals = referrals.filter(
            Q(from_organisation=organisation) | Q(to_organisation=organisation)
        )
    taken_on = Q(status__in=(ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED))
    counts = referrals.aggregate(
        sent=Count("pk"),
        accepted=Count("pk", filter=taken_on),
        declined=Count("pk", filter=Q(status=ReferralStatus.DECLINED)),
        completed=Count("pk", filter=Q(status=ReferralStatus.COMPLETED)),
        withdrawn=Count("pk", filter=Q(status=ReferralStatus.WITHDRAWN)),
        awaiting_answer=Count("pk", filter=Q(status=ReferralStatus.SENT)),
        overdue=Count("pk", filter=Q(status=ReferralStatus.SENT, due_date__lt=today)),
    )
    parts = {name: shown(value, suppress=suppress) for name, value in counts.items()}
    # Sent is the sum of these; it must not give a suppressed one away.
    outcomes = ("accepted", "declined", "withdrawn", "awaiting_answer")
    parts["sent"] = total_of([counts[name] for name in outcomes], [parts[n] for n in outcomes])
    per_month = referrals.annotate(month=TruncMonth("sent_on")).order_by("month").values("month")
    per_month = [
        (row["month"], shown(row["count"], suppress=suppress))
        for row in per_month.annotate(count=Count("pk"))
    ]
    median = _median_days_to_accept(referrals.filter(taken_on), counts["accepted"])
    return ReferralSummary(
        **parts,
        median_days_to_accept=median,
        per_month=fill_months(per_month, start, end),
    )


def _median_days_to_accept(accepted, count):
    """The median wait from sending to acceptance, in days: the middle of the sorted waits,
    fetched in one query (no database-specific percentile function needed)."""
    answered = accepted.filter(responded_at__isnull=False)
    if count == 0:
        return None
    waits = list(
        answered.annotate(
            wait=ExpressionWrapper(F("responded_at") - F("sent_at"), output_field=DurationField())
        )
        .order_by("wait")
        .values_list("wait", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    if not waits:
        return None
    middle = sum(waits, timedelta()) / len(waits)
    return round(middle.total_seconds() / 86400, 1)


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
    return cached_figures(
        "caseload summary",
        # Location names are in the reader's language.
        (start, end, organisation, location, _suppression(suppress), current_language()),
        lambda: _caseload_summary(start, end, organisation, location, suppress),
    )


def _caseload_summary(start, end, organisation, location, suppress):
    people = Beneficiary.objects.all()
    taken_in = Beneficiary.objects.all()
    if organisation is not None:
        people = people.filter(organisation=organisation)
        taken_in = taken_in.filter(organisation_at_intake=organisation)
    if location is not None:
        people = people.filter(location=location)
        taken_in = taken_in.filter(location_at_intake=location)
    active_rows = list(
        people.filter(status=Status.ACTIVE)
        .order_by()
        .values("category", location_name=localised("location__name"))
        # COUNT(*), not COUNT(id): the rows are counted from the caseload index alone.
        .annotate(count=Count("*"))
    )
    active = {
        (row["category"], row["location_name"]): shown(row["count"], suppress=suppress)
        for row in active_rows
    }
    intakes = (
        taken_in.filter(intake_date__range=(start, end))
        .annotate(month=TruncMonth("intake_date"))
        .order_by("month")
        .values("month")
        .annotate(count=Count("pk"))
    )
    present = {category for category, _location in active}
    return Caseload(
        categories=[(value, label) for value, label in Category.choices if value in present],
        locations=sorted({name for _category, name in active}),
        active=active,
        total=total_of([row["count"] for row in active_rows], list(active.values())),
        intakes_per_month=fill_months(
            [(row["month"], shown(row["count"], suppress=suppress)) for row in intakes],
            start,
            end,
        ),
    )


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
