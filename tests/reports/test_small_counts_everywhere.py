"""Issue 13 point 4: when a partnership-wide viewer narrows the table (an organisation, a
location, a sub-project, a custom range), a count of people below the threshold reads "<5" in
the table, its print view and every export; the partnership's own figure is shown as it is."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from cases.models import Assistance
from tests.factories import LocationFactory, SubProjectFactory, make_member
from tests.reports.builders import add_records, build_plan
from tests.reports.reading import csv_rows, docx_rows, xlsx_sheet


@pytest.fixture
def plan(db):
    plan = build_plan()
    add_records(plan, 2, plan.ours)
    add_records(plan, 7, plan.theirs)
    # One person of theirs helped in another place, under another sub-project.
    elsewhere = Assistance.objects.filter(organisation=plan.theirs).order_by("pk").first()
    Assistance.objects.filter(pk=elsewhere.pk).update(
        sub_project=SubProjectFactory(code="refugee"), location=LocationFactory(code="cluj")
    )
    return plan


@pytest.fixture
def programme_coordinator(client_of, plan):
    return client_of(make_member(Role.PROGRAMME_COORDINATOR, None))


NARROWINGS = {
    "organisation": {"organisation": "ours"},
    "location": {"location": "cluj"},
    "sub_project": {"sub_project": "refugee"},
    "custom range": {"start": "2022-01-06", "end": "2022-12-31"},
}


def people_cell(rows):
    return next(row for row in rows if row["indicator"] == "People assisted")


@pytest.mark.parametrize("narrowing", NARROWINGS)
def test_a_small_count_of_people_is_suppressed_on_the_page_and_in_print(
    programme_coordinator, narrowing
):
    query = {"period": "2022", **NARROWINGS[narrowing]}

    for url_name in ("reports:indicator_table", "reports:indicator_table_print"):
        response = programme_coordinator.get(reverse(url_name), query)
        row = next(row for row in response.context["table"].rows if row.label == "People assisted")
        assert response.status_code == 200
        assert str(row.result) == "<5"
        assert row.percent is None  # a share of the target would give the count away


@pytest.mark.parametrize("narrowing", NARROWINGS)
def test_a_small_count_of_people_is_suppressed_in_every_export(programme_coordinator, narrowing):
    query = {"period": "2022", **NARROWINGS[narrowing]}

    def export(file_format):
        url = reverse("reports:indicator_table_export", kwargs={"file_format": file_format})
        return programme_coordinator.get(url, query).content

    csv_row = people_cell(csv_rows(export("csv").decode("utf-8")))
    xlsx_values = [c.value for line in xlsx_sheet(export("xlsx")).iter_rows() for c in line]
    docx_text = [" ".join(row) for row in docx_rows(export("docx"))]

    assert csv_row["result"] == "<5"
    assert csv_row["percent_of_target"] == ""
    assert "<5" in xlsx_values
    assert any("People assisted" in text and "<5" in text for text in docx_text)


def test_the_partnerships_own_figure_is_not_suppressed(programme_coordinator):
    response = programme_coordinator.get(reverse("reports:indicator_table"), {"period": "2022"})

    row = next(row for row in response.context["table"].rows if row.label == "People assisted")
    assert row.result == 9


def test_an_organisation_sees_its_own_small_count(client_of, plan):
    coordinator = make_member(Role.ORGANISATION_COORDINATOR, plan.ours)

    response = client_of(coordinator).get(reverse("reports:indicator_table"), {"period": "2022"})

    row = next(row for row in response.context["table"].rows if row.label == "People assisted")
    assert row.result == 2


def test_counts_of_things_other_than_people_are_not_suppressed(programme_coordinator):
    response = programme_coordinator.get(
        reverse("reports:indicator_table"), {"period": "2022", "organisation": "ours"}
    )

    row = next(row for row in response.context["table"].rows if row.label == "Referral cases")
    assert row.result == 2


def test_the_pillar_dashboard_suppresses_a_months_small_count_of_people(programme_coordinator):
    response = programme_coordinator.get(
        reverse("reports:dashboard"), {"period": "2022", "organisation": "ours"}
    )

    people = next(
        item for item in response.context["indicators"] if item["row"].label == "People assisted"
    )
    january = people["trend"].columns[0]
    assert response.status_code == 200
    assert (january.value, january.suppressed) == ("<5", True)
