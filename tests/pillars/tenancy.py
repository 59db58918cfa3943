"""The pillars app's URL patterns for the tenant-isolation walk (tests/test_tenancy.py)."""

from accounts.enums import Role
from pillars.models import Indicator, ReportRow
from pillars.plan_views import SCREENS
from tests.factories import ServiceTypeFactory
from tests.pillars.factories import (
    ActivityFactory,
    ExpenseFactory,
    SafetyNetFactory,
    VolunteerFactory,
    make_plan,
)
from tests.tenancy_support import ObjectUrl, missing_uuid

URLS_WITHOUT_OBJECT = {
    "pillars:activity_list",
    "pillars:activity_create",
    "pillars:volunteer_list",
    "pillars:volunteer_create",
    "pillars:safety_net_list",
    "pillars:safety_net_create",
    "pillars:indicator_plan",
    "pillars:period_list",
    "pillars:budget",
    "pillars:expense_list",
    "pillars:expense_create",
    "pillars:plan_home",
    *(screen.url_name() for screen in SCREENS),
    *(screen.url_name("_new") for screen in SCREENS if screen.may_create),
}

# The programme coordinator sees every organisation's activities (without identities) and
# manages the partnership's periods; she changes no organisation's records.
PROGRAMME_COORDINATOR = frozenset({Role.PROGRAMME_COORDINATOR})


def _theirs(attribute):
    return lambda world: {"public_id": getattr(world, attribute).public_id}


OBJECT_URLS = {
    "pillars:activity_detail": ObjectUrl(
        theirs=_theirs("activity"),
        missing=missing_uuid("public_id"),
        visible_to=PROGRAMME_COORDINATOR,
    ),
    "pillars:activity_edit": ObjectUrl(
        theirs=_theirs("activity"), missing=missing_uuid("public_id")
    ),
    "pillars:volunteer_edit": ObjectUrl(
        theirs=_theirs("volunteer"), missing=missing_uuid("public_id")
    ),
    "pillars:safety_net_edit": ObjectUrl(
        theirs=_theirs("safety_net"), missing=missing_uuid("public_id")
    ),
    "pillars:expense_edit": ObjectUrl(theirs=_theirs("expense"), missing=missing_uuid("public_id")),
    # Periods belong to the partnership: only the programme coordinator reaches them.
    **{
        f"pillars:period_{action}": ObjectUrl(
            theirs=_theirs("period"),
            missing=missing_uuid("public_id"),
            visible_to=PROGRAMME_COORDINATOR,
        )
        for action in ("lock", "unlock", "restate")
    },
    # The plan's records belong to the partnership: only the programme coordinator edits them.
    **{
        screen.url_name("_edit"): ObjectUrl(
            theirs=lambda world, slug=screen.slug: {"pk": world.plan_records[slug].pk},
            missing=lambda world: {"pk": 2**31 - 1},
            visible_to=PROGRAMME_COORDINATOR,
        )
        for screen in SCREENS
    },
    # The history of a period's published figures (aggregates) is for coordinators and admins.
    "pillars:period_history": ObjectUrl(
        theirs=_theirs("period"),
        missing=missing_uuid("public_id"),
        visible_to=frozenset(
            {Role.PROGRAMME_COORDINATOR, Role.ORGANISATION_COORDINATOR, Role.ORGANISATION_ADMIN}
        ),
    ),
}


def add_records(world):
    """Create this app's records of the other organisation on world (e.g. world.beneficiary)."""
    plan = make_plan()
    world.plan = plan
    world.period = plan.periods["2022"]
    world.activity = ActivityFactory(pillar=plan.pillars[1], organisation=world.theirs)
    world.volunteer = VolunteerFactory(organisation=world.theirs)
    world.safety_net = SafetyNetFactory(organisation=world.theirs)
    world.expense = ExpenseFactory(line=plan.lines[0], organisation=world.theirs)
    indicator = Indicator.objects.create(
        programme=plan.programme,
        pillar=plan.pillars[1],
        code="p1",
        label="People",
        unit="people",
        computation="assisted_people",
    )
    world.plan_records = {
        "programmes": plan.programme,
        "pillars": plan.pillars[1],
        "indicators": indicator,
        "layouts": plan.layout,
        "sections": plan.sections[1],
        "rows": ReportRow.objects.create(
            section=plan.sections[1], position=1, indicator=indicator, label="People"
        ),
        "periods": world.period,
        "budget-groups": plan.lines[0].group,
        "budget-lines": plan.lines[0],
        "service-types": ServiceTypeFactory(code="plan-walk"),
        "locations": world.activity.location,
        "sub-projects": world.activity.sub_project,
    }
