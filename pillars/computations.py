"""The registry of indicator computations: how each kind of indicator turns records into a figure.

An indicator names a computation kind and gives it parameters (which service types, activity
kinds, organisations, sub-project ...). A computation knows which rows it reads, how a period and
the report filters narrow them, and what it measures. Figures are aggregated in SQL: all
indicators that read the same rows are answered by one query, whatever the number of records.

Distinct-people figures are counted over the whole window asked for, never summed over years:
a refugee assisted in 2022 and 2023 counts once in 2021-2023.

Where a computation has summary facts (pillars.facts: the assistance summed per person and
year, with its number of rows in each month) and the window is made of whole months, a figure
reads the facts instead of the raw rows, unless it filters on something the facts do not carry
(the service): the same figure from far fewer rows. So does a figure per month: a person counts
in a month where one of her facts has rows in it. ``reading_raw_rows`` computes every figure
from the rows, to check that both agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import reduce
from itertools import combinations, product
from operator import or_

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.enums import Category, OutcomeKind, ReferralStatus
from cases.models import Assistance, Beneficiary, Outcome, Referral
from pillars.data_version import cached_figures, indicators_key
from pillars.enums import ActivityKind, ComputationKind
from pillars.facts import month_column
from pillars.models import (
    Activity,
    ActivityParticipation,
    AssistanceFact,
    Indicator,
    SafetyNet,
    Volunteer,
)

__all__ = [
    "COMPUTATIONS",
    "NO_FILTERS",
    "PARAMETER_KINDS",
    "ReportFilters",
    "check_parameters",
    "compute",
    "compute_by_organisation",
    "compute_every_choice",
    "compute_months_of_every_choice",
    "describe_parameters",
    "indicators_counting",
    "months_between",
    "parameters_of",
    "reading_raw_rows",
    "records_of",
]


@dataclass(frozen=True)
class ReportFilters:
    """Narrow a report to one organisation's contribution, one location, one sub-project."""

    organisation: object = None
    location: object = None
    sub_project: object = None

    @property
    def is_empty(self) -> bool:
        return self.organisation is None and self.location is None and self.sub_project is None


NO_FILTERS = ReportFilters()


class NotApplicable(Exception):
    """A filter the computation's rows do not carry (e.g. volunteers have no sub-project)."""


