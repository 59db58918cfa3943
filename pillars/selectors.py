"""Read queries of the programme plan, each limited to what the given user may see.

An organisation's logs (activities, volunteers, safety nets, expenses) are seen by its own
coordinators and by the programme coordinator, and changed only by its own coordinators: the
programme coordinator works partnership-wide and records nothing for an organisation. Identities
never leave their organisation: the codes of the people who took part in an activity are shown
to its own organisation only; everyone else sees how many there were."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import Permission
from cases.models import Beneficiary
from nextsteps.labels import localised
from pillars.computations import (
    COMPUTATIONS,
    NO_FILTERS,
    ReportFilters,
    describe_parameters,
    indicators_counting,
)
from pillars.enums import ComputationKind, PeriodKind
from pillars.models import (
    Activity,
    BudgetLine,
    Expense,
    Indicator,
    Period,
    Pillar,
    Programme,
    Remark,
    ReportRow,
    Restatement,
    SafetyNet,
    Target,
    Volunteer,
)
from pillars.remarks import contradicting_numbers
from pillars.results import Figure, figures_for


def _organisation_log(queryset, user, permission):
    """The rows of an organisation's log that ``user`` may see."""
    if not user.has_role_permission(permission):
        return queryset.none()
    membership = user.membership_or_none
    if membership.organisation_id is not None:
        return queryset.filter(organisation_id=membership.organisation_id)
    if membership.is_partnership_wide:
        return queryset
    return queryset.none()


def _own_organisation_log(queryset, user, permission):
    """The rows of an organisation's log that ``user`` may change: their organisation's."""
    if not user.has_role_permission(permission) or user.organisation is None:
        return queryset.none()
    return queryset.filter(organisation=user.organisation)


def may_record_for_an_organisation(user: User, permission: Permission) -> bool:
    return user.has_role_permission(permission) and user.organisation is not None


def shows_organisation_column(user: User) -> bool:
    """Partnership-wide roles see several organisations' rows side by side."""
    return user.organisation is None


# -- activities ------------------------------------------------------------------------------


def _activities():
    # Explicit order: Meta.ordering does not apply to a query with an aggregate.
    return (
        Activity.objects.select_related("pillar", "organisation", "location", "sub_project")
        .annotate(registered_people=Count("participations"))
        .order_by("-starts_on", "-pk")
    )


def activities_for(user: User) -> QuerySet[Activity]:
    return _organisation_log(_activities(), user, Permission.MANAGE_ACTIVITIES)


def activities_editable_by(user: User) -> QuerySet[Activity]:
    return _own_organisation_log(_activities(), user, Permission.MANAGE_ACTIVITIES)


def registered_people_of(activity: Activity, user: User) -> QuerySet[Beneficiary]:
    """The codes of the people who took part, for the activity's own organisation; nobody
    else sees them (the programme coordinator sees ``activity.registered_people``)."""
    if user.organisation is None or user.organisation.pk != activity.organisation_id:
        return Beneficiary.objects.none()
    return Beneficiary.objects.filter(participations__activity=activity).order_by("code")


def people_to_register(user: User) -> QuerySet[Beneficiary]:
    """The records a coordinator may register as having taken part: their organisation's."""
    if not may_record_for_an_organisation(user, Permission.MANAGE_ACTIVITIES):
        return Beneficiary.objects.none()
    return Beneficiary.objects.filter(organisation=user.organisation)


def report_filters_for(user: User) -> ReportFilters:
    """Organisation roles see their organisation's contribution; the programme coordinator
    sees the partnership's figures."""
    if user.organisation is not None:
        return ReportFilters(organisation=user.organisation)
    return NO_FILTERS


@dataclass(frozen=True)
class FedIndicator:
    indicator: Indicator
    # [(period, Figure)] for each period the activity falls in
    figures: list[tuple[Period, Figure]]


def indicators_fed_by(activity: Activity, user: User) -> list[FedIndicator]:
    """The indicators that count ``activity``, with their figure (the user's organisation's
    contribution, or the partnership's) in each period the activity falls in."""
    programme_id = activity.pillar.programme_id
    indicators = indicators_counting(
        activity, Indicator.objects.filter(programme_id=programme_id).select_related("pillar")
    )
    if not indicators:
        return []
    periods = Period.objects.filter(
        programme_id=programme_id,
        start_date__lte=activity.starts_on,
        end_date__gte=activity.starts_on,
    ).order_by("-start_date", "end_date")
    filters = report_filters_for(user)
    per_period = [(period, figures_for(indicators, period, filters)) for period in periods]
    return [
        FedIndicator(
            indicator=indicator,
            figures=[(period, figures[indicator.pk]) for period, figures in per_period],
        )
        for indicator in indicators
    ]


# -- volunteers and safety nets --------------------------------------------------------------


def volunteers_for(user: User) -> QuerySet[Volunteer]:
    return _organisation_log(
        Volunteer.objects.select_related("organisation", "location").annotate(
            activity_count=Count("activities")
        ),
        user,
        Permission.MANAGE_ACTIVITIES,
    )


