"""The date of birth is a date, whatever way it is typed, and agrees with the birth year; the
form says what is wrong."""

import pytest

from cases.forms import BeneficiaryCreateForm


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
    assert form.cleaned_data["date_of_birth"] == "1999-03-12"


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
