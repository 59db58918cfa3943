import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.enums import OPEN_REFERRAL_STATUSES, Category, Status
from cases.forms import DateInput
from cases.models import Assistance, Referral, ServiceType
from nextsteps.widgets import QuickSelect
from pillars.models import Location, SubProject

ANY = _("Any")
YES_NO_ANY = [("", ANY), ("true", _("Yes")), ("false", _("No"))]


class BeneficiaryFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("assisted_from"), cleaned.get("assisted_until")
        if start and end and start > end:
            self.add_error("assisted_until", _("The end of the date range is before its start."))
        return cleaned


class BeneficiaryFilter(django_filters.FilterSet):
    """Search and filters of the people list. The filters on assistance (service, dates,
    sub-project) describe one and the same piece of help: "had food in March 2022 from the
    refugee project", not food at one time and something in March at another."""

    q = django_filters.CharFilter(method="search", label=_("Code or alias"))
    status = django_filters.ChoiceFilter(
        choices=Status.choices, label=_("Status"), empty_label=ANY, widget=QuickSelect
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("Category"), empty_label=ANY, widget=QuickSelect
    )
    location = django_filters.ModelChoiceFilter(
        queryset=Location.objects.all(),
        label=_("Current location"),
        empty_label=ANY,
        widget=QuickSelect,
    )
    service_type = django_filters.ModelChoiceFilter(
        queryset=ServiceType.objects.filter(is_active=True),
        method="applied_with_the_other_assistance_filters",
        label=_("Received service"),
        empty_label=ANY,
        widget=QuickSelect,
    )
    assisted_from = django_filters.DateFilter(
        method="applied_with_the_other_assistance_filters",
        label=_("Assisted from"),
        widget=DateInput,
    )
    assisted_until = django_filters.DateFilter(
        method="applied_with_the_other_assistance_filters",
        label=_("Assisted until"),
        widget=DateInput,
    )
    sub_project = django_filters.ModelChoiceFilter(
        queryset=SubProject.objects.all(),
        method="applied_with_the_other_assistance_filters",
        label=_("Sub-project"),
        empty_label=ANY,
        widget=QuickSelect,
    )
    has_open_referral = django_filters.BooleanFilter(
        method="with_or_without_an_open_referral",
        label=_("Open referral"),
        widget=QuickSelect(choices=YES_NO_ANY),
    )

    ASSISTANCE_LOOKUPS = {
        "service_type": "service_type",
        "assisted_from": "date__gte",
        "assisted_until": "date__lte",
        "sub_project": "sub_project",
    }

    class Meta:
        form = BeneficiaryFilterForm
        fields = []

    def is_searched(self) -> bool:
        """Whether a search term is in force: it is tested person by person (the filters are
        read from indexes, or found once as a set), so its count is bounded by the list."""
        self.is_valid()  # cleans the form; a field in error filters nothing
        return bool(getattr(self.form, "cleaned_data", {}).get("q"))

    def is_found_as_a_set(self) -> bool:
        """Whether the people listed are matched to a set found once (helped with a service
        in the dates, with an open referral): counting them computes that set again."""
        self.is_valid()  # cleans the form; a field in error filters nothing
        cleaned = getattr(self.form, "cleaned_data", {})
        helped = any(cleaned.get(name) not in (None, "") for name in self.ASSISTANCE_LOOKUPS)
        return helped or cleaned.get("has_open_referral") is True

    def summary(self) -> str:
        """The filters in force, for the audit row of an export: a search is named, never its
        text (it may be an alias)."""
        used = []
        for name, value in getattr(self.form, "cleaned_data", {}).items():
            if value in (None, ""):
                continue
            if name == "q":
                used.append("search")
                continue
            used.append(f"{name}={getattr(value, 'code', value)}")
        return "; ".join(used) or "no filter"

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(alias__icontains=value))

    def with_or_without_an_open_referral(self, queryset, name, value):
        # The people with an open referral of the organisation's (sent or received: the scoped
        # manager), found once as a set, as the help filters below are.
        referred = (
            Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES)
            .order_by()
            .values("beneficiary")
            .distinct()
        )
        return queryset.filter(pk__in=referred) if value else queryset.exclude(pk__in=referred)

    def applied_with_the_other_assistance_filters(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        conditions = {
            lookup: self.form.cleaned_data[name]
            for name, lookup in self.ASSISTANCE_LOOKUPS.items()
            if self.form.cleaned_data.get(name) not in (None, "")
        }
        if conditions:
            # The people listed are in the user's scope, and so is every piece of their help:
            # the scoped manager's test (given by us, or to one of ours) would only join every
            # person of the partnership to the help a second time.
            assisted = Assistance._base_manager.filter(voided_at__isnull=True, **conditions)
            # The people helped so, found once from the help's index and then matched to the
            # list: asked person by person in list order (EXISTS), the newest people, who were
            # not even registered in the dates asked for, were each tested in vain (issue 14).
            # DISTINCT keeps the planner from turning the set back into that walk.
            helped = assisted.order_by().values("beneficiary").distinct()
            queryset = queryset.filter(pk__in=helped)
        return queryset
