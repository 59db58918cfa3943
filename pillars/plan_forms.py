"""Forms of the plan in the browser: the programme coordinator's screens for programmes,
pillars, indicators, layouts and their sections and rows, periods, budget groups and lines, and
the reference data (service types, locations, sub-projects), each label with its Romanian and
Dutch beside it. An indicator's parameters are real fields with choices, never JSON."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import ServiceType
from nextsteps.forms import OneTimeForm
from nextsteps.labels import translation_field_names
from nextsteps.versioning import VersionedForm
from nextsteps.widgets import DateInput
from pillars.computations import COMPUTATIONS, PARAMETER_KINDS
from pillars.models import (
    BudgetGroup,
    BudgetLine,
    Indicator,
    Location,
    Period,
    Pillar,
    Programme,
    ReportLayout,
    ReportRow,
    ReportSection,
    SubProject,
)


def translated(*fields: str) -> list[str]:
    """Each label field followed by its translations: name, name_ro, name_nl."""
    return [name for field in fields for name in (field, *translation_field_names(field))]


class PlanForm(OneTimeForm, VersionedForm, forms.ModelForm):
    """A plan record's form: saved once however often it is posted, refused when stale."""


class ProgrammeForm(PlanForm):
    class Meta:
        model = Programme
        fields = ["name", "start_date", "end_date", "currency", "year_layout", "programme_layout"]
        widgets = {"start_date": DateInput, "end_date": DateInput}
        help_texts = {
            "year_layout": _(
                "Add the programme's layouts first. As soon as both layouts are chosen, the "
                "programme has a period for each of its years and one for the whole programme."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        layouts = ReportLayout.objects.filter(programme=self.instance.pk)
        self.fields["year_layout"].queryset = layouts
        self.fields["programme_layout"].queryset = layouts


class PillarForm(PlanForm):
    class Meta:
        model = Pillar
        fields = ["programme", "number", *translated("name")]


class SubProjectForm(PlanForm):
    class Meta:
        model = SubProject
        fields = ["code", *translated("name")]


class LocationForm(PlanForm):
    class Meta:
        model = Location
        fields = ["code", *translated("name"), "country"]


class ServiceTypeForm(PlanForm):
    class Meta:
        model = ServiceType
        fields = ["code", *translated("name"), "default_unit", "order", "is_active"]


class ReportLayoutForm(PlanForm):
    class Meta:
        model = ReportLayout
        fields = ["programme", "name", "language"]


class ReportSectionForm(PlanForm):
    class Meta:
        model = ReportSection
        fields = ["layout", "pillar", *translated("heading")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layout"].queryset = ReportLayout.objects.select_related("programme")
        self.fields["pillar"].queryset = Pillar.objects.select_related("programme")

    def clean(self):
        cleaned = super().clean()
        layout, pillar = cleaned.get("layout"), cleaned.get("pillar")
        if layout and pillar and layout.programme_id != pillar.programme_id:
            self.add_error("pillar", _("Choose a pillar of the layout's programme."))
        return cleaned


class ReportRowForm(PlanForm):
    class Meta:
        model = ReportRow
        fields = [
            "section",
            "position",
            "indicator",
            *translated("label"),
            *translated("subrow_label"),
            "editor_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = ReportSection.objects.select_related("layout", "pillar")
        self.fields["indicator"].queryset = Indicator.objects.select_related("programme")

    def clean(self):
        cleaned = super().clean()
        section, indicator = cleaned.get("section"), cleaned.get("indicator")
        if section and indicator and section.layout.programme_id != indicator.programme_id:
            self.add_error("indicator", _("Choose an indicator of the layout's programme."))
        return cleaned


class PeriodForm(PlanForm):
    """A period's printed title and layout; its dates follow from its programme."""

    class Meta:
        model = Period
        fields = ["title", "layout"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layout"].queryset = ReportLayout.objects.filter(
            programme=self.instance.programme_id
        )


class BudgetGroupForm(PlanForm):
    class Meta:
        model = BudgetGroup
        fields = ["programme", "order", *translated("subtotal_label")]


class BudgetLineForm(PlanForm):
    class Meta:
        model = BudgetLine
        fields = [
            "group",
            "order",
            *translated("label"),
            "budget",
            "pillar",
            "is_exchange_difference",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = BudgetGroup.objects.select_related("programme")
        self.fields["pillar"].queryset = Pillar.objects.select_related("programme")


def _computations_taking(name: str) -> str:
    return ", ".join(
        str(computation.kind.label)
        for computation in COMPUTATIONS.values()
        if name in computation.parameters
    )


def _parameter_field(name, kind) -> forms.Field:
    help_text = _("Used by: %(computations)s.") % {"computations": _computations_taking(name)}
    if kind.boolean:
        return forms.BooleanField(required=False, label=kind.label, help_text=help_text)
    if kind.many:
        return forms.MultipleChoiceField(
            required=False,
            label=kind.label,
            help_text=help_text,
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.ChoiceField(required=False, label=kind.label, help_text=help_text)


class IndicatorForm(PlanForm):
    """An indicator: what it measures, how (the computation), and which records it counts (the
    parameters of that computation, each a field with its choices; left empty, it does not
    narrow). Parameters of other computations are ignored."""

    PARAMETER_PREFIX = "parameter_"

    class Meta:
        model = Indicator
        fields = [
            "programme",
            "pillar",
            "code",
            *translated("label"),
            "unit",
            "direction",
            "computation",
            "order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = Pillar.objects.select_related("programme")
        for name, kind in PARAMETER_KINDS.items():
            field = _parameter_field(name, kind)
            if hasattr(field, "choices"):
                choices = kind.choices()
                field.choices = choices if kind.many else [("", "-"), *choices]
            field.initial = self.instance.parameters.get(name)
            self.fields[self.PARAMETER_PREFIX + name] = field

    def parameter_fields(self):
        return [field for field in self if field.name.startswith(self.PARAMETER_PREFIX)]

    def main_fields(self):
        return [
            field
            for field in self
            if not field.name.startswith(self.PARAMETER_PREFIX) and not field.is_hidden
        ]

    def clean(self):
        cleaned = super().clean()
        computation = COMPUTATIONS.get(cleaned.get("computation"))
        taken = computation.parameters if computation else {}
        parameters = {}
        for name in taken:
            value = cleaned.get(self.PARAMETER_PREFIX + name)
            if value not in (None, "", [], False):
                parameters[name] = value
        self.instance.parameters = parameters
        return cleaned
