"""Forms of the programme plan. None exposes an organisation: views set it from the user, and
every choice list is limited to what the user may pick (pillars.selectors)."""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from nextsteps.bounds import largest_value
from nextsteps.choice_fields import RecordMultipleChoiceField
from nextsteps.forms import OneTimeForm
from nextsteps.versioning import VersionedForm
from nextsteps.widgets import DateInput
from pillars.enums import ActivityKind, Audience, Currency
from pillars.models import (
    Activity,
    Expense,
    Location,
    Period,
    Pillar,
    ResultEntry,
    SafetyNet,
    SubProject,
    Target,
    Volunteer,
)
from pillars.selectors import (
    budget_lines,
    people_to_register,
    periods_for,
    safety_nets_editable_by,
    shows_organisation_column,
    volunteers_to_pick_for,
)
from pillars.services import clear_result, enter_result, set_target, write_remark


def _split_codes(text):
    return list(dict.fromkeys(code.upper() for code in re.split(r"[\s,;]+", text) if code))


class VolunteerChoiceField(RecordMultipleChoiceField):
    def label_from_instance(self, volunteer):
        # Dates as the rest of the interface writes them (31/12/2022, 31.12.2022).
        return _("%(name)s (%(start)s to %(end)s)") % {
            "name": volunteer.name,
            "start": date_format(volunteer.active_from, "SHORT_DATE_FORMAT"),
            "end": date_format(volunteer.active_until, "SHORT_DATE_FORMAT")
            if volunteer.active_until
            else _("now"),
        }


