"""Domain functions of the programme plan: the only code that changes its tables. Each does its
checks, its writes and its audit row in one transaction."""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import AuditAction
from accounts.models import User
from accounts.services import record_audit
from cases.models import Beneficiary
from nextsteps.versioning import Versioned, lock_current_version
from pillars.computations import PARAMETER_KINDS, check_parameters
from pillars.dashboard_figures import dashboard_changes, published_dashboards
from pillars.enums import ActivityKind, Audience, Currency, PeriodKind
from pillars.models import (
    Activity,
    ActivityParticipation,
    BudgetLine,
    Expense,
    FrozenDashboard,
    FrozenResult,
    FrozenSpending,
    Indicator,
    Period,
    Programme,
    Remark,
    ReportLayout,
    ReportRow,
    Restatement,
    ResultEntry,
    SafetyNet,
    Target,
    Volunteer,
)
from pillars.results import (
    published_figures,
    published_months,
    published_spending,
    published_spending_months,
)

CENT = Decimal("0.01")


def period_labels(start: date, end: date) -> list[str]:
    """The labels of a programme's periods: each calendar year it touches, then the whole
    programme ("2021", "2022", "2023", "2021-2023")."""
    return [*(str(year) for year in range(start.year, end.year + 1)), f"{start.year}-{end.year}"]


def generate_periods(
    programme: Programme, *, year_layout: ReportLayout, programme_layout: ReportLayout
) -> list[Period]:
    """The programme's reporting periods: each calendar year it touches (cut to the programme's
    dates, so 2021 runs from August) and the whole programme. Creates what is missing and brings
    dates and layouts up to date; saves nothing that is already right. Returns the periods."""
    periods = []
    for year in range(programme.start_date.year, programme.end_date.year + 1):
        start = max(programme.start_date, date(year, 1, 1))
        end = min(programme.end_date, date(year, 12, 31))
        periods.append(_period(programme, PeriodKind.YEAR, str(year), start, end, year_layout))
    label = f"{programme.start_date.year}-{programme.end_date.year}"
    periods.append(
        _period(
            programme,
            PeriodKind.PROGRAMME,
            label,
            programme.start_date,
            programme.end_date,
            programme_layout,
        )
    )
    return periods


def ensure_periods(programme: Programme) -> list[Period]:
    """Every period the programme has, created without anyone asking: each calendar year it
    touches (the current one included, while it runs) and the whole programme, as soon as it
    names the layouts they print with. Years are made for the whole programme at once, so
    targets of next year can be set this year. Idempotent; returns the periods."""
    if programme.year_layout_id is None or programme.programme_layout_id is None:
        return []
    return generate_periods(
        programme,
        year_layout=programme.year_layout,
        programme_layout=programme.programme_layout,
    )


def ensure_periods_of_every_programme() -> None:
    """After migrations: a programme created before it named its layouts, or in the admin,
    gets its periods too."""
    for programme in Programme.objects.select_related("year_layout", "programme_layout"):
        ensure_periods(programme)


def _period(programme, kind, label, start, end, layout):
    wanted = {"kind": kind, "start_date": start, "end_date": end, "layout_id": layout.pk}
    period = Period.objects.filter(programme=programme, label=label).first()
    if period is None:
        return Period.objects.create(programme=programme, label=label, **wanted)
    changed = [name for name, value in wanted.items() if getattr(period, name) != value]
    if changed:
        for name in changed:
            setattr(period, name, wanted[name])
        period.save(update_fields=changed)
    return period


