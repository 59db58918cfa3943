"""The one form-page idiom (nextsteps.views): an invalid form answers 400 everywhere, a form
shown for the first time or a valid one 200."""

from django import forms

from nextsteps.views import form_status


class NameForm(forms.Form):
    name = forms.CharField()
    age = forms.IntegerField(required=False)


NameFormSet = forms.formset_factory(NameForm, extra=1)


def management(total=1):
    return {"form-TOTAL_FORMS": str(total), "form-INITIAL_FORMS": "0"}


def test_a_form_shown_for_the_first_time_answers_200():
    assert form_status(NameForm()) == 200
    assert form_status(None) == 200


def test_a_valid_form_answers_200_and_an_invalid_one_400():
    valid = NameForm({"name": "x"})
    invalid = NameForm({"name": ""})
    valid.is_valid()

    assert form_status(valid) == 200
    assert form_status(invalid) == 400
    assert form_status(valid, invalid) == 400


def test_a_rule_refused_after_validation_makes_the_form_invalid():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    form.add_error(None, "Refused by the domain function.")

    assert form_status(form) == 400


def test_a_formset_answers_400_when_one_of_its_forms_is_invalid():
    valid = NameFormSet({**management(), "form-0-name": "x"})
    invalid = NameFormSet({**management(), "form-0-name": "x", "form-0-age": "old"})
    valid.is_valid()

    assert form_status(valid) == 200
    assert form_status(invalid) == 400
    assert form_status(NameFormSet()) == 200
