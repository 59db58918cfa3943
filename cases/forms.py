"""Forms of casework. None exposes the organisation, the code, who recorded what or a referral's
status: views and services set those from the user. Every choice list is limited to what the
user may pick."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.contrib.auth import password_validation
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.selectors import partner_organisations
from cases.enums import (
    OPEN_GOAL_STATUSES,
    OPEN_REFERRAL_STATUSES,
    ClosureReason,
    ConsentAction,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    ErasureGround,
    ExploitationType,
    GoalStatus,
    IdentityKind,
    OutcomeKind,
    ReferralStatus,
    country_choices,
)
from cases.identity_index import (
    MATCHED_FIELDS,
    SEARCHABLE_KINDS,
    LikelyMatches,
    likely_matches,
    search_digest,
)
from cases.models import Assistance, Beneficiary, GoalType, Outcome, Referral, ServiceType
from cases.selectors import beneficiaries_for, caseworkers_of, goals_of
from cases.services import (
    DEFAULT_DAYS_TO_ANSWER,
    ConsentInStep,
    HistoricReferral,
    check_historic_referral,
    current_consent,
)
from cases.sharing import CHOOSABLE_SHARED_FIELDS, DEFAULTS_BY_SERVICE, SAFE_CONTACT_HELP
from nextsteps.choice_fields import RecordChoiceField, RecordMultipleChoiceField
from nextsteps.forms import OneTimeForm
from nextsteps.office_files import MINIMUM_PASSWORD_LENGTH
from nextsteps.versioning import VersionedForm
from nextsteps.widgets import DateInput
from pillars.models import SubProject

SAFE_CONTACT_FIELDS = Referral.SAFE_CONTACT_FIELDS


def _not_in_the_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."))
    return value


class CaseworkForm:
    """Crispy rendering without its own <form> tag: templates wrap the fields and buttons."""

    def _set_up_helper(self, *layout):
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The one-time token and the version are hidden fields outside any fieldset.
        self.helper.render_hidden_fields = True
        if layout:
            self.helper.layout = Layout(*layout)


# -- people ----------------------------------------------------------------------------------------

PERSON_FIELDS = (
    "alias",
    "category",
    "sex",
    "birth_year",
    "nationality",
    "location",
    "intake_date",
    "intake_source",
    "dependants",
)
SAFETY_FIELDS = ("safety_flag", "safety_reason")
EXPLOITATION_FIELDS = (
    "exploitation_types",
    "recruiter_relation",
    "country_of_recruitment",
    "countries_of_exploitation",
)
IDENTITY_FIELDS = Beneficiary.IDENTITY_FIELDS


COUNTRY_LISTS = {
    "nationality": "select",
    "country_of_recruitment": "select",
    "countries_of_exploitation": "checkboxes",
}


class BeneficiaryForm(CaseworkForm, forms.ModelForm):
    exploitation_types = forms.MultipleChoiceField(
        label=_("Types of exploitation"),
        choices=ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries_of_exploitation = forms.MultipleChoiceField(
        label=_("Countries of exploitation"),
        choices=country_choices,
        required=False,
        # Tick boxes in a box that scrolls, with a filter above it (static/js/searchable.js):
        # several countries by touch or by keyboard, no "hold Ctrl".
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Beneficiary
        fields = (*PERSON_FIELDS, *SAFETY_FIELDS, *EXPLOITATION_FIELDS, *IDENTITY_FIELDS)
        widgets = {
            "intake_date": DateInput,
            "safety_reason": forms.TextInput,
            "legal_name": forms.TextInput,
            "phone": forms.TextInput,
            "document_numbers": forms.TextInput,
            "address": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "date_of_birth": {
                "invalid": _("Write the date of birth as a date, e.g. 1999-03-12 or 12/03/1999.")
            }
        }

    new_person_reason = forms.CharField(
        label=_("Why is this a new person?"),
        help_text=_(
            "Only if you are sure this is not the same person. Kept in the person's notes "
            "journal; the audit log records that a possible duplicate was kept."
        ),
        required=False,
        max_length=1000,
        # Shown only once the form warned about a possible duplicate (see _hold_likely_matches).
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The organisation the person is (being) registered in; None checks no duplicates.
        self.organisation = organisation
        self.likely_matches = LikelyMatches()
        self._set_up_helper("new_person_reason", *self._fieldsets())
        self._make_country_lists_searchable()

    def _make_country_lists_searchable(self):
        """Two hundred and fifty countries: a filter box above each list (searchable.js)."""
        for name, kind in COUNTRY_LISTS.items():
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"data-searchable": kind, "data-filter-label": _("Type to filter the list")}
                )

    def _fieldsets(self):
        return [
            Fieldset(_("Person"), *PERSON_FIELDS, *self._extra_person_fields()),
            Fieldset(_("Safety"), *SAFETY_FIELDS),
            Fieldset(_("Exploitation (IOM case data standard)"), *EXPLOITATION_FIELDS),
            Fieldset(_("Identity (encrypted; only your organisation sees it)"), *IDENTITY_FIELDS),
        ]

    def _extra_person_fields(self):
        return ()

    def clean_intake_date(self):
        return _not_in_the_future(self.cleaned_data.get("intake_date"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("safety_flag") and not (cleaned.get("safety_reason") or "").strip():
            self.add_error(
                "safety_reason",
                _("Say in a few words what the danger is, so every colleague knows."),
            )
        birth_year, intake = cleaned.get("birth_year"), cleaned.get("intake_date")
        if birth_year and intake and birth_year > intake.year:
            self.add_error("birth_year", _("The birth year is after the intake date."))
        self._check_date_of_birth(cleaned)
        if not self.errors:
            self._hold_likely_matches(cleaned)
        return cleaned

    def _hold_likely_matches(self, cleaned):
        """Records that may be this person (cases.identity_index): the form shows them and goes
        on only with a reason why she is a new person."""
        if self.organisation is None or not self._matched_fields_changed():
            return
        candidate = Beneficiary(
            pk=self.instance.pk,
            organisation=self.organisation,
            **{name: cleaned.get(name) for name in MATCHED_FIELDS},
        )
        self.likely_matches = likely_matches(candidate, organisation=self.organisation)
        if not self.likely_matches:
            return
        self.fields["new_person_reason"].widget = forms.Textarea(attrs={"rows": 2})
        if not (cleaned.get("new_person_reason") or "").strip():
            self.add_error(
                "new_person_reason",
                _("This person may already have a record: say why this is a new person to go on."),
            )

    def _matched_fields_changed(self):
        # A new person is always checked; an edit only when it changes what matching reads.
        return self.instance.pk is None or bool(set(self.changed_data) & set(MATCHED_FIELDS))

    def _check_date_of_birth(self, cleaned):
        """The date of birth (a date, however it was typed: nextsteps.fields.TypedDateField)
        agrees with the birth year, which it fills when empty, and is not after the intake."""
        born = cleaned.get("date_of_birth")
        if not born:
            return
        intake = cleaned.get("intake_date")
        if intake and born > intake:
            self.add_error("date_of_birth", _("The date of birth is after the intake date."))
        birth_year = cleaned.get("birth_year")
        if birth_year and birth_year != born.year:
            self.add_error(
                "date_of_birth",
                _("The date of birth is in %(year)s, the birth year says %(birth_year)s.")
                % {"year": born.year, "birth_year": birth_year},
            )
        if not birth_year:
            cleaned["birth_year"] = born.year


class BeneficiaryCreateForm(OneTimeForm, BeneficiaryForm):
    processing_consent = forms.BooleanField(
        label=_("The person consents to our organisation processing this data"),
        help_text=_("Required to register a person. Recorded as consent given on the intake date."),
        error_messages={"required": _("A person can only be registered with their consent.")},
    )

    def _extra_person_fields(self):
        return ("processing_consent",)


class BeneficiaryUpdateForm(VersionedForm, BeneficiaryForm):
    """The record's facts. Its status changes only by closing or reopening the case (with a
    reason and a date), never here."""


# -- consent ---------------------------------------------------------------------------------------


class ConsentForm(OneTimeForm, CaseworkForm, forms.Form):
    # Consent to a transfer is recorded with the transfer's request (TransferForm).
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[
            (value, label)
            for value, label in ConsentPurpose.choices
            if value != ConsentPurpose.TRANSFER
        ],
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=None,
        required=False,
        help_text=_("For sharing only: the organisation the record may be shared with."),
    )
    action = forms.ChoiceField(
        label=_("Consent"), choices=ConsentAction.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partner_organisations(user)
        self._set_up_helper()

    def clean_on(self):
        return _not_in_the_future(self.cleaned_data.get("on"))

    def clean(self):
        cleaned = super().clean()
        purpose, partner = cleaned.get("purpose"), cleaned.get("partner")
        if purpose == ConsentPurpose.SHARING and partner is None:
            self.add_error("partner", _("Name the organisation the record may be shared with."))
        if purpose and purpose != ConsentPurpose.SHARING and partner is not None:
            self.add_error("partner", _("Only consent to sharing names a partner organisation."))
        return cleaned


# -- assistance and outcomes -----------------------------------------------------------------------


class AssistanceForm(OneTimeForm, CaseworkForm, forms.ModelForm):
    class Meta:
        model = Assistance
        fields = ("service_type", "date", "quantity", "unit", "sub_project", "note")
        widgets = {"date": DateInput, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.filter(is_active=True)
        self.fields["sub_project"].initial = SubProject.objects.order_by("id").first()
        self.fields["unit"].help_text = _("Left empty: the service's usual unit.")
        self._set_up_helper()

    def clean_date(self):
        return _not_in_the_future(self.cleaned_data.get("date"))

    def clean(self):
        cleaned = super().clean()
        service = cleaned.get("service_type")
        if cleaned.get("quantity") is not None and not cleaned.get("unit") and service:
            cleaned["unit"] = service.default_unit
            self.instance.unit = service.default_unit
        return cleaned

    @property
    def assistance_fields(self):
        """The entry's own fields, for cases.services.log_assistance."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BulkAssistanceForm(AssistanceForm):
    """The same help for several people at once. Only the people picked on the list are
    offered; a code that is not one of the organisation's people makes the whole form invalid."""

    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=None,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("%(value)s is not one of your organisation's people."),
            "required": _("Pick at least one person."),
        },
    )

    def __init__(self, *args, user, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = beneficiaries_for(user).not_erased().filter(code__in=codes)
        self.initial.setdefault("people", list(codes))
        self.fields["people"].label_from_instance = lambda person: f"{person.code} · {person.alias}"
        self.fields = {"people": self.fields.pop("people"), **self.fields}


class OutcomeForm(OneTimeForm, CaseworkForm, forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ("kind", "date", "note")
        widgets = {"date": DateInput, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_helper()

    def clean_date(self):
        return _not_in_the_future(self.cleaned_data.get("date"))


# -- corrections and voids of logged entries ------------------------------------------------------


class EntryChangeForm(CaseworkForm):
    """What every correction or void asks: why, the confirmation for a locked period, and the
    moment of the last change the user saw (a stale form is refused, nothing lost)."""

    def _add_change_fields(self, *, entry, reason_label, locked_periods_exist):
        self.fields["reason"] = forms.CharField(
            label=reason_label,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": _("Say why.")},
        )
        self.fields["seen"] = forms.CharField(
            required=False,
            widget=forms.HiddenInput,
            initial=entry.changed_at.isoformat() if entry.changed_at else "",
        )
        if locked_periods_exist:
            self.fields["confirm_locked"] = forms.BooleanField(
                label=_(
                    "I know that a locked period keeps its published figures; this change is "
                    "flagged for restatement."
                ),
                required=False,
            )

    def clean_seen(self):
        seen = self.cleaned_data.get("seen")
        if not seen:
            return None
        moment = parse_datetime(seen)
        if moment is None:
            raise forms.ValidationError(_("Open the entry again."))
        return moment

    @property
    def change_arguments(self):
        """The arguments of the domain function besides the changed values."""
        return {
            "reason": self.cleaned_data["reason"],
            "seen_changed_at": self.cleaned_data["seen"],
            "confirm_locked": self.cleaned_data.get("confirm_locked", False),
        }


class AssistanceCorrectionForm(EntryChangeForm, AssistanceForm):
    def __init__(self, *args, locked_periods_exist, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_change_fields(
            entry=self.instance,
            reason_label=_("Why is the entry corrected?"),
            locked_periods_exist=locked_periods_exist,
        )
        # Offered again even if the service is no longer in use: it is what was logged.
        self.fields["service_type"].queryset = ServiceType.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.service_type_id)
        )


class OutcomeCorrectionForm(EntryChangeForm, OutcomeForm):
    def __init__(self, *args, locked_periods_exist, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_change_fields(
            entry=self.instance,
            reason_label=_("Why is the outcome corrected?"),
            locked_periods_exist=locked_periods_exist,
        )

    @property
    def outcome_fields(self):
        return {name: self.cleaned_data[name] for name in OutcomeForm.Meta.fields}


class VoidForm(EntryChangeForm, forms.Form):
    def __init__(self, *args, entry, locked_periods_exist, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_change_fields(
            entry=entry,
            reason_label=_("Why is the entry voided?"),
            locked_periods_exist=locked_periods_exist,
        )
        self._set_up_helper()


# -- the case plan, tasks and notes ----------------------------------------------------------------


class GoalForm(CaseworkForm, forms.Form):
    goal_type = forms.ModelChoiceField(
        label=_("Goal"), queryset=None, required=False, empty_label=_("— in words only —")
    )
    title = forms.CharField(
        label=_("In words"),
        required=False,
        max_length=500,
        help_text=_("What the person aims for, e.g. a place in the sewing course in September."),
    )
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    target_date = forms.DateField(label=_("Aimed for by"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_type"].queryset = GoalType.objects.filter(is_active=True)
        self._set_up_helper()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("goal_type") and not (cleaned.get("title") or "").strip():
            raise forms.ValidationError(_("Pick a goal from the list or say it in words."))
        return cleaned


class GoalStatusForm(CaseworkForm, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)
    record_outcome = forms.BooleanField(
        label=_("Record the matching outcome too"), required=False, initial=True
    )

    def __init__(self, *args, goal, **kwargs):
        super().__init__(*args, **kwargs)
        kind = goal.goal_type.outcome_kind if goal.goal_type else ""
        if kind:
            self.fields["record_outcome"].help_text = _(
                "When the goal is achieved: the outcome “%(outcome)s” on the same date."
            ) % {"outcome": OutcomeKind(kind).label}
        else:
            del self.fields["record_outcome"]
        self._set_up_helper()

    def clean_on(self):
        return _not_in_the_future(self.cleaned_data.get("on"))


class TaskForm(CaseworkForm, forms.Form):
    title = forms.CharField(
        label=_("What to do"),
        max_length=500,
        help_text=_("e.g. Court hearing 12 May: check the shelter place"),
    )
    due_date = forms.DateField(label=_("Due"), widget=DateInput)
    assignee = forms.ModelChoiceField(label=_("Who does it"), queryset=None)
    goal = forms.ModelChoiceField(
        label=_("For the goal"), queryset=None, required=False, empty_label=_("— none —")
    )

    def __init__(self, *args, user, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = caseworkers_of(user)
        self.fields["assignee"].initial = user.pk
        self.fields["assignee"].label_from_instance = lambda member: member.email
        self.fields["goal"].queryset = goals_of(person).filter(status__in=OPEN_GOAL_STATUSES)
        self.fields["goal"].label_from_instance = lambda goal: goal.label
        self.fields["due_date"].initial = timezone.localdate() + timedelta(days=7)
        self._set_up_helper()


class NoteForm(CaseworkForm, forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    written_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_helper()

    def clean_written_on(self):
        return _not_in_the_future(self.cleaned_data.get("written_on"))


class NoteCorrectionForm(CaseworkForm, forms.Form):
    text = forms.CharField(label=_("Corrected note"), widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(
        label=_("Why is it corrected?"),
        max_length=500,
        error_messages={"required": _("Say why the note is corrected.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_helper()


# -- closing and reopening a case ------------------------------------------------------------------


class CloseCaseForm(CaseworkForm, forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosureReason.choices)
    on = forms.DateField(label=_("Closed on"), initial=timezone.localdate, widget=DateInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_helper()

    def clean_on(self):
        return _not_in_the_future(self.cleaned_data.get("on"))


class ReopenCaseForm(CaseworkForm, forms.Form):
    reason = forms.CharField(
        label=_("Why is the case reopened?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the case is reopened.")},
    )
    on = forms.DateField(label=_("Reopened on"), initial=timezone.localdate, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_helper()

    def clean_on(self):
        return _not_in_the_future(self.cleaned_data.get("on"))


# -- referrals -------------------------------------------------------------------------------------


class ServiceCheckboxes(forms.CheckboxSelectMultiple):
    """The services asked for, each naming (data-shares) the fields its help usually needs, so
    that static/js/referral_sharing.js ticks them in "What the partner sees"."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        service = getattr(value, "instance", None)
        if service is not None:
            option["attrs"]["data-shares"] = " ".join(DEFAULTS_BY_SERVICE.get(service.code, ()))
        return option


def _shareable_choices():
    return [
        (name, Beneficiary._meta.get_field(name).verbose_name.capitalize())
        for name in CHOOSABLE_SHARED_FIELDS
    ]


class ReferralForm(OneTimeForm, CaseworkForm, forms.ModelForm):
    """A referral with, in the same step, the person's consent to share with the partner when
    it is not recorded yet, what the partner sees of her, and how to reach her safely."""

    consent_given = forms.BooleanField(
        label=_("The person consents to sharing the record with this partner"),
        required=False,
        help_text=_(
            "Needed only when the person's consent to share with this partner is not recorded."
        ),
    )
    consent_given_by = forms.ChoiceField(
        label=_("Consent given by"),
        choices=[("", "---------"), *ConsentGiver.choices],
        required=False,
    )
    consent_method = forms.ChoiceField(
        label=_("How"), choices=[("", "---------"), *ConsentMethod.choices], required=False
    )
    consent_date = forms.DateField(
        label=_("Date of consent"), initial=timezone.localdate, required=False, widget=DateInput
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Also show the partner"),
        choices=_shareable_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # A referral made in the past, entered now (earlier years' history).
    sent_on = forms.DateField(
        label=_("Sent on"),
        required=False,
        widget=DateInput,
        help_text=_(
            "Leave empty for a referral sent today. For one made in the past (bringing in "
            "earlier years), give the day it was sent: not before the intake, not in the future."
        ),
    )
    late_reason = forms.CharField(
        label=_("Why it is entered with a past date"),
        required=False,
        max_length=500,
        help_text=_("Needed with a past date, e.g. “2022 referrals from the old spreadsheet”."),
    )
    became = forms.ChoiceField(
        label=_("What became of it"),
        choices=ReferralStatus.choices,
        initial=ReferralStatus.SENT,
        required=False,
        help_text=_(
            "With a past date only. The reports count it in the year it was sent, under this "
            "status."
        ),
    )
    answered_on = forms.DateField(
        label=_("Answered on"),
        required=False,
        widget=DateInput,
        help_text=_("The day the partner accepted or declined it (empty: the day it was sent)."),
    )
    closed_on = forms.DateField(
        label=_("Completed or withdrawn on"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: the day it was answered."),
    )

    class Meta:
        model = Referral
        fields = ("to_organisation", "services", "due_date", "message", *SAFE_CONTACT_FIELDS)
        field_classes = {
            "to_organisation": RecordChoiceField,
            "services": RecordMultipleChoiceField,
        }
        widgets = {
            "services": ServiceCheckboxes,
            "due_date": DateInput,
            "message": forms.Textarea(attrs={"rows": 3}),
            **dict.fromkeys(SAFE_CONTACT_FIELDS, forms.TextInput),
        }

    def __init__(self, *args, user, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["to_organisation"].queryset = partner_organisations(user)
        self.fields["services"].queryset = ServiceType.objects.filter(is_active=True)
        self.fields["due_date"].initial = timezone.localdate() + timedelta(
            days=DEFAULT_DAYS_TO_ANSWER
        )
        self.fields["message"].help_text = _(
            "What the partner needs to know to help. Identity details go under “What the "
            "partner sees”, never here."
        )
        self.fields["shared_fields"].help_text = _(
            "The partner always sees the person's code, alias, category, sex, birth year and "
            "whether there is a safety concern; tick what else the help asked for needs (the usual "
            "fields of each service are ticked when you pick it). The partner sees them while "
            "the referral is accepted and the person consents, and every look is logged."
        )
        self.fields["safe_phone"].help_text = SAFE_CONTACT_HELP
        self._set_up_helper(
            Fieldset(_("Referral"), "to_organisation", "services", "due_date", "message"),
            Fieldset(
                _("The person's consent to share with this partner"),
                "consent_given",
                "consent_given_by",
                "consent_method",
                "consent_date",
            ),
            Fieldset(_("What the partner sees"), "shared_fields"),
            Fieldset(_("Safe contact"), *SAFE_CONTACT_FIELDS),
            Fieldset(
                _("A referral made in the past"),
                "sent_on",
                "late_reason",
                "became",
                "answered_on",
                "closed_on",
            ),
        )
        # A referral of the past had its answer date then; one sent today needs it.
        self.fields["due_date"].required = False

    def clean_consent_date(self):
        return _not_in_the_future(self.cleaned_data.get("consent_date"))

    def _historic(self, cleaned) -> HistoricReferral | None:
        """The referral of the past the form describes (None: one sent today); its reason and
        dates checked as the domain function checks them, each error on its field."""
        sent_on = cleaned.get("sent_on")
        if "sent_on" in self.errors or sent_on is None or sent_on == timezone.localdate():
            return None
        historic = HistoricReferral(
            sent_on=sent_on,
            reason=cleaned.get("late_reason", ""),
            status=cleaned.get("became") or ReferralStatus.SENT,
            answered_on=cleaned.get("answered_on"),
            closed_on=cleaned.get("closed_on"),
        )
        try:
            check_historic_referral(historic, self.person)
        except forms.ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name, message)
            return None
        return historic

    def clean(self):
        cleaned = super().clean()
        cleaned["consent"] = None
        cleaned["historic"] = historic = self._historic(cleaned)
        due = cleaned.get("due_date")
        if historic is None and "due_date" not in self.errors:
            if due is None:
                self.add_error("due_date", _("Give the date an answer is needed by."))
            elif due < timezone.localdate():
                self.add_error(
                    "due_date", _("The date an answer is needed by cannot be in the past.")
                )
        partner = cleaned.get("to_organisation")
        # A closed referral of the past shares nothing now: no consent to record for it.
        closed_in_the_past = historic is not None and historic.status not in OPEN_REFERRAL_STATUSES
        if (
            partner is None
            or closed_in_the_past
            or current_consent(self.person, ConsentPurpose.SHARING, partner) == ConsentAction.GIVEN
        ):
            return cleaned
        if not cleaned.get("consent_given"):
            self.add_error(
                "consent_given",
                _(
                    "The person has not consented to sharing the record with %(partner)s yet. "
                    "Ask; if the person agrees, tick this and say who gave consent, how and when."
                )
                % {"partner": partner.name},
            )
            return cleaned
        missing = {
            "consent_given_by": _("Say who gave consent."),
            "consent_method": _("Say how consent was given."),
            "consent_date": _("Give the date of consent."),
        }
        for name, message in missing.items():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        if not self.errors:
            cleaned["consent"] = ConsentInStep(
                given_by=cleaned["consent_given_by"],
                method=cleaned["consent_method"],
                on=cleaned["consent_date"],
            )
        return cleaned

    @property
    def safe_contact(self):
        return {name: self.cleaned_data[name] for name in SAFE_CONTACT_FIELDS}


class DeclineForm(CaseworkForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the referral is declined.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_helper()


# -- transfers -------------------------------------------------------------------------------------


class TransferForm(OneTimeForm, CaseworkForm, forms.Form):
    """Ask a partner to take the case over, with her consent to the transfer in the same step."""

    to_organisation = RecordChoiceField(label=_("Transfer to"), queryset=None)
    reason = forms.CharField(
        label=_("Why the case moves"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What the partner needs to decide (a return to Romania, a move to a shelter "
            "of theirs...). Until it accepts, the partner sees this, the person's code, alias, "
            "category, sex, birth year and whether there is a safety concern."
        ),
        error_messages={"required": _("Say why the case moves.")},
    )
    consent_given = forms.BooleanField(
        label=_("The person consents to the case moving to this organisation"),
        error_messages={
            "required": _(
                "A case moves only with the person's consent. Ask; if the person agrees, tick "
                "this and say who gave consent, how and when."
            )
        },
    )
    consent_given_by = forms.ChoiceField(
        label=_("Consent given by"),
        choices=[("", "---------"), *ConsentGiver.choices],
        error_messages={"required": _("Say who gave consent.")},
    )
    consent_method = forms.ChoiceField(
        label=_("How"),
        choices=[("", "---------"), *ConsentMethod.choices],
        error_messages={"required": _("Say how consent was given.")},
    )
    consent_date = forms.DateField(
        label=_("Date of consent"),
        initial=timezone.localdate,
        widget=DateInput,
        error_messages={"required": _("Give the date of consent.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = partner_organisations(user)
        self._set_up_helper(
            Fieldset(_("Transfer"), "to_organisation", "reason"),
            Fieldset(
                _("The person's consent to the transfer"),
                "consent_given",
                "consent_given_by",
                "consent_method",
                "consent_date",
            ),
        )

    def clean_consent_date(self):
        return _not_in_the_future(self.cleaned_data.get("consent_date"))

    @property
    def consent(self):
        data = self.cleaned_data
        return ConsentInStep(
            given_by=data["consent_given_by"],
            method=data["consent_method"],
            on=data["consent_date"],
        )


class TransferDeclineForm(CaseworkForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the transfer is declined.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_helper()


# -- exports of personal data ----------------------------------------------------------------------


class ExportPasswordForm(CaseworkForm, forms.Form):
    """The password that encrypts an export holding personal data. It is not stored anywhere:
    whoever opens the file needs it, so it travels to them by another way than the file."""

    password = forms.CharField(
        label=_("Password for the file"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least %(length)d characters; a few unrelated words are easy to say on the phone "
            "and hard to guess. Give it to whoever receives the file by another way than the "
            "file itself (say it on the phone, never in the same e-mail)."
        )
        % {"length": MINIMUM_PASSWORD_LENGTH},
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._set_up_helper()

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        if len(password) < MINIMUM_PASSWORD_LENGTH:
            raise forms.ValidationError(
                _("Use at least %(length)d characters.") % {"length": MINIMUM_PASSWORD_LENGTH}
            )
        return password

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again is not None and password != again:
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class PeopleExportForm(ExportPasswordForm):
    include_identity = forms.BooleanField(
        label=_("Include identity (legal name, date of birth, phone, address, documents)"),
        required=False,
        help_text=_("Leave it out unless whoever receives the list needs it."),
    )

    field_order = ["include_identity", "password", "password_again"]


class PeopleExportJobForm(OneTimeForm, CaseworkForm, forms.Form):
    """A list too long for a request is prepared by a background job; its password is typed
    when the file is downloaded, so that it is never kept, not even while the job runs."""

    include_identity = PeopleExportForm.base_fields["include_identity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_helper()


# -- data requests (the data protection officer) ---------------------------------------------------


class FindRecordForm(CaseworkForm, forms.Form):
    code = forms.CharField(
        label=_("Code of the record"),
        max_length=20,
        help_text=_("As the organisation holding the record gives it, e.g. BET-2023-0042."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_helper()

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class IdentitySearchForm(CaseworkForm, forms.Form):
    """A legal name or a phone number, looked up through the blind index (exactly, after
    normalisation: case, accents, spacing; a phone's spaces, dashes and 00/+ prefix)."""

    kind = forms.ChoiceField(
        label=_("Search by"),
        choices=[(kind.value, capfirst(kind.label)) for kind in SEARCHABLE_KINDS],
        initial=IdentityKind.LEGAL_NAME,
        widget=forms.RadioSelect,
    )
    value = forms.CharField(
        label=_("Legal name or phone number"),
        max_length=200,
        help_text=_("The whole name or number: parts of it find nobody."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_helper()

    def clean(self):
        cleaned = super().clean()
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if kind and value and not search_digest(kind, value):
            self.add_error(
                "value",
                _("A phone number has at least 6 digits.")
                if kind == IdentityKind.PHONE
                else _("Type a name."),
            )
        return cleaned


class ErasureForm(CaseworkForm, forms.Form):
    """Erasure cannot be undone: the ground is named, and the code typed again."""

    ground = forms.ChoiceField(
        label=_("Why is the record erased?"),
        choices=[
            (ground.value, ground.label)
            for ground in ErasureGround
            if ground != ErasureGround.RETENTION
        ],
        widget=forms.RadioSelect,
    )
    confirm_code = forms.CharField(
        label=_("Type the record's code to confirm"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self._set_up_helper()

    def clean_confirm_code(self):
        code = self.cleaned_data["confirm_code"].strip().upper()
        if code != self.person.code:
            raise forms.ValidationError(_("This is not the code of the record being erased."))
        return code


class RetentionForm(forms.Form):
    """The data protection officer anonymises the list she sees: its length comes back with the
    form, and nothing happens if the list has changed since."""

    expected_count = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I have checked the list: anonymise every record on it. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


# -- merging two records of one person -------------------------------------------------------------


class MergeChoiceForm(CaseworkForm, forms.Form):
    """The other record of the same person, by its code, among the organisation's own."""

    other = forms.CharField(
        label=_("Code of the other record"),
        max_length=20,
        help_text=_("The record of the same person to merge with this one, e.g. BET-2023-0042."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args, person, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.user = person, user
        self._set_up_helper()

    def clean_other(self):
        code = self.cleaned_data["other"].strip().upper()
        if code == self.person.code:
            raise forms.ValidationError(_("This is the record itself: give the other record's."))
        other = beneficiaries_for(self.user).filter(code=code).first()
        if other is None:
            raise forms.ValidationError(_("No record of your organisation has this code."))
        if other.is_erased:
            raise forms.ValidationError(
                _("This record was erased: an erased record is not merged.")
            )
        self.other_record = other
        return code


class MergeForm(OneTimeForm, CaseworkForm, forms.Form):
    """The confirmation of a merge: it carries the versions of both records as the admin saw
    them, so that a change made meanwhile refuses the merge (cases.merging.merge_records)."""

    survivor_version = forms.IntegerField(
        min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )
    merged_version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, survivor, merged, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor_version"].initial = survivor.version
        self.fields["merged_version"].initial = merged.version
        self._set_up_helper()