@dataclass(frozen=True)
class Computation:
    kind: ComputationKind
    model: type
    # Parameter name -> lookup it filters on (values come from Indicator.parameters).
    parameters: dict
    # Report filter -> path from the rows to the organisation, location or sub-project.
    filter_paths: dict
    # Path to the date that places a row in a period (None: see ``active_in``).
    date_path: str | None
    # What is measured on the matching rows: "people" (distinct beneficiaries), "rows", or the
    # name of a number field to sum.
    measure: str
    # Whether activities are limited to the indicator's own pillar.
    same_pillar_path: str | None = None
    # For rows that are active over a stretch of time rather than dated: (start path, end path,
    # whether the row must still be active at the end of the period).
    active_in: tuple | None = None
    # The model summing these rows per person and year (pillars.facts), with the same names for
    # every parameter and filter, and the parameters it cannot answer.
    facts: type | None = None
    not_in_facts: tuple[str, ...] = ()
    # Whether the rows are such facts: placed in a period by their year and monthly counts.
    counted_by_month: bool = False

    def condition(
        self,
        indicator: Indicator,
        start: date,
        end: date,
        filters: ReportFilters,
        *,
        rows_in_period: bool = False,
    ) -> Q:
        """The rows the indicator counts; ``rows_in_period``: among rows already narrowed to the
        period, so the period is not tested again for each indicator."""
        condition = Q() if rows_in_period else self.period_condition(start, end)
        for name, lookup in self.parameters.items():
            value = indicator.parameters.get(name)
            if value not in (None, "", []):
                condition &= self.matching(lookup, value)
        if self.same_pillar_path:
            condition &= Q(**{self.same_pillar_path: indicator.pillar_id})
        for name in ("organisation", "location", "sub_project"):
            value = getattr(filters, name)
            if value is None:
                continue
            if name not in self.filter_paths:
                raise NotApplicable(name)
            condition &= Q(**{self.filter_paths[name]: value})
        return condition

    def matching(self, lookup: str, value: object) -> Q:
        """One parameter's condition. A code of reference data (an organisation's slug, a
        location's code ...) is matched as the ids that have it, in a subquery the database
        hashes once, rather than by joining every row to the reference table."""
        parts = lookup.split("__")
        suffix = "__in" if parts[-1] == "in" else ""
        path = parts[:-1] if suffix else parts
        if len(path) == 2 and path[1] in ("slug", "code"):
            field = self.model._meta.get_field(path[0])
            if field.is_relation:
                having = field.related_model._base_manager.filter(**{path[1] + suffix: value})
                return Q(**{f"{path[0]}__in": having.values("pk")})
        return Q(**{lookup: value})

    def period_condition(self, start: date, end: date) -> Q:
        if self.counted_by_month:
            return _in_whole_months(start, end)
        if self.date_path:
            return Q(**{f"{self.date_path}__range": (start, end)})
        start_path, end_path, active_at_end = self.active_in
        started_in_time = Q(**{f"{start_path}__lte": end})
        if active_at_end:
            still_active = Q(**{f"{end_path}__isnull": True}) | Q(**{f"{end_path}__gt": end})
        else:
            still_active = Q(**{f"{end_path}__isnull": True}) | Q(**{f"{end_path}__gte": start})
        return started_in_time & still_active

    def aggregate(self, condition: Q) -> Aggregate | Coalesce:
        if self.measure == "people":
            return Count("beneficiary", distinct=True, filter=condition)
        if self.measure == "rows":
            return Count("pk", filter=condition)
        return Coalesce(Sum(self.measure, filter=condition), 0)

    def rows(self) -> QuerySet[Model]:
        return self.model.objects.all()


def _in_whole_months(start, end):
    """Facts with rows in the window of whole months from ``start`` to ``end``: any fact of a
    year wholly inside (a fact exists only while it has rows), else one with rows in one of the
    window's months of its year. The range of years comes first, as a condition of its own: the
    database then reads the window's years through the facts' key, whose first column is the
    year, instead of every fact (at L, 59-67 ms instead of 86 for a 2021-2023 figure)."""
    years = Q(year__range=(start.year, end.year))
    condition = Q(year__gt=start.year, year__lt=end.year)
    for year in sorted({start.year, end.year}):
        first = start.month if year == start.year else 1
        last = end.month if year == end.year else 12
        in_months = Q()
        if (first, last) != (1, 12):
            for month in range(first, last + 1):
                in_months |= Q(**{f"{month_column(month)}__gt": 0})
        condition |= Q(year=year) & in_months
    return years & condition


# Rows about one person carry her category and location as they were on the row's date
# (cases.models.stamp_attributes_of_the_day): figures read those, never her current ones.
_PEOPLE_PARAMETERS = {
    "categories": "category__in",
    "organisations": "organisation__slug__in",
    "locations": "location__code__in",
}
_PEOPLE_FILTERS = {
    "organisation": "organisation",
    "location": "location",
    "sub_project": "sub_project",
}
_ACTIVITY_PARAMETERS = {
    "activity_kinds": "kind__in",
    "organisations": "organisation__slug__in",
    "locations": "location__code__in",
    "sub_project": "sub_project__code",
}
_ACTIVITY_FILTERS = {
    "organisation": "organisation",
    "location": "location",
    "sub_project": "sub_project",
}

