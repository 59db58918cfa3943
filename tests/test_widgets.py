"""The drop-down lists written in Python (nextsteps.widgets.QuickSelect) write what Django's own
select widget writes through its templates."""

import pytest
from django import forms

from nextsteps.widgets import QuickSelect

CHOICES = [
    ("", "Any"),
    ("a", "Ana & <Bianca>"),
    ("Places", [("oradea", "Oradea"), ("cluj", 'Cluj "Napoca"')]),
]


@pytest.mark.parametrize("value", ["", "a", "cluj", None])
def test_a_quick_select_writes_the_markup_of_djangos_select(value):
    attrs = {"class": "form-select", "id": "id_place", "aria-describedby": "place-help"}

    django_s = forms.Select(choices=CHOICES, attrs=attrs).render("place", value)
    quick = QuickSelect(choices=CHOICES, attrs=attrs).render("place", value)

    assert " ".join(quick.split()) == " ".join(django_s.split())


def test_a_quick_select_escapes_labels_and_values():
    written = QuickSelect(choices=[('"><script>', "<b>bold</b>")]).render("x", None)

    assert "<script>" not in written
    assert "<b>" not in written
