"""Managed labels in the three interface languages.

Reference data (service types, sub-projects, locations, pillars, indicators, report layouts'
headings and rows, budget lines, safety nets) is entered in English, the language the
partnership's printed reports use, and carries its Romanian and Dutch text in `<field>_ro` and
`<field>_nl` beside it. A blank translation shows the English text. See docs/decisions.md,
"Labels in three languages", for why plain columns rather than django-modeltranslation.
"""

from django.conf import settings
from django.utils.translation import get_language

# The languages a managed label is translated into; English lives in the field itself.
TRANSLATED_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES if code != "en")


def current_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def translation_field_names(field: str) -> list[str]:
    """`name` -> ["name_ro", "name_nl"]: the columns that hold a label's translations."""
    return [f"{field}_{language}" for language in TRANSLATED_LANGUAGES]


class TranslatedLabels:
    """Mixin for models with managed labels: `label_in("name")` gives the active language's text.

    Subclasses name their translated fields in `translated_fields` and print the first one in
    `__str__`, so choice lists and templates that print the object are translated too.
    """

    translated_fields: tuple[str, ...] = ()

    def label_in(self, field: str, language: str | None = None) -> str:
        english = getattr(self, field)
        language = language or current_language()
        if language == "en":
            return english
        return getattr(self, f"{field}_{language}", "") or english


def translation_field(verbose_name, *, max_length: int, language: str):
    """The Romanian or Dutch column of a managed label (blank: the English text is shown)."""
    from django.db import models
    from django.utils.text import format_lazy

    language_name = dict(settings.LANGUAGES)[language]
    return models.CharField(
        format_lazy("{} ({})", verbose_name, language_name), max_length=max_length, blank=True
    )


def localised(field_path: str, language: str | None = None):
    """A query expression for a managed label in the active language, for `.values()` and
    `.annotate()` over related rows: `localised("location__name")`."""
    from django.db.models import F, Value
    from django.db.models.functions import Coalesce, NullIf

    language = language or current_language()
    if language not in TRANSLATED_LANGUAGES:
        return F(field_path)
    return Coalesce(NullIf(F(f"{field_path}_{language}"), Value("")), F(field_path))