COMPUTATIONS = {
    computation.kind: computation
    for computation in [
        Computation(
            kind=ComputationKind.ASSISTED_PEOPLE,
            model=Assistance,
            parameters={
                **_PEOPLE_PARAMETERS,
                "service_types": "service_type__code__in",
                "sub_project": "sub_project__code",
            },
            filter_paths=_PEOPLE_FILTERS,
            date_path="date",
            measure="people",
            facts=AssistanceFact,
            not_in_facts=("service_types",),
        ),
        Computation(
            kind=ComputationKind.NEW_PEOPLE,
            model=Beneficiary,
            parameters={
                "categories": "category_at_intake__in",
                "organisations": "organisation_at_intake__slug__in",
                "locations": "location_at_intake__code__in",
            },
            # Counted where she was taken in, whichever organisation has her case now.
            filter_paths={
                "organisation": "organisation_at_intake",
                "location": "location_at_intake",
            },
            date_path="intake_date",
            measure="rows",
        ),
        Computation(
            kind=ComputationKind.PEOPLE_WITH_OUTCOME,
            model=Outcome,
            parameters={
                **_PEOPLE_PARAMETERS,
                "outcome_kinds": "kind__in",
                "sub_project": "sub_project__code",
            },
            filter_paths=_PEOPLE_FILTERS,
            date_path="date",
            measure="people",
        ),
        Computation(
            kind=ComputationKind.ACTIVITY_PEOPLE,
            model=ActivityParticipation,
            # The participation row carries the activity's organisation, location and
            # sub-project beside the person's category on the day.
            parameters={
                **_ACTIVITY_PARAMETERS,
                "categories": "category__in",
                "activity_kinds": "activity__kind__in",
            },
            filter_paths=_ACTIVITY_FILTERS,
            date_path="activity__starts_on",
            measure="people",
            same_pillar_path="activity__pillar",
        ),
        Computation(
            kind=ComputationKind.REFERRALS,
            model=Referral,
            parameters={
                "statuses": "status__in",
                "to_organisations": "to_organisation__slug__in",
                "from_organisations": "from_organisation__slug__in",
                "cross_border": "cross_border",
            },
            # A referral is credited to the organisation that takes the case on.
            filter_paths={"organisation": "to_organisation", "location": "location"},
            date_path="sent_on",
            measure="rows",
        ),
        Computation(
            kind=ComputationKind.ACTIVITIES,
            model=Activity,
            parameters=_ACTIVITY_PARAMETERS,
            filter_paths=_ACTIVITY_FILTERS,
            date_path="starts_on",
            measure="rows",
            same_pillar_path="pillar",
        ),
        Computation(
            kind=ComputationKind.ACTIVITY_PARTICIPANTS,
            model=Activity,
            parameters=_ACTIVITY_PARAMETERS,
            filter_paths=_ACTIVITY_FILTERS,
            date_path="starts_on",
            measure="participants",
            same_pillar_path="pillar",
        ),
        Computation(
            kind=ComputationKind.ACTIVITY_REACH,
            model=Activity,
            parameters=_ACTIVITY_PARAMETERS,
            filter_paths=_ACTIVITY_FILTERS,
            date_path="starts_on",
            measure="online_reach",
            same_pillar_path="pillar",
        ),
        Computation(
            kind=ComputationKind.ACTIVE_VOLUNTEERS,
            model=Volunteer,
            parameters={
                "organisations": "organisation__slug__in",
                "locations": "location__code__in",
            },
            filter_paths={"organisation": "organisation", "location": "location"},
            date_path=None,
            active_in=("active_from", "active_until", False),
            measure="rows",
        ),
        Computation(
            kind=ComputationKind.ACTIVE_SAFETY_NETS,
            model=SafetyNet,
            parameters={
                "organisations": "organisation__slug__in",
                "locations": "location__code__in",
                "sub_project": "sub_project__code",
            },
            filter_paths=_ACTIVITY_FILTERS,
            date_path=None,
            active_in=("started_on", "ended_on", True),
            measure="rows",
        ),
    ]
}


