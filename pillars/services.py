"""Domain functions of the programme plan: the only code that changes its tables. Each does its
checks, its writes and its audit row in one transaction."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import AuditAction
from accounts.services import record_audit
from pillars.computations import compute
from pillars.enums import Currency, PeriodKind
from pillars.models import FrozenResult, Indicator, Period, ResultEntry

CENT = Decimal("0.01")


def generate_periods(programme, *, year_layout, programme_layout):
    """The programme's reporting periods: each calendar year it touches (cut to the programme's
    dates, so 2021 runs from August) and the whole programme. Idempotent."""
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


def _period(programme, kind, label, start, end, layout):
    period, _created = Period.objects.update_or_create(
        programme=programme,
        label=label,
        defaults={"kind": kind, "start_date": start, "end_date": end, "layout": layout},
    )
    return period


@transaction.atomic
def lock_period(period, *, by):
    """Freeze the period's computed figures: later edits to the records no longer change what
    its table shows, and a figure that stops matching is flagged for restatement."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise ValidationError(_("This period is already locked."))
    _freeze(period)
    period.locked_at = timezone.now()
    period.locked_by = by
    period.save(update_fields=["locked_at", "locked_by"])
    record_audit(AuditAction.UPDATE, period, by=by, detail=f"locked period {period.label}")
    return period


@transaction.atomic
def restate_period(period, *, by):
    """Re-freeze a locked period's figures at what the records compute now."""
    if not period.is_locked:
        raise ValidationError(_("Only a locked period can be restated."))
    FrozenResult.objects.filter(period=period).delete()
    _freeze(period)
    record_audit(AuditAction.UPDATE, period, by=by, detail=f"restated period {period.label}")


@transaction.atomic
def unlock_period(period, *, by):
    FrozenResult.objects.filter(period=period).delete()
    period.locked_at = None
    period.locked_by = None
    period.save(update_fields=["locked_at", "locked_by"])
    record_audit(AuditAction.UPDATE, period, by=by, detail=f"unlocked period {period.label}")


def _freeze(period):
    indicators = Indicator.objects.filter(programme=period.programme)
    figures = compute(indicators, period.start_date, period.end_date)
    FrozenResult.objects.bulk_create(
        FrozenResult(period=period, indicator_id=indicator_id, value=value)
        for indicator_id, value in figures.items()
    )


@transaction.atomic
def enter_result(indicator, period, value, *, reason, by):
    """Enter the figure of a hand-entered indicator, or override a computed one (which needs a
    reason, shown beside the figure)."""
    if not indicator.is_manual and not reason.strip():
        raise ValidationError(_("Overriding a computed figure needs a reason."))
    if period.is_locked:
        raise ValidationError(_("The period is locked; unlock it to change its figures."))
    entry, _created = ResultEntry.objects.update_or_create(
        indicator=indicator,
        period=period,
        defaults={
            "value": value,
            "reason": reason.strip(),
            "entered_by": by,
            "entered_at": timezone.now(),
        },
    )
    record_audit(AuditAction.UPDATE, indicator, by=by, detail=f"result {value} for {period.label}")
    return entry


def amount_in_euros(amount: Decimal, currency: str, rate: Decimal) -> Decimal:
    """An expense in euros, at the rate (lei per euro) it was booked at."""
    if currency == Currency.EUR:
        return amount.quantize(CENT)
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)