def volunteers_active_in(
    volunteers: QuerySet[Volunteer], start: date, end: date
) -> QuerySet[Volunteer]:
    """The volunteers active at some time between ``start`` and ``end``: those the indicator
    of active volunteers counts."""
    active = COMPUTATIONS[ComputationKind.ACTIVE_VOLUNTEERS].period_condition(start, end)
    return volunteers.filter(active)


def volunteer_counts(volunteers: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """How many volunteers each organisation has per location: what a partnership-wide role
    sees instead of their names."""
    return (
        volunteers.order_by("organisation__name", "location__name")
        .values("organisation__name", location_name=localised("location__name"))
        .annotate(volunteers=Count("pk", distinct=True))
    )


def volunteers_editable_by(user: User) -> QuerySet[Volunteer]:
    return _own_organisation_log(
        Volunteer.objects.select_related("location"), user, Permission.MANAGE_ACTIVITIES
    )


def volunteers_to_pick_for(user: User, today: date | None = None) -> QuerySet[Volunteer]:
    """The volunteers an activity form offers: those active today first (the ones a coordinator
    looks for), then the others, each group by name."""
    today = today or timezone.localdate()
    is_current = Q(active_from__lte=today) & (
        Q(active_until__isnull=True) | Q(active_until__gte=today)
    )
    return volunteers_editable_by(user).order_by(
        Case(When(is_current, then=Value(0)), default=Value(1)), "name", "pk"
    )


def safety_nets_for(user: User) -> QuerySet[SafetyNet]:
    return _organisation_log(
        SafetyNet.objects.select_related("organisation", "location", "sub_project").annotate(
            meeting_count=Count("meetings")
        ),
        user,
        Permission.MANAGE_ACTIVITIES,
    )


def safety_nets_editable_by(user: User) -> QuerySet[SafetyNet]:
    return _own_organisation_log(
        SafetyNet.objects.select_related("location", "sub_project"),
        user,
        Permission.MANAGE_ACTIVITIES,
    )


# -- periods and the plan --------------------------------------------------------------------


def current_programme() -> Programme | None:
    """The programme the screens work on: the latest one started."""
    return Programme.objects.order_by("-start_date").first()


def periods_for(user: User) -> QuerySet[Period]:
    """Periods whose plan ``user`` may look at."""
    periods = Period.objects.select_related("programme", "layout", "locked_by")
    if not user.has_role_permission(Permission.VIEW_AGGREGATES):
        return periods.none()
    return periods


def periods_manageable_by(user: User) -> QuerySet[Period]:
    """Periods ``user`` may lock, unlock and restate."""
    periods = Period.objects.select_related("programme", "layout", "locked_by")
    if not user.has_role_permission(Permission.MANAGE_PLAN):
        return periods.none()
    return periods


def locked_period_warning(day: date | None) -> str | None:
    """What to tell whoever enters a record dated ``day`` into a locked period: it is saved,
    but the published figures stay until the period is restated."""
    if day is None:
        return None
    locked = Period.objects.filter(
        locked_at__isnull=False, start_date__lte=day, end_date__gte=day
    ).order_by("start_date", "-end_date")
    labels = [period.label for period in locked]
    if not labels:
        return None
    return _(
        "%(periods)s is locked: this entry will not change the published report until "
        "%(periods)s is restated."
    ) % {"periods": ", ".join(labels)}


def periods_with_history_for(user: User) -> QuerySet[Period]:
    """Periods whose published figures and restatements ``user`` may read: the coordinators'
    and admins' (figures are aggregates)."""
    periods = Period.objects.select_related("programme", "locked_by")
    if not user.has_role_permission(Permission.VIEW_AGGREGATES):
        return periods.none()
    return periods


def restatements_of(period: Period) -> QuerySet[Restatement]:
    """The period's restatements, newest first, with who made them."""
    return period.restatements.select_related("restated_by__membership").order_by(
        "-restated_at", "-id"
    )


def figures_to_restate(period: Period) -> list[tuple[Indicator, int | None, int | None]]:
    """[(indicator, published figure, figure the records give now)] of a locked period's
    partnership totals that differ, in the programme's indicator order."""
    indicators = list(Indicator.objects.filter(programme_id=period.programme_id))
    figures = figures_for(indicators, period)
    return [
        (indicator, figures[indicator.pk].value, figures[indicator.pk].computed)
        for indicator in indicators
        if figures[indicator.pk].needs_restatement
    ]


def default_period(periods: Iterable[Period], today: date) -> Period | None:
    """The period a page opens on: the year under way; once the programme is over, the whole
    programme (what its final report shows); else the latest year that has started."""
    periods = list(periods)
    under_way = [
        p for p in periods if p.kind == PeriodKind.YEAR and p.start_date <= today <= p.end_date
    ]
    if under_way:
        return under_way[0]
    over = [p for p in periods if p.kind == PeriodKind.PROGRAMME and p.end_date < today]
    if over:
        return max(over, key=lambda period: period.end_date)
    started = [p for p in periods if p.kind == PeriodKind.YEAR and p.start_date <= today]
    if started:
        return max(started, key=lambda period: period.start_date)
    return periods[0] if periods else None


def pillars_of(programme: Programme) -> QuerySet[Pillar]:
    return Pillar.objects.filter(programme=programme)


@dataclass(frozen=True)
class PlanLine:
    """One line of a pillar's plan for a period: a printed row of the period's table (with the
    indicator it prints, if any), or an indicator the table does not print."""

    row: ReportRow | None
    indicator: Indicator | None
    target: Decimal | None
    remark: str
    figure: Figure | None
    # The target and result of an indicator printed twice are edited on its first line.
    edits_indicator: bool
    # The figure is one organisation's share: the partnership's remark is not about it.
    is_share: bool = False

    @property
    def label(self) -> str:
        return self.row.label_in("label") if self.row else self.indicator.label_in("label")

    @property
    def subrow_label(self) -> str:
        return self.row.label_in("subrow_label") if self.row else ""

    def __str__(self):
        return f"{self.label} {self.subrow_label}".strip()

    @property
    def parameters(self) -> list[tuple[str, str]]:
        return describe_parameters(self.indicator) if self.indicator else []

    @property
    def remark_contradicts(self) -> list[int]:
        """Numbers the remark quotes as if they were the figure, which the figure is not."""
        if self.is_share or self.figure is None or not self.edits_indicator:
            return []
        target = int(self.target) if self.target is not None else None
        return contradicting_numbers(self.remark, self.figure.value, target)

    @property
    def key(self) -> str:
        return f"{self.row.pk if self.row else ''}:{self.indicator.pk if self.indicator else ''}"


def plan_lines(
    period: Period, pillar: Pillar, filters: ReportFilters = NO_FILTERS
) -> list[PlanLine]:
    """The pillar's lines for ``period``, in printed order, then its unprinted indicators; a
    fixed handful of queries whatever the number of indicators."""
    rows = list(
        ReportRow.objects.filter(section__layout_id=period.layout_id, section__pillar=pillar)
        .select_related("section")
        .order_by("position")
    )
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(programme_id=period.programme_id, pillar=pillar)
    }
    targets = dict(
        Target.objects.filter(period=period, indicator__in=list(indicators)).values_list(
            "indicator_id", "value"
        )
    )
    remarks = dict(
        Remark.objects.filter(period=period, row__in=[row.pk for row in rows]).values_list(
            "row_id", "text"
        )
    )
    figures = figures_for(indicators.values(), period, filters)
    lines, seen = [], set()
    for row in rows:
        indicator = indicators.get(row.indicator_id)
        lines.append(
            PlanLine(
                row=row,
                indicator=indicator,
                target=targets.get(row.indicator_id),
                remark=remarks.get(row.pk, ""),
                figure=figures.get(row.indicator_id),
                edits_indicator=indicator is not None and indicator.pk not in seen,
                is_share=not filters.is_empty,
            )
        )
        seen.add(row.indicator_id)
    for indicator in indicators.values():
        if indicator.pk not in seen:
            lines.append(
                PlanLine(
                    row=None,
                    indicator=indicator,
                    target=targets.get(indicator.pk),
                    remark="",
                    figure=figures[indicator.pk],
                    edits_indicator=True,
                )
            )
    return lines


