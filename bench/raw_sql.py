"""The indicator figures of a period written by hand in SQL over the raw rows: the floor the
app's report must beat (issue 14). One statement per kind of rows, one FILTER per indicator,
slugs and codes resolved to ids beforehand, as someone tuning it by hand would."""

from django.db import connection

from accounts.models import Organisation
from cases.models import ServiceType
from pillars.enums import ComputationKind
from pillars.models import Location, SubProject


class _Ids:
    def __init__(self):
        self.organisations = dict(Organisation.objects.values_list("slug", "pk"))
        self.locations = dict(Location.objects.values_list("code", "pk"))
        self.sub_projects = dict(SubProject.objects.values_list("code", "pk"))
        self.service_types = dict(ServiceType.objects.values_list("code", "pk"))


def _in(column, values):
    values = list(values)
    if not values:
        return "FALSE"
    return f"{column} IN ({', '.join(_literal(value) for value in values)})"


def _literal(value):
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


# kind -> (FROM clause, date column, aggregate, {parameter: (column, resolver)})
def _shapes(ids):
    # Category, location, organisation and sub-project as stored on each row (as at the date
    # of help): no join to the person.
    def on_row(alias):
        return {
            "categories": (f"{alias}.category", None),
            "locations": (f"{alias}.location_id", ids.locations),
            "organisations": (f"{alias}.organisation_id", ids.organisations),
            "sub_project": (f"{alias}.sub_project_id", ids.sub_projects),
        }

    activity = {
        "activity_kinds": ("ac.kind", None),
        "organisations": ("ac.organisation_id", ids.organisations),
        "locations": ("ac.location_id", ids.locations),
        "sub_project": ("ac.sub_project_id", ids.sub_projects),
    }
    return {
        ComputationKind.ASSISTED_PEOPLE: (
            "cases_assistance a",
            "a.date",
            "COUNT(DISTINCT a.beneficiary_id)",
            {**on_row("a"), "service_types": ("a.service_type_id", ids.service_types)},
        ),
        ComputationKind.NEW_PEOPLE: (
            "cases_beneficiary b",
            "b.intake_date",
            "COUNT(*)",
            {
                "categories": ("b.category_at_intake", None),
                "locations": ("b.location_at_intake_id", ids.locations),
                "organisations": ("b.organisation_at_intake_id", ids.organisations),
            },
        ),
        ComputationKind.PEOPLE_WITH_OUTCOME: (
            "cases_outcome o",
            "o.date",
            "COUNT(DISTINCT o.beneficiary_id)",
            {**on_row("o"), "outcome_kinds": ("o.kind", None)},
        ),
        ComputationKind.ACTIVITY_PEOPLE: (
            "pillars_activityparticipation p JOIN pillars_activity ac ON ac.id = p.activity_id",
            "ac.starts_on",
            "COUNT(DISTINCT p.beneficiary_id)",
            {**on_row("p"), "activity_kinds": ("ac.kind", None)},
        ),
        ComputationKind.REFERRALS: (
            "cases_referral r",
            "r.sent_on",
            "COUNT(*)",
            {
                "statuses": ("r.status", None),
                "to_organisations": ("r.to_organisation_id", ids.organisations),
                "from_organisations": ("r.from_organisation_id", ids.organisations),
                "cross_border": ("r.cross_border", None),
            },
        ),
        ComputationKind.ACTIVITIES: ("pillars_activity ac", "ac.starts_on", "COUNT(*)", activity),
        ComputationKind.ACTIVITY_PARTICIPANTS: (
            "pillars_activity ac",
            "ac.starts_on",
            "SUM(ac.participants)",
            activity,
        ),
        ComputationKind.ACTIVITY_REACH: (
            "pillars_activity ac",
            "ac.starts_on",
            "SUM(ac.online_reach)",
            activity,
        ),
    }


_PILLAR_COLUMN = {
    ComputationKind.ACTIVITY_PEOPLE: "ac.pillar_id",
    ComputationKind.ACTIVITIES: "ac.pillar_id",
    ComputationKind.ACTIVITY_PARTICIPANTS: "ac.pillar_id",
    ComputationKind.ACTIVITY_REACH: "ac.pillar_id",
}


def _condition(indicator, parameters):
    conditions = []
    for name, value in indicator.parameters.items():
        if value in (None, "", []):
            continue
        column, resolver = parameters[name]
        values = value if isinstance(value, list) else [value]
        if resolver is not None:
            values = [resolver.get(item, -1) for item in values]
        conditions.append(_in(column, values))
    if indicator.computation in _PILLAR_COLUMN:
        conditions.append(f"{_PILLAR_COLUMN[indicator.computation]} = {indicator.pillar_id}")
    return " AND ".join(conditions) or "TRUE"


def statements(indicators, start, end):
    """[(SQL, [indicator ids])]: one statement per kind of rows."""
    shapes = _shapes(_Ids())
    by_source = {}
    for indicator in indicators:
        if indicator.computation not in shapes:
            continue
        source, date_column, aggregate, parameters = shapes[indicator.computation]
        group = by_source.setdefault((source, date_column), [])
        group.append(
            (indicator.pk, f"{aggregate} FILTER (WHERE {_condition(indicator, parameters)})")
        )
    result = []
    for (source, date_column), measures in by_source.items():
        select = ", ".join(measure for _, measure in measures)
        # Every part comes from this module and the plan's codes, quoted by _literal.
        sql = (
            f"SELECT {select} FROM {source} "  # noqa: S608
            f"WHERE {date_column} BETWEEN '{start.isoformat()}' AND '{end.isoformat()}'"
        )
        result.append((sql, [pk for pk, _ in measures]))
    return result


def figures(prepared) -> dict:
    """Run the statements of ``statements``: {indicator id: figure}."""
    found = {}
    with connection.cursor() as cursor:
        for sql, indicator_ids in prepared:
            cursor.execute(sql)
            for pk, value in zip(indicator_ids, cursor.fetchone(), strict=True):
                found[pk] = int(value or 0)
    return found
