"""Filters of the data protection officer's audit-log viewer."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import AuditAction
from accounts.models import Organisation, User
from nextsteps.bounds import date_in_calendar_validators
from nextsteps.widgets import QuickSelect

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class UserChoiceField(forms.ModelChoiceField):
    # Display names repeat ("Demo caseworker" in every organisation); addresses do not.
    def label_from_instance(self, user):
        return user.email


class UserFilter(django_filters.ModelChoiceFilter):
    field_class = UserChoiceField


def start_of_day(day):
    """Dates in the viewer are days of the viewer's time zone, like the times it shows."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


class AuditEventFilter(django_filters.FilterSet):
    # Every user and organisation of a national network: options written without a template.
    actor = UserFilter(
        label=_("User"),
        queryset=User.objects.order_by("email"),
        to_field_name="public_id",
        widget=QuickSelect,
    )
    # Whose staff did it, and whose record it was: a partner's caseworker reading a referred
    # person's file is one organisation's user on another organisation's record.
    user_organisation = django_filters.ModelChoiceFilter(
        label=_("User's organisation"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        field_name="actor__membership__organisation",
        widget=QuickSelect,
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Record's organisation"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        widget=QuickSelect,
    )
    record = django_filters.CharFilter(
        label=_("Record"),
        method="filter_record",
        help_text=_("A record's code, e.g. BET-2023-0042"),
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditAction.choices, widget=QuickSelect
    )
    occurred_from = django_filters.DateFilter(
        label=_("From"),
        method="filter_from",
        widget=DATE_INPUT,
        validators=date_in_calendar_validators(),
    )
    occurred_until = django_filters.DateFilter(
        label=_("Until"),
        method="filter_until",
        widget=DATE_INPUT,
        validators=date_in_calendar_validators(),
    )

    def filter_record(self, events, name, value):
        return events.filter(object_reference=value.strip())

    def filter_from(self, events, name, value):
        return events.filter(occurred_at__gte=start_of_day(value))

    def filter_until(self, events, name, value):
        return events.filter(occurred_at__lt=start_of_day(value + timedelta(days=1)))

    def summary(self) -> str:
        """The filters in force, for the audit row of an export."""
        used = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            if isinstance(value, User):
                value = value.public_id
            elif isinstance(value, Organisation):
                value = value.slug
            used.append(f"{name}={value}")
        return "; ".join(used) or "no filter"