def check_parameters(kind: ComputationKind | str, parameters: object) -> None:
    """Refuse parameters the computation does not know: a misspelt one would be ignored and
    the figure silently count too much."""
    if not isinstance(parameters, dict):
        raise ValidationError({"parameters": _("Parameters are a JSON object.")})
    known = set(COMPUTATIONS[kind].parameters) if kind in COMPUTATIONS else set()
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise ValidationError(
            {
                "parameters": _("Unknown for this computation: %(names)s. Known: %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(sorted(known)) or "-"}
            }
        )


def _computed(indicators):
    return [indicator for indicator in indicators if indicator.computation in COMPUTATIONS]


# False inside ``reading_raw_rows``: figures computed from the raw rows, bypassing the cache.
_READ_FACTS = ContextVar("read_facts", default=True)


@contextmanager
def reading_raw_rows() -> Iterator[None]:
    """Inside: figures computed from the raw rows even where facts could answer (and never from
    the cache), to check the facts against them."""
    token = _READ_FACTS.set(False)
    try:
        yield
    finally:
        _READ_FACTS.reset(token)


def _whole_months(start, end):
    return start.day == 1 and (end + timedelta(days=1)).day == 1


def _reading(indicator, start, end):
    """The indicator's computation as it reads its rows for this window: from its summary facts
    when it has them, the window is made of whole months (a month's rows lie wholly inside it or
    wholly outside) and the indicator filters on nothing the facts leave out; else from the raw
    rows."""
    computation = COMPUTATIONS[indicator.computation]
    if (
        computation.facts is None
        or not _READ_FACTS.get()
        or not _whole_months(start, end)
        or any(indicator.parameters.get(name) for name in computation.not_in_facts)
    ):
        return computation
    return replace(
        computation, model=computation.facts, date_path=None, counted_by_month=True, facts=None
    )


def _groups(indicators, start, end):
    """[(computation, [(indicator, its computation)])]: indicators grouped by the rows they
    read in this window (the same model, placed in a period by the same dates). Each group is
    answered by one query."""
    groups = {}
    for indicator in _computed(indicators):
        computation = _reading(indicator, start, end)
        key = (computation.model, computation.date_path, computation.active_in)
        groups.setdefault(key, (computation, []))[1].append((indicator, computation))
    return groups.values()


def _rows_in_period(computation, start, end):
    # Each measure filters by the period too; narrowing the rows first lets the database use
    # its date indexes instead of reading the whole table.
    return computation.rows().filter(computation.period_condition(start, end))


def _conditions(group, start, end, filters):
    """[(indicator, its computation, the rows it counts)] of the group's indicators that the
    filters apply to, over rows already narrowed to the period (_rows_in_period)."""
    conditions = []
    for indicator, computation in group:
        try:
            condition = computation.condition(indicator, start, end, filters, rows_in_period=True)
        except NotApplicable:
            continue
        conditions.append((indicator, computation, condition))
    return conditions


def _measures(group, start, end, filters):
    """({name: aggregate expression}, rows any of them counts): one expression per indicator
    that the filters apply to, over rows already narrowed to the period (_rows_in_period)."""
    measures, counted = {}, []
    for indicator, computation, condition in _conditions(group, start, end, filters):
        measures[_measure_name(indicator.pk)] = computation.aggregate(condition)
        counted.append(condition)
    # Rows no indicator counts are left out before aggregating (all when one counts every row).
    return measures, reduce(or_, counted) if counted and all(counted) else Q()


def _measure_name(indicator_id, month=None):
    return f"indicator_{indicator_id}" + ("" if month is None else f"_m{month}")


def _measured(name):
    """(indicator id, month of the year or None) of a measure's name."""
    indicator_id, _, month = name.removeprefix("indicator_").partition("_m")
    return int(indicator_id), int(month) if month else None


def _cached(name, key_parts, compute_figures):
    if not _READ_FACTS.get():
        return compute_figures()
    return cached_figures(name, key_parts, compute_figures)


def compute(
    indicators: Iterable[Indicator], start: date, end: date, filters: ReportFilters = NO_FILTERS
) -> dict[int, int]:
    """{indicator id: figure} for every computed indicator; one query per kind of rows read,
    once per data version (pillars.data_version): the same figures again cost one query.

    Indicators entered by hand are left out, and so is an indicator whose rows cannot be
    narrowed by one of the filters (volunteers by sub-project, say).
    """
    indicators = list(indicators)
    return _cached(
        "compute",
        (indicators_key(indicators), start, end, _filters_key(filters)),
        lambda: _compute(indicators, start, end, filters),
    )


def _filters_key(filters):
    return [
        getattr(value, "pk", value)
        for value in (filters.organisation, filters.location, filters.sub_project)
    ]


def _compute(indicators, start, end, filters):
    figures = {}
    for computation, group in _groups(indicators, start, end):
        measures, counted = _measures(group, start, end, filters)
        if measures:
            rows = _rows_in_period(computation, start, end).filter(counted)
            for key, value in rows.aggregate(**measures).items():
                figures[_measured(key)[0]] = int(value or 0)
    return figures


def compute_by_organisation(
    indicators: Iterable[Indicator], start: date, end: date
) -> dict[int, dict[int, int]]:
    """{indicator id: {organisation id: figure}}: each organisation's contribution. A person
    helped by two organisations counts once for each of them (and once in the total)."""
    indicators = list(indicators)
    return _cached(
        "by organisation",
        (indicators_key(indicators), start, end),
        lambda: _compute_by_organisation(indicators, start, end),
    )


def _compute_by_organisation(indicators, start, end):
    breakdown = {indicator.pk: {} for indicator in _computed(indicators)}
    for computation, group in _groups(indicators, start, end):
        organisation_path = computation.filter_paths["organisation"]
        measures, counted = _measures(group, start, end, NO_FILTERS)
        rows = (
            _rows_in_period(computation, start, end)
            .filter(counted)
            .order_by()
            .values(organisation_path)
            .annotate(**measures)
        )
        for row in rows:
            organisation_id = row.pop(organisation_path)
            for key, value in row.items():
                if value:
                    breakdown[_measured(key)[0]][organisation_id] = int(value)
    return breakdown


def compute_by_month(
    indicator: Indicator, start: date, end: date, filters: ReportFilters = NO_FILTERS
) -> list[tuple[date, int]]:
    """[(first day of month, figure)] for a dated computation; [] where it has no dates."""
    return compute_by_month_for([indicator], start, end, filters).get(indicator.pk, [])


def compute_by_month_for(
    indicators: Iterable[Indicator], start: date, end: date, filters: ReportFilters = NO_FILTERS
) -> dict[int, list[tuple[date, int]]]:
    """{indicator id: [(first day of month, figure)]} for the dated computations among
    ``indicators``: one query per kind of rows read, whatever the number of indicators (a
    dashboard draws a trend for each). Months without a figure are left out."""
    indicators = list(indicators)
    return _cached(
        "by month",
        (indicators_key(indicators), start, end, _filters_key(filters)),
        lambda: _compute_by_month_for(indicators, start, end, filters),
    )


def _compute_by_month_for(indicators, start, end, filters):
    trends = {}
    for computation, group in _groups(indicators, start, end):
        if not _has_months(computation):
            continue
        _applicable, _paths, rows = _grouped_rows(
            computation, group, start, end, (), filters, by_month=True
        )
        for row in rows:
            for indicator_id, month, value in _monthly_figures(row, computation, start, end):
                trends.setdefault(indicator_id, []).append((month, value))
    for months in trends.values():
        months.sort()
    return trends


def months_between(start: date, end: date) -> list[date]:
    """First days of each month from ``start`` to ``end``."""
    month = start.replace(day=1)
    months = []
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _months_of_the_year(start, end):
    """The months of the year (1-12) that the window has days in."""
    return sorted({month.month for month in months_between(start, end)})


def _has_months(computation):
    """Whether the rows place a figure in months: dated rows, or facts counted by month."""
    return computation.date_path is not None or computation.counted_by_month


def _monthly_figures(row, computation, start, end):
    """[(indicator id, first day of month, figure)] of a row grouped by month (raw rows) or by
    year (facts, a measure per month of the year), for the months of the window with a figure:
    a month another indicator of the group has rows in, not this one, is left out."""
    if not computation.counted_by_month:
        month = row.pop("month")
        return [(_measured(name)[0], month, int(value)) for name, value in row.items() if value]
    year = row.pop("year")
    first = start.replace(day=1)
    figures = []
    for name, value in row.items():
        indicator_id, month = _measured(name)
        day = date(year, month, 1)
        if value and first <= day <= end:
            figures.append((indicator_id, day, int(value)))
    return figures


# -- every choice of the report filters at once (what locking a period publishes) ----------------

FILTER_NAMES = ("organisation", "location", "sub_project")


def _filter_subsets():
    """Every set of report filters a choice can set: none, each one, each pair, all three."""
    for size in range(len(FILTER_NAMES) + 1):
        yield from combinations(FILTER_NAMES, size)


def _grouped_rows(computation, group, start, end, names, filters=NO_FILTERS, *, by_month=False):
    """The rows of one query answering the group's indicators that every filter in ``names``
    applies to, grouped by the filters' columns (and the month): ({path: filter name}, rows).
    Distinct-people counts are distinct within each group, as with the filter applied. Facts
    are grouped by year instead of month, with a measure for each month of the year."""
    applicable = [
        (indicator, reading)
        for indicator, reading in group
        if all(name in reading.filter_paths for name in names)
    ]
    if not applicable:
        return applicable, {}, []
    paths = {computation.filter_paths[name]: name for name in names}
    if by_month and computation.counted_by_month:
        rows = _facts_by_year(computation, applicable, start, end, filters, paths)
        return applicable, paths, rows
    measures, counted = _measures(applicable, start, end, filters)
    if not measures:
        return applicable, {}, []
    rows = _rows_in_period(computation, start, end).filter(counted).order_by()
    month = []
    if by_month:
        rows = rows.annotate(month=TruncMonth(computation.date_path))
        month = ["month"]
    grouped_by = [*paths, *month]
    if not grouped_by:
        return applicable, paths, [rows.aggregate(**measures)]
    return applicable, paths, rows.values(*grouped_by).annotate(**measures)


def _facts_by_year(computation, group, start, end, filters, paths):
    """Facts grouped by year (and by the columns in ``paths``) with, per indicator and month of
    the year the window has, the number of people with a fact counted by the indicator and rows
    in that month: [{path: value, ..., "year": year, measure name: count}].

    Each indicator's condition is evaluated once per fact, in a subquery the database may not
    fold into the outer one (PostgreSQL's ``OFFSET 0``): written into each month's ``FILTER``
    it was evaluated twelve times per fact (at L, 2021-2023 counted over every organisation:
    200 ms instead of about 100)."""
    conditions = _conditions(group, start, end, filters)
    if not conditions:
        return []
    months = _months_of_the_year(start, end)
    facts, flags = _flagged_facts(computation, conditions, start, end, paths, months)
    connection = connections[facts.db]
    sql, params = facts.query.get_compiler(using=facts.db).as_sql()
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    quote = connection.ops.quote_name
    grouped = [f"grouped_{number}" for number in range(len(paths))]
    keys = ", ".join(quote(key) for key in [*grouped, "fact_year"])
    measures = ", ".join(
        f"COUNT(DISTINCT person) FILTER (WHERE {quote(flag)} AND "
        f"rows_{month_column(month)} > 0) AS {quote(_measure_name(indicator_id, month))}"
        for indicator_id, flag in flags.items()
        for month in months
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {keys}, {measures} FROM ({sql}{fence}) facts GROUP BY {keys}",  # noqa: S608
            params,
        )
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["year"] = row.pop("fact_year")
        for number, path in enumerate(paths):
            row[path] = row.pop(f"grouped_{number}")
    return rows


def _flagged_facts(computation, conditions, start, end, paths, months):
    """(the window's facts that any of the ``conditions`` counts, {indicator id: name of the
    column saying whether the indicator counts the fact}), every column under a name of ours:
    fact_year, person, rows_m01 ... (the months asked for), the flags, grouped_0 ... (the
    ``paths``)."""
    flags = {indicator.pk: f"counts_{indicator.pk}" for indicator, *_ in conditions}
    columns = {
        "fact_year": F("year"),
        "person": F("beneficiary"),
        **{f"rows_{month_column(month)}": F(month_column(month)) for month in months},
        **{
            # An indicator without conditions counts every fact.
            flags[indicator.pk]: ExpressionWrapper(condition, output_field=BooleanField())
            if condition
            else Value(True)
            for indicator, _computation, condition in conditions
        },
        **{f"grouped_{number}": F(path) for number, path in enumerate(paths)},
    }
    counted = [condition for *_, condition in conditions]
    facts = (
        _rows_in_period(computation, start, end)
        .filter(reduce(or_, counted) if all(counted) else Q())
        .order_by()
        .values(**columns)
    )
    return facts, flags


def _choice_of(row, paths):
    """The ReportFilters a grouped row answers; None for a row without one of the grouped
    columns (a row without sub-project counts only where no sub-project is chosen)."""
    chosen = {name: row.pop(path) for path, name in paths.items()}
    if any(value is None for value in chosen.values()):
        return None
    return ReportFilters(**chosen)


def compute_every_choice(
    indicators: Iterable[Indicator], start: date, end: date, choices: dict[str, list[int]]
) -> dict[ReportFilters, dict[int, int]]:
    """{filters: {indicator id: figure}} for every choice of the report filters (no filter, and
    each combination of the ids in ``choices``: {"organisation": [ids], ...}): the same figures
    as ``compute`` for each choice, from one grouped query per kind of rows read and set of
    filters (eight sets), whatever the number of organisations, locations and sub-projects."""
    figures: dict[ReportFilters, dict[int, int]] = {}
    indicators = list(indicators)
    for names in _filter_subsets():
        for computation, group in _groups(indicators, start, end):
            applicable, paths, rows = _grouped_rows(computation, group, start, end, names)
            for row in rows:
                filters = _choice_of(row, paths)
                if filters is None:
                    continue
                by_indicator = figures.setdefault(filters, {})
                for key, value in row.items():
                    by_indicator[_measured(key)[0]] = int(value or 0)
            # A choice without rows counts 0, as ``compute`` gives it.
            for ids in product(*(choices[name] for name in names)):
                chosen = ReportFilters(**dict(zip(names, ids, strict=True)))
                by_indicator = figures.setdefault(chosen, {})
                for indicator, _reading in applicable:
                    by_indicator.setdefault(indicator.pk, 0)
    return figures


def compute_months_of_every_choice(
    indicators: Iterable[Indicator], start: date, end: date
) -> dict[ReportFilters, dict[int, list[tuple[date, int]]]]:
    """{filters: {indicator id: [(first day of month, figure)]}} for every choice of the report
    filters that has rows: the same as ``compute_by_month_for`` for each choice (months without
    a figure left out, a choice without any left out), one grouped query per kind of rows read
    and set of filters."""
    trends: dict[ReportFilters, dict[int, list[tuple[date, int]]]] = {}
    indicators = list(indicators)
    for names in _filter_subsets():
        for computation, group in _groups(indicators, start, end):
            if not _has_months(computation):
                continue
            _applicable, paths, rows = _grouped_rows(
                computation, group, start, end, names, by_month=True
            )
            for row in rows:
                filters = _choice_of(row, paths)
                if filters is None:
                    continue
                for indicator_id, month, value in _monthly_figures(row, computation, start, end):
                    trends.setdefault(filters, {}).setdefault(indicator_id, []).append(
                        (month, value)
                    )
    for by_indicator in trends.values():
        for months in by_indicator.values():
            months.sort()
    return trends


# How the rows an indicator reads lead to one activity.
_PATH_TO_ACTIVITY = {Activity: "pk", ActivityParticipation: "activity"}


def indicators_counting(activity: Activity, indicators: Iterable[Indicator]) -> list[Indicator]:
    """The indicators among ``indicators`` whose figure counts ``activity`` (its participants,
    its reach, its registered people, or the activity itself): one query per kind of rows."""
    counting = set()
    # A single day is never whole months: the raw rows, which lead to the activity.
    for computation, group in _groups(indicators, activity.starts_on, activity.starts_on):
        model = computation.model
        if model not in _PATH_TO_ACTIVITY:
            continue
        measures = {
            f"indicator_{indicator.pk}": Count(
                "pk",
                filter=computation.condition(
                    indicator, activity.starts_on, activity.starts_on, NO_FILTERS
                ),
            )
            for indicator, computation in group
        }
        rows = model.objects.filter(**{_PATH_TO_ACTIVITY[model]: activity.pk})
        for key, matched in rows.aggregate(**measures).items():
            if matched:
                counting.add(_measured(key)[0])
    return [indicator for indicator in indicators if indicator.pk in counting]


def records_of(
    indicator: Indicator, start: date, end: date, filters: ReportFilters = NO_FILTERS
) -> QuerySet[Model] | None:
    """The records a figure is made of: the people for a distinct-people indicator, else the
    referrals, activities, volunteers or safety nets counted. Scoped like any query."""
    computation = COMPUTATIONS.get(indicator.computation)
    if computation is None:
        return None
    try:
        condition = computation.condition(indicator, start, end, filters)
    except NotApplicable:
        return None
    matching = computation.rows().filter(condition)
    if computation.measure == "people":
        return Beneficiary.objects.filter(pk__in=matching.values("beneficiary")).order_by("code")
    return matching.order_by("pk").distinct()


@dataclass(frozen=True)
class ParameterKind:
    """What one computation parameter takes: codes of a vocabulary (an enum), codes of managed
    reference data (organisations by slug, locations ...), or yes/no. Used to check a plan file
    and to draw the parameter's form field with its choices."""

    label: str
    many: bool = True
    vocabulary: type | None = None
    # (app label.model, field holding the code) of the reference data it names.
    reference: tuple[str, str] | None = None
    boolean: bool = False

    def choices(self) -> list[tuple[str, str]]:
        if self.vocabulary is not None:
            return [(str(value), str(label)) for value, label in self.vocabulary.choices]
        if self.reference is None:
            return []
        model = apps.get_model(self.reference[0])
        code_field = self.reference[1]
        return [(getattr(record, code_field), str(record)) for record in model.objects.all()]

    def known_values(self) -> set[str]:
        return {value for value, _label in self.choices()}


PARAMETER_KINDS = {
    "categories": ParameterKind(gettext_lazy("categories of people"), vocabulary=Category),
    "organisations": ParameterKind(
        gettext_lazy("organisations"), reference=("accounts.Organisation", "slug")
    ),
    "to_organisations": ParameterKind(
        gettext_lazy("referred to"), reference=("accounts.Organisation", "slug")
    ),
    "from_organisations": ParameterKind(
        gettext_lazy("referred by"), reference=("accounts.Organisation", "slug")
    ),
    "locations": ParameterKind(gettext_lazy("locations"), reference=("pillars.Location", "code")),
    "sub_project": ParameterKind(
        gettext_lazy("sub-project"), many=False, reference=("pillars.SubProject", "code")
    ),
    "service_types": ParameterKind(
        gettext_lazy("service types"), reference=("cases.ServiceType", "code")
    ),
    "activity_kinds": ParameterKind(gettext_lazy("kinds of activity"), vocabulary=ActivityKind),
    "outcome_kinds": ParameterKind(gettext_lazy("outcomes"), vocabulary=OutcomeKind),
    "statuses": ParameterKind(gettext_lazy("referral statuses"), vocabulary=ReferralStatus),
    "cross_border": ParameterKind(gettext_lazy("cross-border only"), many=False, boolean=True),
}


def parameters_of(kind: ComputationKind | str) -> dict[str, ParameterKind]:
    """{parameter name: what it takes} of a computation kind ({} for one entered by hand)."""
    computation = COMPUTATIONS.get(kind)
    if computation is None:
        return {}
    return {name: PARAMETER_KINDS[name] for name in computation.parameters}


def describe_parameters(indicator: Indicator) -> list[tuple[str, str]]:
    """[(parameter name, its values as words)] of an indicator, for people reading its
    definition."""
    described = []
    for name, value in indicator.parameters.items():
        values = value if isinstance(value, list) else [value]
        kind = PARAMETER_KINDS.get(name)
        vocabulary = kind.vocabulary if kind else None
        labels = dict(vocabulary.choices) if vocabulary else {}
        words = [str(labels.get(item, item)) for item in values]
        described.append((name.replace("_", " "), ", ".join(words)))
    return described
