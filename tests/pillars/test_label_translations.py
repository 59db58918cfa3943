"""Managed labels read in the reader's language; the printed table keeps its layout's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.enums import Role
from demo.label_translations import translate_labels
from nextsteps.labels import localised
from pillars.models import Location, ReportLayout, ReportRow, ReportSection
from tests.factories import LocationFactory, ServiceTypeFactory, make_member
from tests.reports.builders import build_plan
from tests.reports.reading import docx_rows, page_indicator_rows, page_pillar_headings

TABLE = reverse("reports:indicator_table")
PRINT = reverse("reports:indicator_table_print")
DOCX = reverse("reports:indicator_table_export", args=["docx"])


def test_a_label_reads_in_the_active_language_and_falls_back_to_english(db):
    food = ServiceTypeFactory(code="food", name="Food", name_ro="Hrană", name_nl="")

    with translation.override("ro"):
        assert str(food) == "Hrană"
    with translation.override("nl"):
        assert str(food) == "Food"
    assert food.label_in("name", "en") == "Food"


def test_a_query_over_related_rows_reads_the_label_in_the_active_language(db):
    LocationFactory(code="netherlands-other", name="Other Dutch region", name_nl="Andere regio")

    with translation.override("nl"):
        names = set(Location.objects.values_list(localised("name"), flat=True))
    with translation.override("ro"):
        untranslated = set(Location.objects.values_list(localised("name"), flat=True))

    assert "Andere regio" in names
    assert "Other Dutch region" in untranslated


def test_filling_translations_keeps_what_the_coordinator_wrote(db):
    shelter = ServiceTypeFactory(code="shelter", name="Shelter", name_ro="", name_nl="Nachtopvang")

    changed = translate_labels({"Shelter": ("Adăpost", "Opvang")})

    shelter.refresh_from_db()
    assert changed == 1
    assert (shelter.name_ro, shelter.name_nl) == ("Adăpost", "Nachtopvang")
    assert translate_labels({"Shelter": ("Adăpost", "Opvang")}) == 0


@pytest.fixture
def dutch_plan(db):
    plan = build_plan()
    ReportRow.objects.filter(pk=plan.rows["people"].pk).update(label_nl="Geholpen mensen")
    ReportSection.objects.filter(pk=plan.rows["people"].section_id).update(
        heading_nl="Kop van pijler 1"
    )
    return plan


def _client_in(client, language):
    client.cookies["django_language"] = language
    return client


def test_the_table_on_screen_reads_in_the_readers_language(dutch_plan, client_of):
    client = _client_in(client_of(make_member(Role.PROGRAMME_COORDINATOR)), "nl")

    response = client.get(TABLE, {"period": dutch_plan.year.label})

    labels = [label for _pillar, label, *_rest in page_indicator_rows(response.content)]
    assert "Geholpen mensen" in labels
    assert "People assisted" not in labels
    assert any("Kop van pijler 1" in heading for heading in page_pillar_headings(response.content))


def test_the_printed_table_keeps_the_language_of_its_layout(dutch_plan, client_of):
    client = _client_in(client_of(make_member(Role.PROGRAMME_COORDINATOR)), "nl")

    printed = client.get(PRINT, {"period": dutch_plan.year.label})
    exported = client.get(DOCX, {"period": dutch_plan.year.label})

    printed_labels = [label for _p, label, *_rest in page_indicator_rows(printed.content)]
    assert "People assisted" in printed_labels
    assert "Geholpen mensen" not in printed_labels
    exported_text = " ".join(" ".join(row) for row in docx_rows(exported.content))
    assert "People assisted" in exported_text
    assert "Geholpen mensen" not in exported_text


def test_a_layout_written_in_dutch_prints_in_dutch_for_an_english_reader(dutch_plan, client_of):
    ReportLayout.objects.filter(pk=dutch_plan.year.layout_id).update(language="nl")
    client = _client_in(client_of(make_member(Role.PROGRAMME_COORDINATOR)), "en")

    printed = client.get(PRINT, {"period": dutch_plan.year.label})

    printed_labels = [label for _p, label, *_rest in page_indicator_rows(printed.content)]
    assert "Geholpen mensen" in printed_labels
