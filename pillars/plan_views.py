"""The plan in the browser: the programme coordinator's screens for what the plan file holds
(pillars/plan_file.py). One list and one form page per kind of plan record, in the project's
form-page idiom (nextsteps.views); every save goes through pillars.services.save_plan_record.
Django's admin stays for the site admin's emergencies."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.decorators import role_permission_required
from accounts.rules import Permission
from cases.models import ServiceType
from nextsteps.versioning import StaleRecord
from nextsteps.views import form_page
from pillars import plan_forms
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
from pillars.selectors import plan_records_for
from pillars.services import save_plan_record


@dataclass(frozen=True)
class PlanScreen:
    """The list and form page of one kind of plan record."""

    slug: str
    title: str
    form_class: type
    # The records listed, with what the columns read already joined (one query).
    records: Callable
    # (heading, function of a record) for each column after the first (the record itself).
    columns: tuple = ()
    may_create: bool = True

    def url_name(self, page=""):
        return f"pillars:plan_{self.slug.replace('-', '_')}{page}"


def _label(field):
    return lambda record: record.label_in(field)


SCREENS = [
    PlanScreen(
        "programmes",
        _("Programmes"),
        plan_forms.ProgrammeForm,
        lambda: Programme.objects.select_related("year_layout", "programme_layout"),
        ((_("Start"), lambda p: p.start_date), (_("End"), lambda p: p.end_date)),
    ),
    PlanScreen(
        "pillars",
        _("Pillars"),
        plan_forms.PillarForm,
        lambda: Pillar.objects.select_related("programme").order_by("programme", "number"),
        ((_("Programme"), lambda p: p.programme),),
    ),
    PlanScreen(
        "indicators",
        _("Indicators"),
        plan_forms.IndicatorForm,
        lambda: Indicator.objects.select_related("programme", "pillar").order_by(
            "programme", "pillar__number", "order"
        ),
        (
            (_("Programme"), lambda i: i.programme),
            (_("Computed as"), lambda i: i.get_computation_display()),
        ),
    ),
    PlanScreen(
        "layouts",
        _("Table layouts"),
        plan_forms.ReportLayoutForm,
        lambda: ReportLayout.objects.select_related("programme"),
        ((_("Programme"), lambda layout: layout.programme),),
    ),
    PlanScreen(
        "sections",
        _("Pillar headings of the layouts"),
        plan_forms.ReportSectionForm,
        lambda: ReportSection.objects.select_related("layout__programme", "pillar").order_by(
            "layout", "pillar__number"
        ),
        ((_("Layout"), lambda s: f"{s.layout.programme} / {s.layout}"),),
    ),
    PlanScreen(
        "rows",
        _("Rows of the layouts"),
        plan_forms.ReportRowForm,
        lambda: ReportRow.objects.select_related(
            "section__layout__programme", "section__pillar", "indicator"
        ).order_by("section__layout", "section__pillar__number", "position"),
        (
            (_("Layout"), lambda r: f"{r.section.layout.programme} / {r.section.layout}"),
            (_("Position"), lambda r: f"{r.section.pillar.number}.{r.position}"),
            (_("Indicator"), lambda r: r.indicator.code if r.indicator else "-"),
        ),
    ),
    PlanScreen(
        "periods",
        _("Periods"),
        plan_forms.PeriodForm,
        lambda: Period.objects.select_related("programme", "layout"),
        (
            (_("Programme"), lambda p: p.programme),
            (_("Table layout"), lambda p: p.layout),
            (_("Printed title"), lambda p: p.printed_title),
        ),
        # Periods come with their programme (and custom ones from the periods page).
        may_create=False,
    ),
    PlanScreen(
        "budget-groups",
        _("Budget groups"),
        plan_forms.BudgetGroupForm,
        lambda: BudgetGroup.objects.select_related("programme").order_by("programme", "order"),
        ((_("Programme"), lambda g: g.programme),),
    ),
    PlanScreen(
        "budget-lines",
        _("Budget lines"),
        plan_forms.BudgetLineForm,
        lambda: BudgetLine.objects.select_related("group__programme"),
        (
            (_("Programme"), lambda line: line.group.programme),
            (_("Budget"), lambda line: line.budget),
        ),
    ),
    PlanScreen(
        "service-types",
        _("Service types"),
        plan_forms.ServiceTypeForm,
        lambda: ServiceType.objects.all(),
        ((_("Code"), lambda s: s.code), (_("In use"), lambda s: _("yes") if s.is_active else "")),
    ),
    PlanScreen(
        "locations",
        _("Locations"),
        plan_forms.LocationForm,
        lambda: Location.objects.all(),
        ((_("Code"), lambda location: location.code), (_("Country"), lambda loc: loc.country)),
    ),
    PlanScreen(
        "sub-projects",
        _("Sub-projects"),
        plan_forms.SubProjectForm,
        lambda: SubProject.objects.all(),
        ((_("Code"), lambda sub_project: sub_project.code),),
    ),
]
SCREEN_BY_SLUG = {screen.slug: screen for screen in SCREENS}


@role_permission_required(Permission.MANAGE_PLAN)
def plan_home(request):
    return render(request, "pillars/plan_home.html", {"screens": SCREENS, "section": "plan"})


def plan_list(request, screen):
    records = list(screen.records())
    rows = [(record, [column(record) for _heading, column in screen.columns]) for record in records]
    return render(
        request,
        "pillars/plan_list.html",
        {"screen": screen, "rows": rows, "section": "plan", "screens": SCREENS},
    )


def plan_create(request, screen):
    form = screen.form_class(request.POST or None)
    return _plan_form_page(request, screen, form, None)


def plan_edit(request, screen, pk):
    record = get_object_or_404(plan_records_for(request.user, screen.records()), pk=pk)
    form = screen.form_class(request.POST or None, instance=record)
    return _plan_form_page(request, screen, form, record)


def _plan_form_page(request, screen, form, record):
    def save(form):
        changed = form.apply_read_version(form.save(commit=False))
        try:
            save_plan_record(changed, by=request.user)
        except StaleRecord:
            raise
        except ValidationError as error:
            raise _on_the_form(error, form) from None
        return reverse(screen.url_name())

    return form_page(
        request,
        form,
        save,
        template="pillars/plan_form.html",
        success=_("Saved."),
        context={"screen": screen, "record": record, "section": "plan"},
    )


def _on_the_form(error, form):
    """A refusal naming fields the form does not show is shown above the form."""
    if hasattr(error, "error_dict") and not set(error.error_dict) <= {*form.fields, "__all__"}:
        return ValidationError(error.messages)
    return error


def screen_views(screen):
    """The three views of one screen, guarded by the plan permission."""
    guard = role_permission_required(Permission.MANAGE_PLAN)
    views = {
        "": guard(lambda request: plan_list(request, screen)),
        # A record's page answers 404 to anyone who may not manage the plan (the selector).
        "_edit": login_required(lambda request, pk: plan_edit(request, screen, pk)),
    }
    if screen.may_create:
        views["_new"] = guard(lambda request: plan_create(request, screen))
    return views