class ActivityForm(OneTimeForm, VersionedForm, forms.ModelForm):
    participants = forms.IntegerField(
        label=_("Participants"),
        min_value=0,
        required=False,
        help_text=_("Everyone who took part; left empty, the number of registered people."),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Organisation-scoped choices: their querysets are set per user in __init__.
    volunteers = VolunteerChoiceField(
        label=_("Volunteers involved"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    safety_net = forms.ModelChoiceField(
        label=_("Safety net"),
        queryset=None,
        required=False,
        help_text=_("Safety-net meetings only."),
    )
    participant_codes = forms.CharField(
        label=_("Registered people who took part"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Codes of your organisation's records (e.g. BET-2022-0042), separated by spaces, "
            "commas or new lines. They make the people countable once each in the indicators."
        ),
    )

    class Meta:
        model = Activity
        fields = [
            "pillar",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "location",
            "sub_project",
            "participants",
            "participant_codes",
            "audiences",
            "online_reach",
            "safety_net",
            "volunteers",
            "description",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "pillar": _("Pillar"),
            "location": _("Location"),
            "sub_project": _("Sub-project"),
            "starts_on": _("Date"),
        }
        help_texts = {
            "online_reach": _("Online campaigns only: people reached, from the ad platform."),
            "ends_on": _("For an activity over several days."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people_to_register(user)
        self.fields["volunteers"].queryset = volunteers_to_pick_for(user)
        self.fields["safety_net"].queryset = safety_nets_editable_by(user)
        if self.instance.pk:
            self.initial["participant_codes"] = "\n".join(
                self.people.filter(participations__activity=self.instance)
                .order_by("code")
                .values_list("code", flat=True)
            )

    def clean_participants(self):
        return self.cleaned_data["participants"] or 0

    def clean_participant_codes(self):
        codes = _split_codes(self.cleaned_data["participant_codes"])
        people = list(self.people.filter(code__in=codes))
        unknown = sorted(set(codes) - {person.code for person in people})
        if unknown:
            # Another organisation's code and a code that does not exist read the same.
            raise ValidationError(
                _("Not a record of your organisation: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        # An erased record stays in the activities it was in (the figures count it there) but
        # joins no other.
        already_in = set(self.initial.get("participant_codes", "").split())
        erased = sorted(p.code for p in people if p.is_erased and p.code not in already_in)
        if erased:
            raise ValidationError(
                _("Erased records cannot be added to an activity: %(codes)s.")
                % {"codes": ", ".join(erased)}
            )
        return people


class VolunteerForm(OneTimeForm, VersionedForm, forms.ModelForm):
    class Meta:
        model = Volunteer
        fields = ["name", "location", "active_from", "active_until"]
        widgets = {"active_from": DateInput(), "active_until": DateInput()}
        help_texts = {
            "name": _("First name and initial are enough."),
            "active_until": _("Leave empty while she or he is still active."),
        }


class SafetyNetForm(OneTimeForm, VersionedForm, forms.ModelForm):
    class Meta:
        model = SafetyNet
        fields = ["name", "location", "sub_project", "started_on", "ended_on"]
        labels = {"sub_project": _("Sub-project")}
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}
        help_texts = {"ended_on": _("Leave empty while the group still meets.")}


class ExpenseForm(OneTimeForm, VersionedForm, forms.ModelForm):
    rate = forms.DecimalField(
        label=_("Exchange rate (lei per euro)"),
        max_digits=10,
        decimal_places=4,
        required=False,
        help_text=_("For amounts in lei: the rate the expense was booked at."),
    )

    class Meta:
        model = Expense
        fields = ["line", "date", "description", "amount", "currency", "rate"]
        labels = {"line": _("Budget line")}
        widgets = {"date": DateInput()}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = budget_lines(programme)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("currency") == Currency.EUR:
            cleaned["rate"] = 1
        elif cleaned.get("currency") and not cleaned.get("rate"):
            self.add_error("rate", _("Give the rate this amount in lei was booked at."))
        return cleaned


class RestatementForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are the published figures restated?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Shown beside each restated figure and in the period's history, e.g. "
            '"late entries of December 2022 from Oradea". No names of people.'
        ),
    )


class CustomPeriodForm(OneTimeForm, forms.ModelForm):
    class Meta:
        model = Period
        fields = ["label", "title", "start_date", "end_date", "layout"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {"label": _("e.g. 2023-Q1")}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layout"].queryset = programme.layouts.all()


def plan_line_key(line, period_locked):
    return f"{line.key}:{'locked' if period_locked else 'open'}"


class PlanLineForm(forms.Form):
    """One line of a pillar's plan: the target and a hand-entered result (or override) of its
    indicator, and the Remarks cell of its printed row. Fields a line has no use for are left
    out (a header row has only a remark; an unprinted indicator has no remark)."""

    # Which line the form was drawn for: a table that changed since it was opened is refused.
    line_key = forms.CharField(widget=forms.HiddenInput)
    target = forms.IntegerField(
        label=_("Target"),
        min_value=0,
        max_value=largest_value(Target, "value"),
        required=False,
    )
    result = forms.IntegerField(
        label=_("Result entered by hand"),
        min_value=0,
        max_value=largest_value(ResultEntry, "value"),
        required=False,
    )
    reason = forms.CharField(label=_("Reason or source"), max_length=300, required=False)
    remark = forms.CharField(
        label=_("Remark"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, line, period_locked, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        # Drawn for this line in this state of the period: a period locked in the meantime
        # would otherwise drop the targets and results typed in without a word.
        self.expected_key = plan_line_key(line, period_locked)
        # A locked period's figures and targets are final; its remarks can still explain them.
        if not line.edits_indicator or period_locked:
            for name in ("target", "result", "reason"):
                del self.fields[name]
        if line.row is None:
            del self.fields["remark"]
        for field in self.fields.values():
            field.widget.attrs.update(
                {"class": "form-control form-control-sm", "aria-label": f"{field.label}: {line}"}
            )
        placeholders = {
            "result": _("figure"),
            "reason": _("reason (needed to override)")
            if line.indicator and not line.indicator.is_manual
            else _("source"),
        }
        for name, placeholder in placeholders.items():
            if name in self.fields:
                self.fields[name].widget.attrs["placeholder"] = placeholder

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("line_key") != self.expected_key:
            raise ValidationError(_("The table changed since you opened it; reload the page."))
        indicator = self.line.indicator
        overrides = (
            indicator is not None
            and not indicator.is_manual
            and cleaned.get("result") is not None
            and "result" in self.fields
        )
        if overrides and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Overriding a computed figure needs a reason."))
        return cleaned

    def save(self, period, *, by):
        changed = set(self.changed_data)
        indicator = self.line.indicator
        if "target" in changed:
            set_target(indicator, period, self.cleaned_data["target"], by=by)
        if changed & {"result", "reason"}:
            if self.cleaned_data["result"] is None:
                clear_result(indicator, period, by=by)
            else:
                enter_result(
                    indicator,
                    period,
                    self.cleaned_data["result"],
                    reason=self.cleaned_data["reason"],
                    by=by,
                )
        if "remark" in changed:
            write_remark(self.line.row, period, self.cleaned_data["remark"], by=by)


class BasePlanFormSet(forms.BaseFormSet):
    def __init__(self, *args, lines, period_locked, **kwargs):
        self.lines = lines
        self.period_locked = period_locked
        kwargs["initial"] = [
            {
                "line_key": plan_line_key(line, period_locked),
                "target": line.target,
                "result": line.figure.entry.value if line.figure and line.figure.entry else None,
                "reason": line.figure.entry.reason if line.figure and line.figure.entry else "",
                "remark": line.remark,
            }
            for line in lines
        ]
        super().__init__(*args, **kwargs)
        self.max_num = self.absolute_max = len(lines)

    def total_form_count(self):
        # One form per line drawn, whatever count was posted: a tampered count neither reaches
        # get_form_kwargs with a line that does not exist nor leaves lines without a form.
        return len(self.lines)

    def clean(self):
        super().clean()
        posted = self.management_form.cleaned_data.get("TOTAL_FORMS")
        if self.is_bound and posted != len(self.lines):
            raise ValidationError(_("The table changed since you opened it; reload the page."))

    def get_form_kwargs(self, index):
        return {"line": self.lines[index], "period_locked": self.period_locked}


PlanFormSet = forms.formset_factory(PlanLineForm, formset=BasePlanFormSet, extra=0)


ANY = _("any")


class ActivityFilter(django_filters.FilterSet):
    """Filters of the activity list; the organisation filter is for partnership-wide roles."""

    pillar = django_filters.ModelChoiceFilter(
        label=_("Pillar"), queryset=Pillar.objects.all(), empty_label=ANY
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ActivityKind.choices, empty_label=ANY
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.all(), empty_label=ANY
    )
    location = django_filters.ModelChoiceFilter(
        label=_("Location"), queryset=Location.objects.all(), empty_label=ANY
    )
    sub_project = django_filters.ModelChoiceFilter(
        label=_("Sub-project"), queryset=SubProject.objects.all(), empty_label=ANY
    )
    period = django_filters.ModelChoiceFilter(
        label=_("Period"),
        queryset=Period.objects.none(),
        method="in_period",
        to_field_name="public_id",
        empty_label=ANY,
    )
    title = django_filters.CharFilter(label=_("Title"), lookup_expr="icontains")

    class Meta:
        model = Activity
        fields = ["pillar", "kind", "organisation", "location", "sub_project", "period", "title"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["period"].queryset = periods_for(user)
        if not shows_organisation_column(user):
            del self.filters["organisation"]

    def in_period(self, queryset, name, period):
        return queryset.filter(starts_on__range=(period.start_date, period.end_date))
