"""Screens of the programme plan for coordinators: activities, volunteers, safety nets, the plan
of indicators per pillar and period, periods, budget and expenses.

Views that take an identifier find the record through a selector, so that a record the user may
not see (another organisation's, or any for a role without access) and a missing record give the
same 404 page. Views without an identifier answer 403 to a role without the permission."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.decorators import role_permission_required
from accounts.enums import AuditAction
from accounts.rules import Permission
from accounts.services import record_audit
from nextsteps.views import redirect_after_saving, render_form, warn_if_locked
from pillars.budget import financial_table
from pillars.dashboard_figures import change_shown, period_dashboards_kept
from pillars.forms import (
    ActivityFilter,
    ActivityForm,
    CustomPeriodForm,
    ExpenseForm,
    PlanFormSet,
    RestatementForm,
    SafetyNetForm,
    VolunteerForm,
)
from pillars.selectors import (
    activities_editable_by,
    activities_for,
    budget_lines,
    current_programme,
    default_period,
    expense_years,
    expenses_editable_by,
    expenses_for,
    figures_to_restate,
    indicators_fed_by,
    may_record_for_an_organisation,
    periods_for,
    periods_manageable_by,
    periods_with_history_for,
    pillars_of,
    plan_lines,
    registered_people_of,
    report_filters_for,
    restatements_needed,
    restatements_of,
    safety_nets_editable_by,
    safety_nets_for,
    shows_organisation_column,
    volunteer_counts,
    volunteers_active_in,
    volunteers_editable_by,
    volunteers_for,
)
from pillars.services import (
    create_custom_period,
    lock_period,
    restate_period,
    save_activity,
    save_expense,
    save_safety_net,
    save_volunteer,
    unlock_period,
)
from pillars.small_counts import suppresses_small_counts

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _require_organisation(user, permission):
    """Records of an organisation are recorded by its own members."""
    if not may_record_for_an_organisation(user, permission):
        raise PermissionDenied(_("Only an organisation's own coordinators record its work."))


def _log_columns(user, permission):
    """What a list of an organisation's records shows: whose they are (for partnership-wide
    roles) and links to record and edit (for the organisation's own coordinators)."""
    return {
        "shows_organisation": shows_organisation_column(user),
        "may_record": may_record_for_an_organisation(user, permission),
    }


def _form_page(request, form, *, save, template, context=None, audited=None):
    """The project's form page (``nextsteps.views``) for the plan's records. ``audited``: the
    record whose personal data the page shows, audit-logged as viewed each time it is shown."""
    if done := redirect_after_saving(request, form, save, success=_("Saved.")):
        return done
    if audited is not None:
        record_audit(AuditAction.VIEW, audited, by=request.user)
    return render_form(request, template, {"form": form, **(context or {})})


@dataclass(frozen=True)
class RecordScreen:
    """The form page of one kind of an organisation's records, for creating and editing."""

    form_class: type
    # (record, form, *, by) -> URL to go to: the domain function that saves the record.
    save: Callable
    permission: Permission
    list_url_name: str
    section: str
    create_heading: str
    edit_heading: str
    intro: str = ""
    # Where "cancel" goes back to from an edited record (its list otherwise).
    detail_url_name: str | None = None
    # Whether the form shows personal data: opening it is audit-logged as a view.
    shows_personal_data: bool = False

    def cancel_url(self, record):
        if record is not None and self.detail_url_name:
            return reverse(self.detail_url_name, kwargs={"public_id": record.public_id})
        return reverse(self.list_url_name)


def _back_to_list(save_function, list_url_name):
    def save(record, form, *, by):
        save_function(record, by=by)
        return reverse(list_url_name)

    return save


def _create_record(request, screen, **form_kwargs):
    _require_organisation(request.user, screen.permission)
    form = screen.form_class(request.POST or None, **form_kwargs)
    return _record_form_page(request, screen, form, None)


def _edit_record(request, screen, record, **form_kwargs):
    form = screen.form_class(request.POST or None, instance=record, **form_kwargs)
    return _record_form_page(request, screen, form, record)


def _record_form_page(request, screen, form, record):
    def save(form):
        changed = form.save(commit=False)
        form.apply_read_version(changed)
        if changed._state.adding:
            changed.organisation = request.user.organisation
        next_url = screen.save(changed, form, by=request.user)
        warn_if_locked(
            request, getattr(changed, "starts_on", None) or getattr(changed, "date", None)
        )
        return next_url

    return _form_page(
        request,
        form,
        save=save,
        template="pillars/record_form.html",
        context={"screen": screen, "record": record, "cancel_url": screen.cancel_url(record)},
        audited=record if screen.shows_personal_data else None,
    )


# -- activities ------------------------------------------------------------------------------


@role_permission_required(Permission.MANAGE_ACTIVITIES)
def activity_list(request):
    user = request.user
    activity_filter = ActivityFilter(request.GET, queryset=activities_for(user), user=user)
    return render(
        request,
        "pillars/activity_list.html",
        {
            "filter": activity_filter,
            "page_obj": _page(request, activity_filter.qs),
            **_log_columns(user, Permission.MANAGE_ACTIVITIES),
        },
    )


def _save_activity(activity, form, *, by):
    save_activity(
        activity,
        participants=form.cleaned_data["participant_codes"],
        volunteers=form.cleaned_data["volunteers"],
        by=by,
    )
    return reverse("pillars:activity_detail", kwargs={"public_id": activity.public_id})


ACTIVITY_SCREEN = RecordScreen(
    form_class=ActivityForm,
    save=_save_activity,
    permission=Permission.MANAGE_ACTIVITIES,
    list_url_name="pillars:activity_list",
    detail_url_name="pillars:activity_detail",
    section="activities",
    create_heading=gettext_lazy("Log an activity"),
    edit_heading=gettext_lazy("Edit activity"),
    shows_personal_data=True,
)


@role_permission_required(Permission.MANAGE_ACTIVITIES)
def activity_create(request):
    return _create_record(request, ACTIVITY_SCREEN, user=request.user)


@login_required
def activity_detail(request, public_id):
    user = request.user
    activity = get_object_or_404(
        activities_for(user).select_related("safety_net", "recorded_by"), public_id=public_id
    )
    own = user.organisation is not None and user.organisation.pk == activity.organisation_id
    record_audit(AuditAction.VIEW, activity, by=user)
    return render(
        request,
        "pillars/activity_detail.html",
        {
            "activity": activity,
            "own": own,
            "registered_codes": registered_people_of(activity, user).values_list("code", flat=True),
            "volunteers": activity.volunteers.all() if own else None,
            "volunteer_count": activity.volunteers.count(),
            "fed_indicators": indicators_fed_by(activity, user),
            "shows_organisation": shows_organisation_column(user),
        },
    )


@login_required
def activity_edit(request, public_id):
    activity = get_object_or_404(activities_editable_by(request.user), public_id=public_id)
    return _edit_record(request, ACTIVITY_SCREEN, activity, user=request.user)


# -- volunteers and safety nets --------------------------------------------------------------


def _chosen_period(request, periods):
    public_id = request.GET.get("period")
    if not public_id:
        return None
    return next((period for period in periods if str(period.public_id) == public_id), None)


@role_permission_required(Permission.MANAGE_ACTIVITIES)
def volunteer_list(request):
    user = request.user
    periods = list(periods_for(user))
    period = _chosen_period(request, periods)
    volunteers = volunteers_for(user).order_by("organisation__name", "name", "pk")
    if period is not None:
        volunteers = volunteers_active_in(volunteers, period.start_date, period.end_date)
    shows_names = user.organisation is not None
    if shows_names:
        record_audit(AuditAction.VIEW, None, by=user, detail="volunteer list")
    return render(
        request,
        "pillars/volunteer_list.html",
        {
            "page_obj": Paginator(volunteers, 50).get_page(request.GET.get("page"))
            if shows_names
            else None,
            "counts": None if shows_names else volunteer_counts(volunteers),
            "periods": periods,
            "period": period,
            "shows_names": shows_names,
            **_log_columns(user, Permission.MANAGE_ACTIVITIES),
        },
    )


VOLUNTEER_SCREEN = RecordScreen(
    form_class=VolunteerForm,
    save=_back_to_list(save_volunteer, "pillars:volunteer_list"),
    permission=Permission.MANAGE_ACTIVITIES,
    list_url_name="pillars:volunteer_list",
    section="volunteers",
    create_heading=gettext_lazy("Register a volunteer"),
    edit_heading=gettext_lazy("Edit volunteer"),
    shows_personal_data=True,
)
SAFETY_NET_SCREEN = RecordScreen(
    form_class=SafetyNetForm,
    save=_back_to_list(save_safety_net, "pillars:safety_net_list"),
    permission=Permission.MANAGE_ACTIVITIES,
    list_url_name="pillars:safety_net_list",
    section="safety_nets",
    create_heading=gettext_lazy("Start a safety net"),
    edit_heading=gettext_lazy("Edit safety net"),
)


@role_permission_required(Permission.MANAGE_ACTIVITIES)
def volunteer_create(request):
    return _create_record(request, VOLUNTEER_SCREEN)


@login_required
def volunteer_edit(request, public_id):
    volunteer = get_object_or_404(volunteers_editable_by(request.user), public_id=public_id)
    return _edit_record(request, VOLUNTEER_SCREEN, volunteer)


@role_permission_required(Permission.MANAGE_ACTIVITIES)
def safety_net_list(request):
    user = request.user
    return render(
        request,
        "pillars/safety_net_list.html",
        {
            "safety_nets": safety_nets_for(user).order_by("organisation__name", "started_on"),
            **_log_columns(user, Permission.MANAGE_ACTIVITIES),
        },
    )


@role_permission_required(Permission.MANAGE_ACTIVITIES)
def safety_net_create(request):
    return _create_record(request, SAFETY_NET_SCREEN)


@login_required
def safety_net_edit(request, public_id):
    safety_net = get_object_or_404(safety_nets_editable_by(request.user), public_id=public_id)
    return _edit_record(request, SAFETY_NET_SCREEN, safety_net)


# -- the plan: indicators, targets, remarks, results per pillar and period -------------------


@role_permission_required(Permission.VIEW_AGGREGATES)
def indicator_plan(request):
    user = request.user
    # Every programme's periods: the chosen one (by default this year's) names the programme.
    periods = list(periods_for(user))
    period = _chosen_period(request, periods) or default_period(periods, timezone.localdate())
    pillars = list(pillars_of(period.programme)) if period else []
    pillar = next((p for p in pillars if str(p.number) == request.GET.get("pillar")), None)
    pillar = pillar or (pillars[0] if pillars else None)
    context = {"periods": periods, "period": period, "pillars": pillars, "pillar": pillar}
    if period is None or pillar is None:
        return render(request, "pillars/indicator_plan.html", context)

    manages_plan = user.has_role_permission(Permission.MANAGE_PLAN)
    if request.method == "POST" and not manages_plan:
        raise PermissionDenied(Permission.MANAGE_PLAN)
    lines = plan_lines(period, pillar, report_filters_for(user))
    formset = None
    if manages_plan:
        formset = PlanFormSet(
            request.POST or None, lines=lines, period_locked=period.is_locked, prefix="plan"
        )
        if request.method == "POST" and formset.is_valid() and _save_plan(formset, period, user):
            messages.success(
                request, _("The plan of pillar %(pillar)s is saved.") % {"pillar": pillar.number}
            )
            return redirect(
                f"{reverse('pillars:indicator_plan')}?period={period.public_id}"
                f"&pillar={pillar.number}"
            )
    context.update(
        lines=lines,
        formset=formset,
        rows=list(zip(lines, formset.forms, strict=True)) if formset else None,
        organisation_only=user.organisation is not None,
    )
    return render_form(request, "pillars/indicator_plan.html", context, [formset])


def _save_plan(formset, period, user):
    """Save every changed line, or none: a rule broken on one line rolls back the others."""
    with transaction.atomic():
        failed = False
        for form in formset.forms:
            try:
                form.save(period, by=user)
            except ValidationError as error:
                form.add_error(None, error)
                failed = True
        if failed:
            transaction.set_rollback(True)
    return not failed


def _year_in_calendar(typed: str) -> int | None:
    # A year the database can compare dates with: 99999999999999999999 overflowed (a 500).
    return int(typed) if typed.isdigit() and len(typed) == 4 else None


# -- periods ---------------------------------------------------------------------------------


@role_permission_required(Permission.MANAGE_PLAN)
def period_list(request):
    programme = current_programme()
    periods = list(periods_manageable_by(request.user))
    form = CustomPeriodForm(request.POST or None, programme=programme) if programme else None

    def save(form):
        create_custom_period(programme, by=request.user, **form.cleaned_data)
        return reverse("pillars:period_list")

    needed = restatements_needed(periods)
    context = {"periods": [(period, needed.get(period.pk)) for period in periods]}
    if form is None:
        return render(request, "pillars/period_list.html", context)
    return _form_page(
        request, form, save=save, template="pillars/period_list.html", context=context
    )


_PERIOD_ACTIONS = {
    "lock": (lock_period, gettext_lazy("Period %(period)s is locked: its figures are frozen.")),
    "unlock": (
        unlock_period,
        gettext_lazy("Period %(period)s is unlocked: its figures are live again."),
    ),
}


@login_required
def period_action(request, public_id, action):
    period = get_object_or_404(periods_manageable_by(request.user), public_id=public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    change, done = _PERIOD_ACTIONS[action]
    try:
        change(period, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(done) % {"period": period.label})
    return redirect("pillars:period_list")


@login_required
def period_restate(request, public_id):
    """What restating a locked period would change, and the reason it needs."""
    period = get_object_or_404(periods_manageable_by(request.user), public_id=public_id)
    form = RestatementForm(request.POST or None)

    def save(form):
        restate_period(period, reason=form.cleaned_data["reason"], by=request.user)
        return reverse("pillars:period_history", kwargs={"public_id": period.public_id})

    return _form_page(
        request,
        form,
        save=save,
        template="pillars/period_restate.html",
        context={"period": period, "changes": figures_to_restate(period)},
    )


@login_required
def period_history(request, public_id):
    """Every figure published for the period: when it was locked, and each restatement with
    its reason and the figures it changed (before and after)."""
    period = get_object_or_404(periods_with_history_for(request.user), public_id=public_id)
    suppress = suppresses_small_counts(request.user)
    return render(
        request,
        "pillars/period_history.html",
        {
            "period": period,
            "restatements": [
                (restatement, [change_shown(c, suppress=suppress) for c in restatement.changes])
                for restatement in restatements_of(period)
            ],
            "dashboards_kept": period_dashboards_kept(period),
        },
    )


# -- budget and expenses ---------------------------------------------------------------------


@role_permission_required(Permission.MANAGE_BUDGET)
def budget(request):
    user = request.user
    programme = current_programme()
    periods = [p for p in periods_for(user) if programme and p.programme_id == programme.pk]
    period = _chosen_period(request, periods)
    rows = []
    if programme is not None:
        spent_in = [period or programme]
        rows = financial_table(programme, columns=spent_in, organisation=user.organisation).rows
    return render(
        request,
        "pillars/budget.html",
        {
            "programme": programme,
            "periods": periods,
            "period": period,
            "rows": rows,
            "organisation_only": user.organisation is not None,
            "may_record": may_record_for_an_organisation(user, Permission.MANAGE_BUDGET),
        },
    )


@role_permission_required(Permission.MANAGE_BUDGET)
def expense_list(request):
    user = request.user
    programme = current_programme()
    lines = list(budget_lines(programme)) if programme else []
    expenses = expenses_for(user)
    line = next((line for line in lines if str(line.pk) == request.GET.get("line")), None)
    if line is not None:
        expenses = expenses.filter(line=line)
    year = _year_in_calendar(request.GET.get("year", ""))
    if year is not None:
        expenses = expenses.filter(date__year=year)
    return render(
        request,
        "pillars/expense_list.html",
        {
            "page_obj": _page(request, expenses),
            "lines": lines,
            "line": line,
            "years": expense_years(programme) if programme else [],
            "year": year,
            **_log_columns(user, Permission.MANAGE_BUDGET),
        },
    )


EXPENSE_SCREEN = RecordScreen(
    form_class=ExpenseForm,
    save=_back_to_list(save_expense, "pillars:expense_list"),
    permission=Permission.MANAGE_BUDGET,
    list_url_name="pillars:expense_list",
    section="expenses",
    create_heading=gettext_lazy("Record an expense"),
    edit_heading=gettext_lazy("Edit expense"),
    intro=gettext_lazy(
        "Amounts in lei are converted to euros at the rate you give; amounts in euros keep a "
        "rate of 1. Only the exchange-rate line takes negative amounts."
    ),
)


@role_permission_required(Permission.MANAGE_BUDGET)
def expense_create(request):
    return _create_record(request, EXPENSE_SCREEN, programme=current_programme())


@login_required
def expense_edit(request, public_id):
    expense = get_object_or_404(expenses_editable_by(request.user), public_id=public_id)
    return _edit_record(request, EXPENSE_SCREEN, expense, programme=expense.line.group.programme)
