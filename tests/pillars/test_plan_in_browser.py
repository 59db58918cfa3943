"""The plan in the browser: the programme coordinator manages indicators (their computation's
parameters as fields with choices), layouts and rows, periods, budget lines and the reference
data, with their translations; nobody else does; a stale or double save changes nothing twice."""

import io

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from accounts.enums import Role
from accounts.models import AuditEvent
from pillars.enums import ActivityKind
from pillars.models import Indicator, Location, Period, Programme, ReportLayout, ReportRow
from pillars.plan_views import SCREENS
from tests.factories import make_member
from tests.pillars.factories import make_plan
from tests.processes import ROOT

PLAN_FILE = ROOT / "plans" / "next-steps-2021-2023.yaml"


@pytest.fixture
def plan(db):
    call_command("load_plan", str(PLAN_FILE), stdout=io.StringIO())


@pytest.fixture
def coordinator(plan, client_of):
    return client_of(make_member(Role.PROGRAMME_COORDINATOR))


def first_record(screen):
    return screen.records().first()


@pytest.mark.parametrize("screen", SCREENS, ids=[screen.slug for screen in SCREENS])
def test_every_part_of_the_plan_is_listed_and_editable(coordinator, screen):
    listed = coordinator.get(reverse(screen.url_name()))
    record = first_record(screen)
    edit = coordinator.get(reverse(screen.url_name("_edit"), args=[record.pk]))

    assert listed.status_code == 200
    assert escape(str(record)) in listed.content.decode()
    assert edit.status_code == 200
    if screen.may_create:
        assert coordinator.get(reverse(screen.url_name("_new"))).status_code == 200


@pytest.mark.parametrize(
    "role", [role for role in Role if role != Role.PROGRAMME_COORDINATOR], ids=str
)
def test_no_one_else_manages_the_plan(plan, client_of, role):
    client = client_of(make_member(role))
    indicator = Indicator.objects.first()
    edit_url = reverse("pillars:plan_indicators_edit", args=[indicator.pk])

    assert client.get(reverse("pillars:plan_indicators")).status_code == 403
    assert client.get(reverse("pillars:plan_indicators_new")).status_code == 403
    assert client.get(edit_url).status_code == 404
    assert client.post(edit_url, {"code": "changed"}).status_code == 404
    assert Indicator.objects.get(pk=indicator.pk).code == indicator.code


def indicator_post(**changes):
    programme = Programme.objects.get()
    data = {
        "programme": programme.pk,
        "pillar": programme.pillars.get(number=3).pk,
        "code": "p3-conference-participants-oradea",
        "label": "Participants at conferences in Oradea",
        "label_ro": "Participanți la conferințe în Oradea",
        "label_nl": "Deelnemers aan conferenties in Oradea",
        "unit": "participants",
        "direction": "increase",
        "computation": "activity_participants",
        "order": 30,
        "parameter_activity_kinds": ["conference", "movie_screening"],
        "parameter_locations": ["oradea"],
        "parameter_sub_project": "main",
        # A parameter of another computation: ignored.
        "parameter_categories": ["refugee"],
    }
    return data | changes


def test_the_computation_parameters_are_fields_with_choices(coordinator):
    page = lxml.html.fromstring(coordinator.get(reverse("pillars:plan_indicators_new")).content)

    kinds = page.xpath('//input[@name="parameter_activity_kinds"]')
    sub_projects = page.xpath('//select[@name="parameter_sub_project"]/option')
    assert {box.get("type") for box in kinds} == {"checkbox"}
    assert {box.get("value") for box in kinds} == set(ActivityKind.values)
    assert [(o.get("value"), o.text) for o in sub_projects] == [
        ("", "-"),
        ("main", "Main project"),
        ("refugee", "Refugee project"),
    ]
    assert page.xpath('//*[@name="parameters"]') == []


