"""Reference data of the programme plan is kept in the Django admin by the site admin."""

import pytest
from django.urls import NoReverseMatch, reverse

from accounts.enums import Role
from pillars.enums import ComputationKind
from tests.factories import make_member
from tests.pillars.factories import IndicatorFactory, make_plan

REFERENCE_DATA = [
    "programme",
    "pillar",
    "subproject",
    "location",
    "indicator",
    "reportlayout",
    "reportsection",
    "period",
    "budgetgroup",
]


@pytest.fixture
def site_admin(db):
    return make_member(Role.SITE_ADMIN, is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", REFERENCE_DATA)
def test_the_site_admin_opens_each_list_of_reference_data(site_admin, client_of, model):
    make_plan()

    response = client_of(site_admin).get(reverse(f"admin:pillars_{model}_changelist"))

    assert response.status_code == 200


def test_service_types_are_reference_data_too(site_admin, client_of):
    assert client_of(site_admin).get(reverse("admin:cases_servicetype_add")).status_code == 200


def test_an_indicator_with_a_parameter_its_computation_does_not_know_is_refused(
    site_admin, client_of
):
    indicator = IndicatorFactory(computation=ComputationKind.ACTIVITIES)
    url = reverse("admin:pillars_indicator_change", args=[indicator.pk])
    data = {
        "programme": indicator.programme_id,
        "pillar": indicator.pillar_id,
        "code": indicator.code,
        "label": indicator.label,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "computation": indicator.computation,
        "order": 0,
    }

    misspelt = client_of(site_admin).post(url, {**data, "parameters": '{"activity_kind": []}'})
    known = client_of(site_admin).post(url, {**data, "parameters": '{"activity_kinds": []}'})

    assert "Unknown for this computation: activity_kind" in misspelt.content.decode()
    assert known.status_code == 302


def test_organisation_records_are_not_in_the_admin(site_admin, client_of):
    for model in ("activity", "volunteer", "safetynet", "expense"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:pillars_{model}_changelist")
