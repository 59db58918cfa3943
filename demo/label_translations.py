"""Romanian and Dutch for the demo's own managed labels: Betania's safety nets. (The plan's
labels, pillars to budget lines, are translated in the plan file, plans/next-steps-2021-2023.yaml.)

Keyed by the English text as the demo enters it; `translate_labels` fills the
`<field>_ro` and `<field>_nl` columns that are still blank, so a translation the programme
coordinator changed in the browser is kept. Not yet reviewed by native speakers at the partners.
"""

from cases.models import ServiceType
from nextsteps.labels import TRANSLATED_LANGUAGES
from pillars.models import (
    BudgetGroup,
    BudgetLine,
    Indicator,
    Location,
    Pillar,
    ReportRow,
    ReportSection,
    SafetyNet,
    SubProject,
)

# English: (Romanian, Dutch)
LABELS = {
    # Betania's safety nets
    "Women's safety net": ("Rețeaua de siguranță a femeilor", "Vangnet voor vrouwen"),
    "Teenagers' safety net": ("Rețeaua de siguranță a adolescenților", "Vangnet voor tieners"),
    "Mothers' safety net": ("Rețeaua de siguranță a mamelor", "Vangnet voor moeders"),
    "Refugee women's safety net": (
        "Rețeaua de siguranță a femeilor refugiate",
        "Vangnet voor vluchtelingenvrouwen",
    ),
    "Refugee teenagers' safety net": (
        "Rețeaua de siguranță a adolescenților refugiați",
        "Vangnet voor tieners op de vlucht",
    ),
}

# Each managed label: the model and the English field whose translations are filled.
MANAGED_LABELS = [
    (ServiceType, "name"),
    (SubProject, "name"),
    (Location, "name"),
    (Pillar, "name"),
    (Indicator, "label"),
    (ReportSection, "heading"),
    (ReportRow, "label"),
    (ReportRow, "subrow_label"),
    (BudgetGroup, "subtotal_label"),
    (BudgetLine, "label"),
    (SafetyNet, "name"),
]


def translate_labels(labels: dict[str, tuple[str, ...]] = LABELS) -> int:
    """Fill the blank Romanian and Dutch labels from ``labels``; how many rows changed."""
    changed = 0
    for model, field in MANAGED_LABELS:
        for record in model.objects.exclude(**{field: ""}):
            translations = labels.get(getattr(record, field))
            if translations is None:
                continue
            updates = {
                f"{field}_{language}": text
                for language, text in zip(TRANSLATED_LANGUAGES, translations, strict=True)
                if not getattr(record, f"{field}_{language}")
            }
            if updates:
                model.objects.filter(pk=record.pk).update(**updates)
                changed += 1
    return changed