def test_the_coordinator_adds_an_indicator_with_its_parameters(coordinator):
    response = coordinator.post(reverse("pillars:plan_indicators_new"), indicator_post())

    assert response.status_code == 302
    indicator = Indicator.objects.get(code="p3-conference-participants-oradea")
    assert indicator.parameters == {
        "activity_kinds": ["conference", "movie_screening"],
        "locations": ["oradea"],
        "sub_project": "main",
    }
    assert indicator.label_in("label", "ro") == "Participanți la conferințe în Oradea"
    assert AuditEvent.objects.filter(
        object_type="pillars.indicator", object_reference=indicator.code, action="create"
    ).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"parameter_locations": ["atlantis"]}, "Select a valid choice"),
        ({"computation": "counted_by_hand"}, "Select a valid choice"),
        ({"pillar": 999999}, "Select a valid choice"),
        ({"code": "p1-step-out"}, "already exists"),
    ],
)
def test_a_wrong_indicator_is_refused_and_nothing_saved(coordinator, changes, message):
    before = Indicator.objects.count()

    response = coordinator.post(reverse("pillars:plan_indicators_new"), indicator_post(**changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Indicator.objects.count() == before


def test_a_double_click_adds_one_indicator(coordinator):
    data = indicator_post(submission_id="6f1e1c3e-8a3c-4d43-9a51-4a8f0e0b7a10")

    first = coordinator.post(reverse("pillars:plan_indicators_new"), data)
    second = coordinator.post(reverse("pillars:plan_indicators_new"), data)

    assert first.status_code == 302
    # The second is refused (the code is taken) or sent where the first went: never a second.
    assert second.status_code in (302, 400)
    assert Indicator.objects.filter(code="p3-conference-participants-oradea").count() == 1


def location_post(location, **changes):
    data = {
        "code": location.code,
        "name": location.name,
        "name_ro": location.name_ro,
        "name_nl": location.name_nl,
        "country": location.country,
        "version": location.version,
    }
    return data | changes


def test_a_translation_is_edited_in_the_browser(coordinator):
    bucharest = Location.objects.get(code="bucharest")

    response = coordinator.post(
        reverse("pillars:plan_locations_edit", args=[bucharest.pk]),
        location_post(bucharest, name_nl="Boekarest (centrum)"),
    )

    assert response.status_code == 302
    bucharest.refresh_from_db()
    assert (bucharest.name, bucharest.name_nl, bucharest.version) == (
        "Bucharest",
        "Boekarest (centrum)",
        2,
    )


def test_a_stale_save_is_refused_and_keeps_the_other_change(coordinator):
    bucharest = Location.objects.get(code="bucharest")
    url = reverse("pillars:plan_locations_edit", args=[bucharest.pk])
    read_at_version_one = location_post(bucharest)
    coordinator.post(url, location_post(bucharest, name_ro="Bucureşti (sector 1)"))

    stale = coordinator.post(url, read_at_version_one | {"name_nl": "Boekarest-Noord"})

    assert stale.status_code == 400
    assert "Someone else saved this record" in stale.content.decode()
    bucharest.refresh_from_db()
    assert (bucharest.name_ro, bucharest.name_nl) == ("Bucureşti (sector 1)", "Boekarest")


def test_a_new_programme_gets_its_periods_once_it_names_its_layouts(coordinator):
    created = coordinator.post(
        reverse("pillars:plan_programmes_new"),
        {
            "name": "Next Steps 2024-2026",
            "start_date": "2024-01-01",
            "end_date": "2026-12-31",
            "currency": "EUR",
        },
    )
    programme = Programme.objects.get(name="Next Steps 2024-2026")
    coordinator.post(
        reverse("pillars:plan_layouts_new"),
        {"programme": programme.pk, "name": "Annual report 2024-2026", "language": "en"},
    )
    layout = ReportLayout.objects.get(programme=programme)
    assert not Period.objects.filter(programme=programme).exists()

    named = coordinator.post(
        reverse("pillars:plan_programmes_edit", args=[programme.pk]),
        {
            "name": programme.name,
            "start_date": "2024-01-01",
            "end_date": "2026-12-31",
            "currency": "EUR",
            "year_layout": layout.pk,
            "programme_layout": layout.pk,
            "version": 1,
        },
    )

    assert (created.status_code, named.status_code) == (302, 302)
    assert sorted(Period.objects.filter(programme=programme).values_list("label", flat=True)) == [
        "2024",
        "2024-2026",
        "2025",
        "2026",
    ]


def test_a_row_may_print_only_an_indicator_of_its_layouts_programme(coordinator):
    row = ReportRow.objects.select_related("section").first()
    other = make_plan()
    foreign = Indicator.objects.create(
        programme=other.programme,
        pillar=other.pillars[1],
        code="x",
        label="X",
        unit="people",
        computation="manual",
    )

    response = coordinator.post(
        reverse("pillars:plan_rows_edit", args=[row.pk]),
        {
            "section": row.section_id,
            "position": row.position,
            "indicator": foreign.pk,
            "label": row.label,
            "version": row.version,
        },
    )

    assert response.status_code == 400
    assert ReportRow.objects.get(pk=row.pk).indicator_id == row.indicator_id


@pytest.mark.parametrize("count", [1, 40])
def test_the_lists_cost_the_same_queries_whatever_their_length(
    db, client_of, django_assert_num_queries, count
):
    plan = make_plan()
    for number in range(count):
        indicator = Indicator.objects.create(
            programme=plan.programme,
            pillar=plan.pillars[1],
            code=f"i{number}",
            label="I",
            unit="people",
            computation="manual",
            order=number,
        )
        ReportRow.objects.create(
            section=plan.sections[1], position=number + 1, indicator=indicator, label="I"
        )
    client = client_of(make_member(Role.PROGRAMME_COORDINATOR))
    client.get(reverse("notifications:list"))  # notes the session's activity for the minute

    for name in ("pillars:plan_indicators", "pillars:plan_rows", "pillars:plan_budget_lines"):
        with django_assert_num_queries(QUERIES[name]):
            assert client.get(reverse(name)).status_code == 200


# Session, user with membership and the navigation's bell, the page's own records (one query);
# the session's activity is noted at most once a minute (nextsteps.middleware), here already.
QUERIES = {"pillars:plan_indicators": 3, "pillars:plan_rows": 3, "pillars:plan_budget_lines": 3}