def restatements_needed(periods: Iterable[Period]) -> dict[int, int]:
    """{period id: number of frozen figures the records no longer give}, for locked periods."""
    needed = {}
    for period in periods:
        if period.is_locked:
            indicators = Indicator.objects.filter(programme_id=period.programme_id)
            figures = figures_for(indicators, period)
            needed[period.pk] = sum(figure.needs_restatement for figure in figures.values())
    return needed


# -- budget and expenses ---------------------------------------------------------------------


def expenses_for(user: User) -> QuerySet[Expense]:
    return _organisation_log(
        Expense.objects.select_related("line", "organisation"), user, Permission.MANAGE_BUDGET
    )


def expenses_editable_by(user: User) -> QuerySet[Expense]:
    return _own_organisation_log(
        Expense.objects.select_related("line"), user, Permission.MANAGE_BUDGET
    )


def budget_lines(programme: Programme) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(group__programme=programme).select_related("group")


def expense_years(programme: Programme) -> list[int]:
    return list(range(programme.start_date.year, programme.end_date.year + 1))


def plan_records_for(user: User, records: QuerySet) -> QuerySet:
    """The plan records (``records``: one kind of them) ``user`` may change: the programme
    coordinator's to manage; for anyone else none, so that a plan page answers 404 as a page
    of another organisation does."""
    if not user.has_role_permission(Permission.MANAGE_PLAN):
        return records.none()
    return records
