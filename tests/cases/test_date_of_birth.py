"""The date of birth is a date, whatever way it is typed, kept encrypted, and agrees with the
birth year; the form says what is wrong; the values stored as free text became dates."""

import importlib
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from cases.forms import BeneficiaryCreateForm
from cases.models import Beneficiary, CaseNote
from nextsteps import crypto
from tests.cases.factories import BeneficiaryFactory


def form_with(reference_data, **identity):
    data = {
        "alias": "Dora",
        "category": "exiting_prostitution",
        "sex": "female",
        "location": reference_data["location"].pk,
        "intake_date": "2023-05-01",
        "intake_source": "outreach",
        "dependants": "0",
        "processing_consent": "on",
        **identity,
    }
    return BeneficiaryCreateForm(data)


@pytest.mark.parametrize("typed", ["12/03/1999", "12.03.1999", "1999-03-12", " 12 03 1999 "])
def test_a_date_typed_any_common_way_is_kept_as_one_date(reference_data, typed):
    form = form_with(reference_data, date_of_birth=typed, birth_year="1999")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(1999, 3, 12)


def test_the_birth_year_is_filled_from_the_date(reference_data):
    form = form_with(reference_data, date_of_birth="05/05/2001")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth_year"] == 2001


@pytest.mark.parametrize(
    ("typed", "year", "message"),
    [
        ("2001-05-05", "1999", "The date of birth is in 2001, the birth year says 1999."),
        ("born in spring", "", "Write the date of birth as a date"),
        ("31/02/1999", "", "Write the date of birth as a date"),
        ("2024-01-01", "", "The date of birth is after the intake date."),
    ],
)
def test_the_form_says_what_is_wrong(reference_data, typed, year, message):
    form = form_with(reference_data, date_of_birth=typed, birth_year=year)

    assert not form.is_valid()
    assert any(message in error for error in form.errors["date_of_birth"])


def test_the_record_gives_a_date_and_the_database_holds_only_ciphertext(db):
    person = BeneficiaryFactory(date_of_birth=date(1999, 3, 12))

    assert Beneficiary.objects.get(pk=person.pk).date_of_birth == date(1999, 3, 12)
    with connection.cursor() as cursor:
        cursor.execute("SELECT date_of_birth FROM cases_beneficiary WHERE id = %s", [person.pk])
        (stored,) = cursor.fetchone()
    assert "1999-03-12" not in stored
    assert crypto.decrypt(stored) == "1999-03-12"


def test_no_date_of_birth_is_empty_not_an_encrypted_blank(db):
    person = BeneficiaryFactory(date_of_birth=None)

    with connection.cursor() as cursor:
        cursor.execute("SELECT date_of_birth FROM cases_beneficiary WHERE id = %s", [person.pk])
        assert cursor.fetchone() == (None,)
    assert Beneficiary.objects.get(pk=person.pk).date_of_birth is None


def test_the_edit_form_shows_the_date_as_it_is_read_back(reference_data):
    person = BeneficiaryFactory(date_of_birth=date(1999, 3, 12), birth_year=1999)

    page = str(BeneficiaryCreateForm(instance=Beneficiary.objects.get(pk=person.pk)))

    assert 'value="1999-03-12"' in page


MIGRATION = importlib.import_module("cases.migrations.0026_date_of_birth_is_a_date")


@pytest.fixture
def models_before_dates(db):
    """The models as the migration's data step sees them: the date of birth still free text."""
    loader = MigrationLoader(connection)
    state = loader.project_state(("cases", "0025_transfers_of_cases"))
    loader.get_migration("cases", "0026_date_of_birth_is_a_date").operations[0].state_forwards(
        "cases", state
    )
    return state.apps.get_model("cases", "Beneficiary"), state.apps.get_model("cases", "CaseNote")


def test_the_migration_turns_typed_dates_into_dates_and_keeps_the_rest_in_the_journal(
    models_before_dates,
):
    OldBeneficiary, OldCaseNote = models_before_dates
    typed = {
        "12/03/1999": date(1999, 3, 12),
        "2001-05-05": date(2001, 5, 5),
        "1990-01-01 (demo)": None,
        "spring 1985": None,
        "": None,
    }
    people = {}
    for text in typed:
        person = BeneficiaryFactory()
        OldBeneficiary._base_manager.filter(pk=person.pk).update(date_of_birth=text)
        people[text] = person

    counts = MIGRATION.dates_of_birth_as_dates(OldBeneficiary, OldCaseNote)

    assert counts == {"dates": 2, "moved to the journal": 2, "unreadable": 0}
    for text, expected in typed.items():
        assert Beneficiary.objects.get(pk=people[text].pk).date_of_birth == expected
    journal = {note.beneficiary_id: note.text for note in CaseNote.objects.all()}
    assert set(journal) == {people["1990-01-01 (demo)"].pk, people["spring 1985"].pk}
    assert "'spring 1985'" in journal[people["spring 1985"].pk]
    assert "is no date" in journal[people["spring 1985"].pk]
