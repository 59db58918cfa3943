"""Nationality and countries of exploitation from the full ISO 3166 list (django-countries), with
"not known" kept apart from "another country", in the reader's language."""

import importlib

import lxml.html
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from cases.enums import COUNTRY_NOT_KNOWN, COUNTRY_OTHER, country_choices, country_name
from cases.forms import BeneficiaryForm
from cases.models import Beneficiary
from tests.factories import BeneficiaryFactory

CASELOADS_OF_REFUGEES = ["SY", "AF", "ER", "NG", "AL", "VN"]


def test_the_lists_hold_every_country_and_unknown_apart_from_other():
    codes = dict(country_choices())

    assert len(codes) > 240
    assert set(CASELOADS_OF_REFUGEES) <= set(codes)
    assert codes[COUNTRY_NOT_KNOWN] == "Not known"
    assert codes[COUNTRY_OTHER] == "Another country (not on the list)"


def test_country_names_follow_the_interface_language():
    with translation.override("nl"):
        dutch = country_name("DE")
    with translation.override("ro"):
        romanian = country_name("DE")

    assert (dutch, romanian) == ("Duitsland", "Germania")


def test_the_person_form_offers_every_country_with_a_filter_box(db, reference_data):
    form = BeneficiaryForm()

    nationality = form.fields["nationality"]
    exploitation = form.fields["countries_of_exploitation"]
    assert {"ER", "SY", COUNTRY_NOT_KNOWN, COUNTRY_OTHER} <= {
        code for code, _ in nationality.choices
    }
    assert {"VN", "AL"} <= {code for code, _ in exploitation.choices}
    assert nationality.widget.attrs["data-searchable"] == "select"
    assert exploitation.widget.input_type == "checkbox"
    assert "Ctrl" not in str(exploitation.help_text)


def test_a_caseworker_records_an_eritrean_exploited_in_two_countries(person, alice, client_of):
    client = client_of(alice)
    page = lxml.html.fromstring(
        client.get(reverse("cases:beneficiary_update", args=[person.code])).content
    )
    form = page.xpath("//main//form[@method='post']")[0]
    data = dict(form.form_values())
    data.update(nationality="ER")
    data["countries_of_exploitation"] = ["LY", "IT"]

    response = client.post(reverse("cases:beneficiary_update", args=[person.code]), data)

    person.refresh_from_db()
    assert response.status_code == 302
    assert (person.nationality.code, person.countries_of_exploitation) == ("ER", ["LY", "IT"])


def test_the_migration_moves_codes_off_the_list_to_another_country(db, reference_data):
    person = BeneficiaryFactory(location=reference_data["location"])
    Beneficiary.objects.filter(pk=person.pk).update(
        nationality="UK", countries_of_exploitation=["IT", "QQ"]
    )
    migration = importlib.import_module("cases.migrations.0016_countries_from_the_full_iso_list")

    migration.codes_into_the_full_list(apps, None)

    person.refresh_from_db()
    assert person.nationality.code == COUNTRY_OTHER
    assert person.countries_of_exploitation == ["IT", COUNTRY_OTHER]