@transaction.atomic
def lock_period(period: Period, *, by: User) -> Period:
    """Publish the period's figures: its computed figures, for the partnership and for every
    choice of the report filters, and what was spent on each budget line, are frozen. Every view
    of the period shows them; later entries into it are flagged for restatement."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise ValidationError(_("This period is already locked."))
    _publish(
        period,
        published_figures(period),
        published_spending(period),
        months=published_months(period),
        spending_months=published_spending_months(period),
        dashboards=published_dashboards(period),
    )
    period.locked_at = timezone.now()
    period.locked_by = by
    period.save(update_fields=["locked_at", "locked_by"])
    record_audit(AuditAction.UPDATE, period, by=by, detail=f"locked period {period.label}")
    return period


@transaction.atomic
def restate_period(period: Period, *, reason: str, by: User) -> Restatement:
    """Publish what the records give now in place of the figures that changed, for ``reason``.
    The figures published before stay beside the new ones (superseded, not deleted); the
    restatement and its audit row name each changed figure with its value before and after."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not period.is_locked:
        raise ValidationError(_("Only a locked period can be restated."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the published figures are restated.")})
    months = published_months(period)
    figures = _figures_changed(period, published_figures(period), months)
    spending_months = published_spending_months(period)
    spending = _spending_changed(period, published_spending(period), spending_months)
    dashboards = _dashboards_changed(period, published_dashboards(period))
    if not figures and not spending and not dashboards:
        raise ValidationError(_("The records give the published figures: nothing to restate."))
    restatement = Restatement.objects.create(
        period=period,
        restated_by=by,
        reason=reason,
        changes=_described(figures, spending) + dashboard_changes(dashboards),
    )
    now = timezone.now()
    _supersede(
        FrozenResult,
        period,
        now,
        [Q(indicator_id=indicator_id, dimension=dimension) for indicator_id, dimension in figures],
    )
    _supersede(
        FrozenSpending,
        period,
        now,
        [
            Q(line_id=line_id, organisation_id=organisation_id)
            for line_id, organisation_id in spending
        ],
    )
    _supersede(
        FrozenDashboard,
        period,
        now,
        [Q(dashboard=dashboard, dimension=dimension) for dashboard, dimension in dashboards],
    )
    _publish(
        period,
        {key: new for key, (_old, new) in figures.items()},
        {key: new for key, (_old, new) in spending.items()},
        months=months,
        spending_months=spending_months,
        dashboards={key: new for key, (_old, new) in dashboards.items()},
        restatement=restatement,
    )
    record_audit(
        AuditAction.UPDATE,
        period,
        by=by,
        detail=_audit_detail(f"restated period {period.label}: ", restatement.changes),
    )
    return restatement


AUDIT_DETAIL_LENGTH = 255


def _audit_detail(opening, changes):
    """The audit row's detail: each change "people 14->15", as many as the row holds, then how
    many more the period's history names (the row is 255 characters long)."""
    named = [f"{c['indicator']} {c['published']}->{c['restated']}" for c in changes]
    detail = opening + "; ".join(named)
    for shown in range(len(named) - 1, -1, -1):
        if len(detail) <= AUDIT_DETAIL_LENGTH:
            return detail
        more = f"and {len(named) - shown} more in the period's history"
        detail = opening + "; ".join([*named[:shown], more])
    return detail[:AUDIT_DETAIL_LENGTH]


@transaction.atomic
def unlock_period(period: Period, *, by: User) -> Period:
    """Let the period's figures follow the records again (and its plan be edited). What was
    published stays in the period's history."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not period.is_locked:
        raise ValidationError(_("This period is not locked."))
    now = timezone.now()
    FrozenResult.objects.current().filter(period=period).update(superseded_at=now)
    FrozenSpending.objects.current().filter(period=period).update(superseded_at=now)
    FrozenDashboard.objects.current().filter(period=period).update(superseded_at=now)
    period.locked_at = None
    period.locked_by = None
    period.save(update_fields=["locked_at", "locked_by"])
    record_audit(AuditAction.UPDATE, period, by=by, detail=f"unlocked period {period.label}")
    return period


def _publish(period, figures, spending, *, months, spending_months, dashboards, restatement=None):
    """Write the published figures, spending and people dashboards; each figure and line
    carries its months ({} for an indicator without dates, or a figure or a line without
    anything in any month)."""
    FrozenDashboard.objects.bulk_create(
        FrozenDashboard(
            period=period,
            dashboard=dashboard,
            dimension=dimension,
            figures=published,
            restatement=restatement,
        )
        for (dashboard, dimension), published in dashboards.items()
    )
    FrozenResult.objects.bulk_create(
        FrozenResult(
            period=period,
            indicator_id=indicator_id,
            dimension=dimension,
            value=value,
            months=months.get((indicator_id, dimension), {}),
            restatement=restatement,
        )
        for (indicator_id, dimension), value in figures.items()
    )
    FrozenSpending.objects.bulk_create(
        FrozenSpending(
            period=period,
            line_id=line_id,
            organisation_id=organisation_id,
            amount=amount,
            months=spending_months.get((line_id, organisation_id), {}),
            restatement=restatement,
        )
        for (line_id, organisation_id), amount in spending.items()
    )


def _figures_changed(period, figures, months):
    """{(indicator id, dimension): (published figure or None, figure now)} of the figures to
    restate: the figure differs, or its months do (an assistance moved from March to April of
    the same year: the total stands, the trend moved). A months-only change is restated like
    any other, with its unchanged total ("6 -> 6"). Figures published before the months were
    kept (months None) are compared by value only, as FrozenSpending's are."""
    published = {
        (indicator_id, dimension): (value, published_months)
        for indicator_id, dimension, value, published_months in FrozenResult.objects.current()
        .filter(period=period)
        .values_list("indicator_id", "dimension", "value", "months")
    }
    return _changed_in_total_or_months(published, figures, months)


def _changed_in_total_or_months(published, totals, months):
    """{key: (published total or None, total now)} where the total differs, or the months do
    where they were published (None: published before the months were kept)."""
    changed = {}
    for key in set(published) | set(totals):
        old_total, old_months = published.get(key, (None, {}))
        new_total = totals.get(key, 0)
        months_moved = old_months is not None and old_months != months.get(key, {})
        if (old_total or 0) != new_total or months_moved:
            changed[key] = (old_total, new_total)
    return changed


def _dashboards_changed(period, dashboards):
    """{(dashboard, dimension): (figures published or None, figures now)} of the people
    dashboards whose figures differ (a period locked before they were published has none:
    each is then published)."""
    published = {
        (dashboard, dimension): figures
        for dashboard, dimension, figures in FrozenDashboard.objects.current()
        .filter(period=period)
        .values_list("dashboard", "dimension", "figures")
    }
    # Compared as stored: through JSON, as the published ones were.
    now = {key: json.loads(json.dumps(figures)) for key, figures in dashboards.items()}
    return {
        key: (published.get(key), figures)
        for key, figures in now.items()
        if published.get(key) != figures
    }


def _spending_changed(period, amounts, months):
    """{(line id, organisation id): (published euros or None, euros now)} of the spending to
    restate: the amount differs, or its months do (an expense moved from March to April of the
    same year). A months-only change is restated like any other: the row is superseded and
    published again with the same amount and the new months, and the restatement names the
    line with its unchanged total ("100.00 -> 100.00"). Rows published before the months were
    kept (months None) are compared by amount only: their months were never published, so
    there is nothing of them to restate; a row restated for its amount gains its months."""
    published = {
        (line_id, organisation_id): (amount, published_months)
        for line_id, organisation_id, amount, published_months in FrozenSpending.objects.current()
        .filter(period=period)
        .values_list("line_id", "organisation_id", "amount", "months")
    }
    return _changed_in_total_or_months(published, amounts, months)


def _supersede(model, period, now, conditions):
    if conditions:
        model.objects.current().filter(period=period).filter(
            reduce(operator.or_, conditions)
        ).update(superseded_at=now)


def _described(figures, spending):
    """The changes of the partnership's totals, for people (and the audit row)."""
    codes = dict(Indicator.objects.values_list("pk", "code"))
    lines = {line.pk: line.label for line in BudgetLine.objects.all()}
    described = [
        {
            "indicator": codes.get(indicator_id, str(indicator_id)),
            "published": _plain(old),
            "restated": _plain(new),
        }
        for (indicator_id, dimension), (old, new) in sorted(figures.items())
        if dimension == ""
    ]
    described += [
        {
            "indicator": f"spent: {lines.get(line_id, line_id)}",
            "published": _euros(old),
            "restated": _euros(new),
        }
        for (line_id, organisation_id), (old, new) in sorted(
            spending.items(), key=lambda item: item[0][0]
        )
        if organisation_id is None
    ]
    return described


def _plain(value):
    return None if value is None else str(value)


def _euros(value):
    return None if value is None else f"{value:.2f}"


# -- the plan: targets, remarks, results entered by hand ---------------------------------------


def _refuse_if_locked(period):
    if period.is_locked:
        raise ValidationError(
            _("Period %(period)s is locked; unlock it to change its targets and figures.")
            % {"period": period.label}
        )


def _check_same_programme(indicator, period):
    if indicator.programme_id != period.programme_id:
        raise ValidationError(_("This indicator belongs to another programme than the period."))


def _save_plan_cell(model, record, *, values, by, cell_name, shown="", **cell):
    """Create, change or (``values`` None) remove one cell of the plan (a target, a remark, a
    result entered by hand), with its audit row on ``record``."""
    if values is None:
        deleted, _rows = model.objects.filter(**cell).delete()
        if deleted:
            record_audit(AuditAction.DELETE, record, by=by, detail=f"{cell_name} removed")
        return None
    saved, created = model.objects.update_or_create(**cell, defaults=values)
    record_audit(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        record,
        by=by,
        detail=f"{cell_name}: {shown}" if shown != "" else cell_name,
    )
    return saved


@transaction.atomic
def set_target(
    indicator: Indicator, period: Period, value: Decimal | int | None, *, by: User
) -> Target | None:
    """Set (or, with ``None``, remove) the indicator's target for the period."""
    _check_same_programme(indicator, period)
    _refuse_if_locked(period)
    if value is not None and value < 0:
        raise ValidationError(_("A target cannot be negative."))
    return _save_plan_cell(
        Target,
        indicator,
        values=None if value is None else {"value": value},
        by=by,
        cell_name=f"target for {period.label}",
        shown=value,
        indicator=indicator,
        period=period,
    )


@transaction.atomic
def write_remark(row: ReportRow, period: Period, text: str, *, by: User) -> Remark | None:
    """Write (or, with blank text, remove) the Remarks cell of a printed row for the period.
    Remarks stay editable in a locked period: they explain a restatement."""
    if row.section.layout_id != period.layout_id:
        raise ValidationError(_("This row is not printed in the period's table."))
    text = text.strip()
    return _save_plan_cell(
        Remark,
        row,
        values={"text": text, "updated_by": by} if text else None,
        by=by,
        cell_name=f"remark for {period.label}",
        row=row,
        period=period,
    )


@transaction.atomic
def enter_result(
    indicator: Indicator, period: Period, value: Decimal | int, *, reason: str, by: User
) -> ResultEntry | None:
    """Enter the figure of a hand-entered indicator, or override a computed one (which needs a
    reason, shown beside the figure)."""
    _check_same_programme(indicator, period)
    if not indicator.is_manual and not reason.strip():
        raise ValidationError(_("Overriding a computed figure needs a reason."))
    _refuse_if_locked(period)
    if value < 0:
        raise ValidationError(_("A result cannot be negative."))
    return _save_plan_cell(
        ResultEntry,
        indicator,
        values={
            "value": value,
            "reason": reason.strip(),
            "entered_by": by,
            "entered_at": timezone.now(),
        },
        by=by,
        cell_name=f"result for {period.label}",
        shown=value,
        indicator=indicator,
        period=period,
    )


@transaction.atomic
def clear_result(indicator: Indicator, period: Period, *, by: User) -> None:
    """Remove a hand-entered figure or override: a computed indicator shows its computed
    figure again."""
    _refuse_if_locked(period)
    _save_plan_cell(
        ResultEntry,
        indicator,
        values=None,
        by=by,
        cell_name=f"result for {period.label}",
        indicator=indicator,
        period=period,
    )


@transaction.atomic
def create_custom_period(
    programme: Programme,
    *,
    label: str,
    start_date: date,
    end_date: date,
    layout: ReportLayout,
    by: User,
    title: str = "",
) -> Period:
    """A reporting period on request (a quarter, a funder's half-year) inside the programme."""
    if start_date > end_date:
        raise ValidationError(_("The period must end after it starts."))
    if start_date < programme.start_date or end_date > programme.end_date:
        raise ValidationError(
            _("The period must lie within the programme (%(start)s to %(end)s).")
            % {"start": programme.start_date, "end": programme.end_date}
        )
    if layout.programme_id != programme.pk:
        raise ValidationError(_("Choose a table layout of this programme."))
    if Period.objects.filter(programme=programme, label=label).exists():
        raise ValidationError(_("A period with this label already exists."))
    period = Period.objects.create(
        programme=programme,
        kind=PeriodKind.CUSTOM,
        label=label,
        title=title,
        start_date=start_date,
        end_date=end_date,
        layout=layout,
    )
    record_audit(AuditAction.CREATE, period, by=by, detail=f"custom period {label}")
    return period


# -- what organisations did: activities, volunteers, safety nets, expenses -------------------


def _save_with_audit(record, *, by, detail=""):
    """Save an organisation's record and write its audit row (create or update). The model's
    constraints are checked first, so a broken rule is a message, not a database error."""
    record.validate_constraints()
    action = AuditAction.CREATE if record._state.adding else AuditAction.UPDATE
    if not record._state.adding:
        lock_current_version(record)
    record.save()
    record_audit(action, record, by=by, detail=detail)
    return record


def _refuse_other_organisations(records, organisation, field, message):
    if any(record.organisation_id != organisation.pk for record in records):
        raise ValidationError({field: message})


@transaction.atomic
def save_activity(
    activity: Activity,
    *,
    participants: Iterable[Beneficiary],
    volunteers: Iterable[Volunteer],
    by: User,
) -> Activity:
    """Record a new activity or save changes to one, with the registered people who took part
    (the activity's organisation's own records only) and the volunteers involved."""
    participants, volunteers = list(participants), list(volunteers)
    organisation = activity.organisation
    _refuse_other_organisations(
        participants,
        organisation,
        "participant_codes",
        _("Only your organisation's records can be registered."),
    )
    _refuse_other_organisations(
        volunteers,
        organisation,
        "volunteers",
        _("Only your organisation's volunteers can be involved."),
    )
    _check_activity(activity, participants, volunteers)
    if activity.participants == 0:
        activity.participants = len(participants)
    if activity._state.adding:
        activity.recorded_by = by
    _save_with_audit(
        activity, by=by, detail=f"{activity.kind}, {len(participants)} registered people"
    )
    _set_participants(activity, participants)
    activity.volunteers.set(volunteers)
    return activity


def _check_activity(activity, participants, volunteers):
    if activity.participants and activity.participants < len(participants):
        raise ValidationError(
            {
                "participants": _(
                    "%(count)s people are registered: the number of participants cannot be lower."
                )
                % {"count": len(participants)}
            }
        )
    if activity.online_reach is not None and activity.kind != ActivityKind.ONLINE_CAMPAIGN:
        raise ValidationError({"online_reach": _("Only an online campaign has an online reach.")})
    if set(activity.audiences) - set(Audience.values):
        raise ValidationError({"audiences": _("Choose audiences from the list.")})
    if activity.safety_net is not None:
        if activity.kind != ActivityKind.SAFETY_NET_MEETING:
            raise ValidationError(
                {"safety_net": _("Only a safety-net meeting belongs to a safety net.")}
            )
        _refuse_other_organisations(
            [activity.safety_net],
            activity.organisation,
            "safety_net",
            _("Only your organisation's safety nets can be chosen."),
        )
    inactive = [v.name for v in volunteers if not _active_on(v, activity.starts_on)]
    if inactive:
        raise ValidationError(
            {
                "volunteers": _("Not active on the activity's date: %(names)s.")
                % {"names": ", ".join(inactive)}
            }
        )


def _active_on(volunteer, day):
    return volunteer.active_from <= day and (
        volunteer.active_until is None or volunteer.active_until >= day
    )


def _set_participants(activity, participants):
    wanted = {person.pk: person for person in participants}
    activity.participations.exclude(beneficiary__in=wanted).delete()
    # The rows carry the activity's organisation, location and sub-project: an edit of the
    # activity moves them along (the people's categories stay those of the day they were added).
    activity.participations.update(
        organisation=activity.organisation_id,
        location=activity.location_id,
        sub_project=activity.sub_project_id,
    )
    present = set(activity.participations.values_list("beneficiary", flat=True))
    ActivityParticipation.objects.bulk_create(
        ActivityParticipation(activity=activity, beneficiary=person).stamp_attributes()
        for pk, person in wanted.items()
        if pk not in present
    )


@transaction.atomic
def save_volunteer(volunteer: Volunteer, *, by: User) -> Volunteer:
    """Register a volunteer of an organisation, or change when she or he was active."""
    return _save_with_audit(volunteer, by=by)


@transaction.atomic
def save_safety_net(safety_net: SafetyNet, *, by: User) -> SafetyNet:
    """Start a safety net, or record its end."""
    return _save_with_audit(safety_net, by=by)


@transaction.atomic
def save_expense(expense: Expense, *, by: User) -> Expense:
    """Record an expense or correct one; its amount in euros follows from the currency and the
    rate it was booked at. Only the exchange-rate line takes negative amounts."""
    if expense.currency == Currency.EUR:
        expense.rate = Decimal(1)
    expense.validate_constraints()
    if expense.amount < 0 and not expense.line.is_exchange_difference:
        raise ValidationError({"amount": _("Only the exchange-rate line takes negative amounts.")})
    expense.amount_eur = amount_in_euros(expense.amount, expense.currency, expense.rate)
    if expense._state.adding:
        expense.recorded_by = by
    return _save_with_audit(
        expense, by=by, detail=f"{expense.amount} {expense.currency} on {expense.line}"[:255]
    )


def amount_in_euros(amount: Decimal, currency: str, rate: Decimal) -> Decimal:
    """An expense in euros, at the rate (lei per euro) it was booked at."""
    if currency == Currency.EUR:
        return amount.quantize(CENT)
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)


# -- the plan in the browser: indicators, layouts, periods, reference data, budget lines -------


@transaction.atomic
def save_plan_record(record: Versioned, *, by: User) -> Versioned:
    """Create or change one piece of the plan (a programme, pillar, indicator, layout, section,
    row, period, budget group or line, service type, location or sub-project). A save made
    from a stale form is refused; the record's own rules are checked first, so a broken one is
    a message; an indicator's parameters must be its computation's, with known values. A
    programme gets its periods as soon as it names its layouts."""
    adding = record._state.adding
    if not adding:
        lock_current_version(record)
    record.full_clean()
    if isinstance(record, Indicator):
        _check_indicator(record)
    if isinstance(record, Period) and not adding:
        _check_period_change(record)
    record.save()
    record_audit(
        AuditAction.CREATE if adding else AuditAction.UPDATE,
        record,
        by=by,
        detail=f"{record._meta.verbose_name}: {record}"[:255],
    )
    if isinstance(record, Programme):
        ensure_periods(record)
    return record


def _check_indicator(indicator):
    if indicator.pillar.programme_id != indicator.programme_id:
        raise ValidationError({"pillar": _("Choose a pillar of the indicator's programme.")})
    check_parameters(indicator.computation, indicator.parameters)
    for name, value in indicator.parameters.items():
        kind = PARAMETER_KINDS[name]
        if kind.boolean:
            continue
        unknown = set(value if kind.many else [value]) - kind.known_values()
        if unknown:
            raise ValidationError(
                _("Unknown %(parameter)s: %(values)s.")
                % {"parameter": kind.label, "values": ", ".join(sorted(unknown))}
            )


def _check_period_change(period):
    saved = Period.objects.get(pk=period.pk)
    if saved.is_locked and saved.layout_id != period.layout_id:
        raise ValidationError(_("This period is locked: its table layout cannot change."))
    if period.layout.programme_id != period.programme_id:
        raise ValidationError({"layout": _("Choose a layout of the period's programme.")})
