from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from nextsteps.widgets import DateInput
from pillars import selectors as pillar_selectors
from reports import selectors
from reports.tables import custom_period

ALL_FILTERS = ("period", "range", "pillar", "organisation", "location", "sub_project")


def _optional_choice(to_field_name, label, empty_label):
    """A filter picked by its slug or code (readable in the URL); its queryset is the user's."""
    return forms.ModelChoiceField(
        queryset=None,
        to_field_name=to_field_name,
        required=False,
        label=label,
        empty_label=empty_label,
    )


class ReportFilterForm(forms.Form):
    """What a report shows: a period (or a custom range), a pillar and the filters. Read from the
    query string; every choice is limited to what the user may pick. An organisation role gets
    no organisation field: its reports are always its own organisation's."""

    period = forms.ModelChoiceField(
        queryset=None, to_field_name="label", required=False, label=_("Period")
    )
    start = forms.DateField(required=False, label=_("Custom range from"), widget=DateInput)
    end = forms.DateField(required=False, label=_("until"), widget=DateInput)
    pillar = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Pillar"))
    organisation = _optional_choice("slug", _("Organisation"), _("All organisations"))
    location = _optional_choice("code", _("Location"), _("All locations"))
    sub_project = _optional_choice("code", _("Sub-project"), _("All sub-projects"))

    def __init__(self, user, data=None, *, fields=ALL_FILTERS):
        super().__init__(data or None)
        self.user = user
        self.fields["period"].queryset = selectors.periods_for(user)
        self.fields["period"].empty_label = None
        self.fields["pillar"].choices = [("", _("All pillars"))] + [
            (number, _("Pillar %(number)s") % {"number": number})
            for number in sorted(set(selectors.pillars_for(user).values_list("number", flat=True)))
        ]
        self.fields["organisation"].queryset = selectors.organisations_for(user)
        self.fields["location"].queryset = selectors.locations_for(user)
        self.fields["sub_project"].queryset = selectors.sub_projects_for(user)
        shown = set(fields)
        if not selectors.sees_whole_partnership(user):
            shown.discard("organisation")
        if "range" not in shown:
            del self.fields["start"], self.fields["end"]
        for name in ALL_FILTERS:
            if name in self.fields and name not in shown:
                del self.fields[name]
        if "period" in self.fields and not self.data.get("period"):
            # Without a choice the report shows the default period: the menu must say so.
            self.fields["period"].initial = self.default_period

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("A custom range needs both a start and an end date."))
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The custom range ends before it starts."))
            programme = self._programme(cleaned)
            if programme is None or start < programme.start_date or end > programme.end_date:
                raise forms.ValidationError(
                    _("A custom range must lie within the programme (%(start)s to %(end)s).")
                    % {
                        "start": programme.start_date if programme else "",
                        "end": programme.end_date if programme else "",
                    }
                )
        return cleaned

    @cached_property
    def default_period(self):
        return default_period(self.user)

    def _programme(self, cleaned):
        period = cleaned.get("period") or self.default_period
        return period.programme if period else None

    # -- what the report shows -----------------------------------------------------------------

    def selected_period(self):
        """The chosen period, a custom range as an unsaved period, or the default period."""
        cleaned = self.cleaned_data if self.is_bound else {}
        period = cleaned.get("period") or self.default_period
        if cleaned.get("start") and period is not None:
            return custom_period(period.programme, cleaned["start"], cleaned["end"])
        return period

    def report_filters(self):
        cleaned = self.cleaned_data if self.is_bound else {}
        return selectors.report_filters_for(
            self.user,
            organisation=cleaned.get("organisation"),
            location=cleaned.get("location"),
            sub_project=cleaned.get("sub_project"),
        )

    def selected_pillar(self):
        return self.cleaned_data.get("pillar") if self.is_bound else None

    def query_string(self, **changes):
        """The form's values as a query string, e.g. for the export links of the same report."""
        query = QueryDict(mutable=True)
        if self.is_bound:
            for name in self.fields:
                value = self.data.get(name)
                if value:
                    query[name] = value
        for name, value in changes.items():
            if value in (None, ""):
                query.pop(name, None)
            else:
                query[name] = value
        return query.urlencode()


def default_period(user, today=None):
    return pillar_selectors.default_period(
        selectors.periods_for(user), today or timezone.localdate()
    )
