"""The counts behind the people dashboards (referrals, caseload), as plain data: what the
dashboards show live, and what a locked period publishes of them (FrozenDashboard), for each
choice of the filters each dashboard offers.

The counts are kept as the records give them: suppressing small counts is the dashboard's
business when it shows them (reports.dashboards), the same for live and published counts. Only
aggregates are kept, never a person. A dashboard's figures as JSON:

- referrals: {"sent", "accepted", "declined", "completed", "withdrawn", "awaiting_answer",
  "overdue": counts, "median_days_to_accept": days or None, "per_month": {"2022-03-01": sent}}
- caseload: {"active": [[category, location id, count], ...] (active people on the day it was
  computed), "intakes": {"2022-03-01": people taken in}}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import product
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from cases.enums import Category, ReferralStatus, Status
from cases.models import Beneficiary, Referral
from nextsteps.labels import localised
from pillars.computations import ReportFilters
from pillars.models import FrozenDashboard, Location, Period
from pillars.results import dimension_of
from pillars.small_counts import Suppressed, shown

REFERRALS, CASELOAD = FrozenDashboard.REFERRALS, FrozenDashboard.CASELOAD
# The referral counts, in the order the dashboard and a restatement name them.
REFERRAL_COUNTS = (
    "sent",
    "accepted",
    "declined",
    "completed",
    "withdrawn",
    "awaiting_answer",
    "overdue",
)


def _month_key(month: date | datetime) -> str:
    # TruncMonth gives a date on a date column, a datetime on some databases' backends.
    return (month.date() if isinstance(month, datetime) else month).isoformat()


# -- referrals -------------------------------------------------------------------------------


# A referral the receiver took on, and how long it waited for that answer.
_TAKEN_ON = Q(status__in=(ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED))
_WAIT = ExpressionWrapper(F("responded_at") - F("sent_at"), output_field=DurationField())


def _counts_by_outcome(today: date) -> dict[str, Count]:
    """The referrals counted by what became of them: the same measures for one choice of the
    filters and for every pair of organisations at once."""
    return {
        "sent": Count("pk"),
        "accepted": Count("pk", filter=_TAKEN_ON),
        "declined": Count("pk", filter=Q(status=ReferralStatus.DECLINED)),
        "completed": Count("pk", filter=Q(status=ReferralStatus.COMPLETED)),
        "withdrawn": Count("pk", filter=Q(status=ReferralStatus.WITHDRAWN)),
        "awaiting_answer": Count("pk", filter=Q(status=ReferralStatus.SENT)),
        "overdue": Count("pk", filter=Q(status=ReferralStatus.SENT, due_date__lt=today)),
    }


def referral_counts(
    start: date,
    end: date,
    *,
    organisation: Organisation | int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """The referrals sent in the period (by or to ``organisation``), by what became of them,
    per month and with the median wait to acceptance. Three queries."""
    today = today or timezone.localdate()
    referrals = Referral.objects.filter(sent_on__range=(start, end))
    if organisation is not None:
        referrals = referrals.filter(
            Q(from_organisation=organisation) | Q(to_organisation=organisation)
        )
    counts = referrals.aggregate(**_counts_by_outcome(today))
    per_month = (
        referrals.annotate(month=TruncMonth("sent_on"))
        .order_by("month")
        .values("month")
        .annotate(count=Count("pk"))
    )
    return {
        **counts,
        "median_days_to_accept": _median_days_to_accept(
            referrals.filter(_TAKEN_ON), counts["accepted"]
        ),
        "per_month": {_month_key(row["month"]): row["count"] for row in per_month},
    }


def _median_days_to_accept(accepted: QuerySet, count: int) -> float | None:
    """The median wait from sending to acceptance, in days: the middle of the sorted waits,
    fetched in one query (no database-specific percentile function needed)."""
    if count == 0:
        return None
    middle_waits = list(
        accepted.filter(responded_at__isnull=False)
        .annotate(wait=_WAIT)
        .order_by("wait")
        .values_list("wait", flat=True)[_middle(count)]
    )
    return _days_between(middle_waits)


def _middle(count: int) -> slice:
    """The one or two middle places of ``count`` sorted values, whose mean is their median."""
    return slice((count - 1) // 2, count // 2 + 1)


def _days_between(middle_waits: list[timedelta]) -> float | None:
    if not middle_waits:
        return None
    middle = sum(middle_waits, timedelta()) / len(middle_waits)
    return round(middle.total_seconds() / 86400, 1)


# -- caseload --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadCounts:
    """The caseload dashboard's counts: ``figures`` as published (locations by id), and the
    location names the live query read with them ({location id: name})."""

    figures: dict[str, Any]
    location_names: dict[int, str]


def caseload_counts(
    start: date,
    end: date,
    *,
    organisation: Organisation | int | None = None,
    location: Location | int | None = None,
) -> CaseloadCounts:
    """Active people by category and location (today), and new intakes per month of the period.
    Today's caseload is the organisation's now; an intake stays with the organisation that took
    her in (a transfer moves her case, not the month she came in). Two queries."""
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
        .values("category", "location_id", location_name=localised("location__name"))
        # COUNT(*), not COUNT(id): the rows are counted from the caseload index alone.
        .annotate(count=Count("*"))
    )
    intakes = (
        taken_in.filter(intake_date__range=(start, end))
        .annotate(month=TruncMonth("intake_date"))
        .order_by("month")
        .values("month")
        .annotate(count=Count("pk"))
    )
    return CaseloadCounts(
        figures={
            "active": sorted(
                [row["category"], row["location_id"], row["count"]] for row in active_rows
            ),
            "intakes": {_month_key(row["month"]): row["count"] for row in intakes},
        },
        location_names={row["location_id"]: row["location_name"] for row in active_rows},
    )


# -- what a locked period publishes ------------------------------------------------------------


def published_dashboards(
    period: Period, *, today: date | None = None
) -> dict[tuple[str, str], dict[str, Any]]:
    """{(dashboard, dimension): figures} of the referrals dashboard for every choice of its
    organisation filter, and of the caseload dashboard for every choice of its organisation
    and location filters: what locking (or restating) publishes of them. The figures
    ``referral_counts`` and ``caseload_counts`` give each choice, from five grouped queries
    whatever the number of organisations and locations."""
    start, end = period.start_date, period.end_date
    organisations = [None, *Organisation.objects.order_by("pk").values_list("pk", flat=True)]
    locations = [None, *Location.objects.order_by("pk").values_list("pk", flat=True)]
    published = {}
    referrals = _referrals_by_pair(start, end, today or timezone.localdate())
    for organisation in organisations:
        dimension = dimension_of(ReportFilters(organisation=organisation))
        published[(REFERRALS, dimension)] = referrals.counts_of(organisation)
    caseload = _caseload_by_organisation_and_location(start, end)
    for organisation, location in product(organisations, locations):
        dimension = dimension_of(ReportFilters(organisation=organisation, location=location))
        published[(CASELOAD, dimension)] = caseload.figures_of(organisation, location)
    return published


def _involves(organisation, *involved):
    return organisation is None or organisation in involved


@dataclass(frozen=True)
class _ReferralsByPair:
    """The period's referrals counted per (sending, receiving organisation): what
    ``referral_counts`` gives any organisation, summed over the pairs it is part of."""

    counts: list[dict[str, Any]]
    months: list[dict[str, Any]]
    # (from organisation id, to organisation id, wait to acceptance) of each accepted referral
    # that was answered.
    waits: list[tuple[int, int, timedelta]]

    def counts_of(self, organisation: int | None) -> dict[str, Any]:
        pairs = [
            row
            for row in self.counts
            if _involves(organisation, row["from_organisation"], row["to_organisation"])
        ]
        counts = {name: sum(row[name] for row in pairs) for name in REFERRAL_COUNTS}
        per_month: dict[str, int] = {}
        for row in self.months:
            if _involves(organisation, row["from_organisation"], row["to_organisation"]):
                month = _month_key(row["month"])
                per_month[month] = per_month.get(month, 0) + row["count"]
        waits = sorted(
            wait
            for sent_by, sent_to, wait in self.waits
            if _involves(organisation, sent_by, sent_to)
        )
        return {
            **counts,
            "median_days_to_accept": _median_of(waits, counts["accepted"]),
            "per_month": dict(sorted(per_month.items())),
        }


def _median_of(waits: list[timedelta], count: int) -> float | None:
    """``_median_days_to_accept`` of sorted waits already fetched."""
    if count == 0:
        return None
    return _days_between(waits[_middle(count)])


def _referrals_by_pair(start: date, end: date, today: date) -> _ReferralsByPair:
    referrals = Referral.objects.filter(sent_on__range=(start, end)).order_by()
    pair = ("from_organisation", "to_organisation")
    counts = referrals.values(*pair).annotate(**_counts_by_outcome(today))
    months = (
        referrals.annotate(month=TruncMonth("sent_on"))
        .values(*pair, "month")
        .annotate(count=Count("pk"))
    )
    waits = (
        referrals.filter(_TAKEN_ON, responded_at__isnull=False)
        .annotate(wait=_WAIT)
        .values_list(*pair, "wait")
    )
    return _ReferralsByPair(list(counts), list(months), list(waits))


@dataclass(frozen=True)
class _CaseloadByOrganisationAndLocation:
    """Active people per (organisation, location, category) and intakes per (organisation and
    location of intake, month): what ``caseload_counts`` gives any choice, summed."""

    active: list[dict[str, Any]]
    intakes: list[dict[str, Any]]

    def figures_of(self, organisation: int | None, location: int | None) -> dict[str, Any]:
        active: dict[tuple[str, int], int] = {}
        for row in self.active:
            if _involves(organisation, row["organisation"]) and _involves(
                location, row["location"]
            ):
                key = (row["category"], row["location"])
                active[key] = active.get(key, 0) + row["count"]
        intakes: dict[str, int] = {}
        for row in self.intakes:
            if _involves(organisation, row["organisation_at_intake"]) and _involves(
                location, row["location_at_intake"]
            ):
                month = _month_key(row["month"])
                intakes[month] = intakes.get(month, 0) + row["count"]
        return {
            "active": sorted(
                [category, place, count] for (category, place), count in active.items()
            ),
            "intakes": dict(sorted(intakes.items())),
        }


def _caseload_by_organisation_and_location(
    start: date, end: date
) -> _CaseloadByOrganisationAndLocation:
    active = (
        Beneficiary.objects.filter(status=Status.ACTIVE)
        .order_by()
        .values("organisation", "location", "category")
        .annotate(count=Count("*"))
    )
    intakes = (
        Beneficiary.objects.filter(intake_date__range=(start, end))
        .annotate(month=TruncMonth("intake_date"))
        .order_by()
        .values("organisation_at_intake", "location_at_intake", "month")
        .annotate(count=Count("pk"))
    )
    return _CaseloadByOrganisationAndLocation(list(active), list(intakes))


@dataclass(frozen=True)
class PublishedDashboard:
    """A people dashboard of a locked period as published. ``figures`` None: the period was
    locked before the dashboards were published with its figures (nothing of it was kept)."""

    figures: dict[str, Any] | None
    published_at: datetime | None

    @property
    def kept(self) -> bool:
        return self.figures is not None


def dashboard_as_published(
    period: Period, dashboard: str, filters: ReportFilters
) -> PublishedDashboard | None:
    """The dashboard of a locked period as published for the filters' choice, in one query
    (None when the period is not locked: its dashboards follow the records)."""
    if period.pk is None or not period.is_locked:
        return None
    row = (
        FrozenDashboard.objects.current()
        .filter(period=period, dashboard=dashboard, dimension=dimension_of(filters))
        .values_list("figures", "frozen_at")
        .first()
    )
    if row is None:
        return PublishedDashboard(figures=None, published_at=None)
    figures, frozen_at = row
    return PublishedDashboard(figures=figures, published_at=frozen_at)


# -- what a restatement changed of them --------------------------------------------------------

# What a restatement names: the partnership's dashboards (dimension ""), as the table's
# restatements name the partnership's totals.
PARTNERSHIP = ""


def dashboard_changes(
    changed: dict[tuple[str, str], tuple[dict[str, Any] | None, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """The figures of the partnership's dashboards that a restatement changed, each as
    {"indicator": name for the audit row, "published", "restated" (strings; published None when
    nothing was published), "dashboard", "figure", and "month" or "category" and "location"
    where the figure is one of them}; aggregates only. A total that the dashboard hides from
    whoever does not see small counts (it would give one away) says so ("hidden")."""
    described = []
    for (dashboard, dimension), (old, new) in sorted(changed.items(), reverse=True):
        if dimension != PARTNERSHIP:
            continue
        if dashboard == REFERRALS:
            described += _referral_changes(old or {}, new, published=old is not None)
        else:
            described += _caseload_changes(old or {}, new, published=old is not None)
    # The dashboards' totals first, then their months and cells (the audit row holds only so
    # many; the period's history shows them all).
    return sorted(described, key=lambda change: change["figure"] in DETAILS)


DETAILS = ("per_month", "active_cell", "intakes")


def _change(dashboard, figure, old, new, *, published, name, **where):
    return {
        "dashboard": dashboard,
        "figure": figure,
        **where,
        "indicator": name,
        "published": None if not published or old is None else str(old),
        "restated": None if new is None else str(new),
    }


def _month_changes(dashboard, figure, before: dict, after: dict, what: str) -> list[dict]:
    """A change for each month whose count moved, in month order (a republished dashboard's
    months: the first publication names only its totals)."""
    return [
        _change(
            dashboard,
            figure,
            before.get(month, 0),
            after.get(month, 0),
            published=True,
            name=f"{dashboard} dashboard: {what} {month[:7]}",
            month=month,
        )
        for month in sorted(set(before) | set(after))
        if before.get(month, 0) != after.get(month, 0)
    ]


def _hides_one(counts: list[int]) -> bool:
    return sum(isinstance(shown(count), Suppressed) for count in counts) == 1


def _referral_changes(old, new, *, published):
    changes = []
    outcomes = ("accepted", "declined", "withdrawn", "awaiting_answer")
    for name in (*REFERRAL_COUNTS, "median_days_to_accept"):
        if old.get(name) != new[name] or not published:
            change = _change(
                REFERRALS,
                name,
                old.get(name),
                new[name],
                published=published,
                name=f"referrals dashboard: {name.replace('_', ' ')}",
            )
            if name == "sent":
                change["hidden"] = [
                    published and _hides_one([old.get(n, 0) for n in outcomes]),
                    _hides_one([new[n] for n in outcomes]),
                ]
            changes.append(change)
    if not published:
        return changes  # first published: its totals are named, not each month
    changes += _month_changes(
        REFERRALS, "per_month", old.get("per_month", {}), new["per_month"], "sent in"
    )
    return changes


def _caseload_changes(old, new, *, published):
    changes = []
    before = {(c, loc): n for c, loc, n in old.get("active", [])}
    after = {(c, loc): n for c, loc, n in new["active"]}
    old_total, new_total = sum(before.values()), sum(after.values())
    if old_total != new_total or not published:
        change = _change(
            CASELOAD,
            "active",
            old_total,
            new_total,
            published=published,
            name="caseload dashboard: active people",
        )
        change["hidden"] = [
            published and _hides_one(list(before.values())),
            _hides_one(list(after.values())),
        ]
        changes.append(change)
    if not published:
        return changes  # first published: its total is named, not each cell and month
    cells = sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))
    located = Location.objects.filter(pk__in=[location for _category, location in cells])
    codes = dict(located.values_list("pk", "code"))
    for category, location in cells:
        changes.append(
            _change(
                CASELOAD,
                "active_cell",
                before.get((category, location), 0),
                after.get((category, location), 0),
                published=published,
                name=f"caseload dashboard: active {category} in {codes.get(location, location)}",
                category=category,
                location=location,
            )
        )
    changes += _month_changes(
        CASELOAD, "intakes", old.get("intakes", {}), new["intakes"], "new intakes in"
    )
    return changes


# -- how the period's history shows them -------------------------------------------------------

REFERRAL_FIGURES = {
    "sent": gettext_lazy("Sent"),
    "accepted": gettext_lazy("Accepted"),
    "declined": gettext_lazy("Declined"),
    "completed": gettext_lazy("Completed"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "awaiting_answer": gettext_lazy("Awaiting an answer"),
    "overdue": gettext_lazy("Overdue (no answer by the date asked)"),
    "median_days_to_accept": gettext_lazy("Median time to accept (days)"),
}
NOT_SHOWN = "\u2013"  # an en dash, as the dashboards show a hidden total


@dataclass(frozen=True)
class ShownChange:
    """One line of a restatement in the period's history: the figure, and its values before
    and after as the reader may see them."""

    label: str
    published: object
    restated: object


def change_shown(change: dict[str, Any], *, suppress: bool) -> ShownChange:
    """A restatement's change as the period's history shows it: a dashboard's figure named in
    the reader's language, its counts below the threshold hidden from whoever the dashboard
    hides them from (and a total that would give one away), as the dashboard itself does."""
    if "dashboard" not in change:
        return ShownChange(change["indicator"], change["published"], change["restated"])
    hidden = change.get("hidden", [False, False])
    counted = change["figure"] != "median_days_to_accept"
    values = [
        _value_shown(value, counted=counted, hidden=hidden_total and suppress, suppress=suppress)
        for value, hidden_total in zip(
            (change["published"], change["restated"]), hidden, strict=True
        )
    ]
    return ShownChange(_change_label(change), *values)


def _value_shown(value, *, counted, hidden, suppress):
    if value is None:
        return None
    if hidden:
        return NOT_SHOWN
    if counted:
        return shown(int(value), suppress=suppress)
    return value


def _change_label(change):
    figure, month = change["figure"], change.get("month")
    if change["dashboard"] == REFERRALS:
        if figure == "per_month":
            return _("Referrals dashboard: sent in %(month)s") % {"month": _month_shown(month)}
        return _("Referrals dashboard: %(figure)s") % {"figure": REFERRAL_FIGURES[figure]}
    if figure == "intakes":
        return _("Caseload dashboard: new intakes in %(month)s") % {"month": _month_shown(month)}
    if figure == "active_cell":
        return _("Caseload dashboard: active, %(category)s, %(location)s") % {
            "category": Category(change["category"]).label,
            "location": _location_shown(change["location"]),
        }
    return _("Caseload dashboard: all active people")


def _month_shown(month: str) -> str:
    return date_format(date.fromisoformat(month), "F Y")


def _location_shown(location_id: int) -> str:
    location = Location.objects.filter(pk=location_id).first()
    return str(location) if location is not None else str(location_id)


def period_dashboards_kept(period: Period) -> bool | None:
    """Whether the locked period's people dashboards were published with its figures (False:
    locked before they were; None: not locked)."""
    if not period.is_locked:
        return None
    return FrozenDashboard.objects.current().filter(period=period).exists()
