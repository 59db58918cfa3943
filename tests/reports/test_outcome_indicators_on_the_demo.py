"""The outcomes the reports' narrative boasts about are indicators of the plan, computed from the
demo's records and shown on the pillar dashboard: 37 women reintegrated over the programme, 7
cases completed in the Netherlands in 2023, 5 + 6 = 11 women earning from the sewing atelier."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Organisation
from pillars.computations import ReportFilters
from pillars.models import Indicator, Period
from pillars.results import figures_for
from tests.factories import make_member

OUTCOMES = [
    "p1-outcome-reintegrated",
    "p1-outcome-case-completed",
    "p1-outcome-earning",
    "p1-outcome-employed",
]


def outcomes(label, organisation=None):
    period = Period.objects.get(label=label)
    indicators = list(Indicator.objects.filter(code__in=OUTCOMES))
    filters = ReportFilters(
        organisation=Organisation.objects.get(slug=organisation) if organisation else None
    )
    figures = figures_for(indicators, period, filters)
    return {indicator.code: figures[indicator.pk].value for indicator in indicators}


def test_the_demo_gives_the_reports_outcomes(demo_data, db):
    # Hand-counted from demo/caseload.py: 17 women reintegrated in 2022 and 20 more in 2023; the
    # Dutch partner completed 7 cases in 2023; Betania's 5 women exiting prostitution who came
    # in 2022 and 6 refugee mothers earn from the atelier in 2023; 4 women found a job in 2022
    # and Elena in 2023.
    assert outcomes("2021-2023") == {
        "p1-outcome-reintegrated": 37,
        "p1-outcome-case-completed": 7,
        "p1-outcome-earning": 11,
        "p1-outcome-employed": 5,
    }
    assert outcomes("2022") == {
        "p1-outcome-reintegrated": 17,
        "p1-outcome-case-completed": 0,
        "p1-outcome-earning": 0,
        "p1-outcome-employed": 4,
    }
    assert outcomes("2023", organisation="nl-partner")["p1-outcome-case-completed"] == 7
    assert outcomes("2023", organisation="betania")["p1-outcome-case-completed"] == 0
    assert outcomes("2023", organisation="betania")["p1-outcome-earning"] == 11


@pytest.mark.parametrize(("label", "expected"), [("2021-2023", "37"), ("2022", "17")])
def test_the_pillar_dashboard_shows_the_outcomes(demo_data, db, client_of, label, expected):
    client = client_of(make_member(Role.PROGRAMME_COORDINATOR))

    response = client.get(reverse("reports:dashboard"), {"period": label})

    shown = {indicator.code: figure.value for indicator, figure in response.context["outcomes"]}
    assert shown["p1-outcome-reintegrated"] == int(expected)
    assert 'data-testid="outcome-p1-outcome-reintegrated"' in response.content.decode()
