"""Rarely changed reference data of the programme plan, for site admins. Organisation-owned
records (activities, volunteers, safety nets, expenses) are not here: they have their own
screens, scoped to the organisation."""

from django import forms
from django.contrib import admin

from pillars.computations import check_parameters
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


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "currency"]


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "programme"]
    list_filter = ["programme"]


@admin.register(SubProject)
class SubProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "country"]
    list_filter = ["country"]
    prepopulated_fields = {"code": ["name"]}


class IndicatorAdminForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "programme",
            "pillar",
            "code",
            "label",
            "label_ro",
            "label_nl",
            "unit",
            "direction",
            "computation",
            "parameters",
            "order",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("computation"):
            check_parameters(cleaned["computation"], cleaned.get("parameters") or {})
        return cleaned


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorAdminForm
    list_display = ["code", "label", "pillar", "computation", "unit", "order"]
    list_filter = ["programme", "pillar", "computation"]
    search_fields = ["code", "label", "label_ro", "label_nl"]


class ReportRowInline(admin.TabularInline):
    model = ReportRow
    extra = 0
    fields = [
        "position",
        "label",
        "label_ro",
        "label_nl",
        "subrow_label",
        "subrow_label_ro",
        "subrow_label_nl",
        "indicator",
        "editor_note",
    ]
    autocomplete_fields = ["indicator"]


@admin.register(ReportSection)
class ReportSectionAdmin(admin.ModelAdmin):
    list_display = ["heading", "layout", "pillar"]
    list_filter = ["layout"]
    inlines = [ReportRowInline]


class ReportSectionInline(admin.TabularInline):
    model = ReportSection
    extra = 0
    show_change_link = True


@admin.register(ReportLayout)
class ReportLayoutAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "programme"]
    inlines = [ReportSectionInline]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    """Titles and layouts only: dates and locking are changed on the periods screen, where a
    locked period's figures are protected."""

    list_display = ["label", "kind", "start_date", "end_date", "layout", "locked_at"]
    fields = ["label", "kind", "start_date", "end_date", "title", "layout", "locked_at"]
    readonly_fields = ["label", "kind", "start_date", "end_date", "locked_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = [
        "order",
        "label",
        "label_ro",
        "label_nl",
        "budget",
        "pillar",
        "is_exchange_difference",
    ]


@admin.register(BudgetGroup)
class BudgetGroupAdmin(admin.ModelAdmin):
    list_display = ["order", "subtotal_label", "programme"]
    inlines = [BudgetLineInline]
