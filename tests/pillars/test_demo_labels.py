"""The Next Steps reference data ships in Romanian and Dutch, and the screens show it so."""

import lxml.html
import pytest
from django.urls import reverse

from accounts.models import User
from cases.models import Assistance
from demo.label_translations import MANAGED_LABELS


@pytest.mark.parametrize(("model", "field"), MANAGED_LABELS)
def test_every_managed_label_of_the_demo_has_its_romanian_and_dutch(demo_data, db, model, field):
    untranslated = [
        getattr(record, field)
        for record in model.objects.exclude(**{field: ""})
        if not (getattr(record, f"{field}_ro") and getattr(record, f"{field}_nl"))
    ]

    assert model.objects.exclude(**{field: ""}).exists()
    assert untranslated == []


def _printed_labels(response):
    document = lxml.html.fromstring(response.content)
    return [element.text_content().strip() for element in document.find_class("printed-label")]


def _page_text(response):
    return lxml.html.fromstring(response.content).text_content()


def test_a_romanian_caseworker_reads_the_services_in_romanian(demo_data, db, client):
    food = Assistance.objects.filter(
        service_type__code="food", organisation__slug="betania"
    ).first()
    client.force_login(User.objects.get(email="caseworker@betania.example"))
    client.cookies["django_language"] = "ro"

    text = _page_text(
        client.get(reverse("cases:beneficiary_detail", kwargs={"code": food.beneficiary.code}))
    )

    assert "Hrană" in text
    assert "Food" not in text


def test_a_dutch_coordinator_reads_the_indicator_table_in_dutch(demo_data, db, client):
    client.force_login(User.objects.get(email="programme@nextsteps.example"))
    client.cookies["django_language"] = "nl"

    response = client.get(reverse("reports:indicator_table"), {"period": "2022"})
    printed = client.get(reverse("reports:indicator_table_print"), {"period": "2022"})

    assert "Actieve vangnetten" in _printed_labels(response)
    assert "Active safety nets" in _printed_labels(printed)
