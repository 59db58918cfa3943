"""Read queries of the reports app, each limited to what the given user may see.

Organisation roles see their own organisation's contribution, always: their report filters carry
their organisation whatever the request asks for. The programme coordinator sees the whole
partnership and each organisation's share of it, never a person's code or alias. A role not
named here sees nothing.

Organisations, pillars, locations and sub-projects are the partnership's shared reference data,
not any organisation's records: they carry no organisation scope, and whoever may view reports
may pick among them (an organisation role's figures stay its own through report_filters_for).
"""

from __future__ import annotations

from django.db.models import Model, QuerySet

from accounts.enums import ORGANISATION_ROLES, Role
from accounts.models import Organisation, User
from accounts.rules import Permission
from pillars.computations import ReportFilters, records_of
from pillars.models import Indicator, Location, Period, Pillar, Programme, SubProject
from pillars.results import breakdown_by_organisation


def _may_view_reports(user):
    return user.is_authenticated and user.has_role_permission(Permission.VIEW_AGGREGATES)


def sees_whole_partnership(user: User) -> bool:
    """The programme coordinator: partnership-wide aggregates, never identities."""
    return _may_view_reports(user) and user.role == Role.PROGRAMME_COORDINATOR


def sees_own_records(user: User) -> bool:
    """Organisation roles that view reports may open the records behind their own figures."""
    return _may_view_reports(user) and user.role in ORGANISATION_ROLES


def report_organisation_of(user: User) -> Organisation | None:
    """The organisation a user's reports are limited to (None: the whole partnership)."""
    return None if sees_whole_partnership(user) else user.organisation


def organisations_for(user: User) -> QuerySet[Organisation]:
    """The organisations a user may narrow a report to."""
    if sees_whole_partnership(user):
        return Organisation.objects.all()
    if sees_own_records(user):
        return Organisation.objects.filter(pk=user.organisation.pk)
    return Organisation.objects.none()


def report_filters_for(
    user: User,
    *,
    organisation: Organisation | None = None,
    location: Location | None = None,
    sub_project: SubProject | None = None,
) -> ReportFilters:
    """ReportFilters for ``user``: an organisation role is held to its own organisation."""
    if not sees_whole_partnership(user):
        organisation = user.organisation if sees_own_records(user) else None
    return ReportFilters(organisation=organisation, location=location, sub_project=sub_project)


def programmes_for(user: User) -> QuerySet[Programme]:
    if not _may_view_reports(user):
        return Programme.objects.none()
    return Programme.objects.order_by("-end_date", "-pk")


def periods_for(user: User) -> QuerySet[Period]:
    """Every reporting period of the programmes (plan data, shared by the partnership)."""
    if not _may_view_reports(user):
        return Period.objects.none()
    return Period.objects.select_related("programme", "layout")


def pillars_for(user: User) -> QuerySet[Pillar]:
    if not _may_view_reports(user):
        return Pillar.objects.none()
    return Pillar.objects.all()


def locations_for(user: User) -> QuerySet[Location]:
    if not _may_view_reports(user):
        return Location.objects.none()
    return Location.objects.all()


def sub_projects_for(user: User) -> QuerySet[SubProject]:
    if not _may_view_reports(user):
        return SubProject.objects.none()
    return SubProject.objects.all()


def records_for(
    user: User, indicator: Indicator, period: Period, filters: ReportFilters
) -> QuerySet[Model] | None:
    """The records one of the user's own figures is made of, or None where the user may not
    list records (the programme coordinator) or the figure has none (entered by hand). The
    organisation's scope limits the rows to records it can see; the people among them are
    listed by code only (see the template)."""
    if not sees_own_records(user) or filters.organisation != user.organisation:
        return None
    return records_of(indicator, period.start_date, period.end_date, filters)


def breakdown_for(
    user: User, indicator: Indicator, period: Period
) -> dict[Organisation, int] | None:
    """{organisation: figure} of one indicator, for the programme coordinator only."""
    if not sees_whole_partnership(user):
        return None
    # A locked period shows each organisation's share as published.
    by_id = breakdown_by_organisation(indicator, period)
    return {
        organisation: by_id.get(organisation.pk, 0)
        for organisation in Organisation.objects.order_by("name")
    }
