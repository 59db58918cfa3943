import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.enums import Category
from nextsteps.labels import TranslatedLabels, translation_field
from nextsteps.scoping import organisation_scoped_manager
from nextsteps.versioning import Versioned
from pillars.enums import (
    ActivityKind,
    Audience,
    ComputationKind,
    Currency,
    Direction,
    PeriodKind,
    Unit,
)


class Programme(Versioned, models.Model):
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.EUR)
    # The layouts its periods print with: every calendar year, and the whole programme. Its
    # periods exist as soon as both are chosen (pillars.services.generate_periods).
    year_layout = models.ForeignKey(
        "ReportLayout",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("layout of each year"),
    )
    programme_layout = models.ForeignKey(
        "ReportLayout",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("layout of the whole programme"),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="programme_ends_after_it_starts", condition=Q(end_date__gte=F("start_date"))
            )
        ]

    def __str__(self):
        return self.name


class ReportLayout(Versioned, models.Model):
    """How a target-vs-result table is printed: its pillar headings and rows, in order.

    The partnership's reports print the same measurements under different labels and in a
    different structure from one report to the next (the 2022 annual report and the final
    report of 2021-2023), so the printed layout is kept apart from the indicators it shows.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="layouts")
    name = models.CharField(_("name"), max_length=100)
    # The printed table reproduces a report written in this language: its row labels, headings
    # and column titles print in it whatever the reader's interface language.
    language = models.CharField(
        _("language of the printed report"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
    )

    def __str__(self):
        return self.name


class Period(Versioned, models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(max_length=12, choices=PeriodKind.choices)
    label = models.CharField(_("label"), max_length=40, help_text=_("e.g. 2022 or 2021-2023"))
    title = models.CharField(
        _("printed title"), max_length=200, blank=True, help_text=_("e.g. Results 2022")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    layout = models.ForeignKey(
        ReportLayout,
        on_delete=models.PROTECT,
        related_name="periods",
        verbose_name=_("table layout"),
    )
    locked_at = models.DateTimeField(null=True, blank=True, editable=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["start_date", "-end_date"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "label"], name="period_label_unique"),
            models.CheckConstraint(
                name="period_ends_after_it_starts",
                condition=Q(end_date__gte=F("start_date")),
                violation_error_message=_("The period must end after it starts."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def printed_title(self):
        return self.title or _("Results %(period)s") % {"period": self.label}

    @property
    def is_locked(self):
        return self.locked_at is not None

    @property
    def audit_reference(self):
        return str(self.public_id)


class Pillar(Versioned, TranslatedLabels, models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pillars")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=200)
    name_ro = translation_field(_("name"), max_length=200, language="ro")
    name_nl = translation_field(_("name"), max_length=200, language="nl")

    translated_fields = ("name",)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="pillar_number_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.label_in('name')}"


class SubProject(Versioned, TranslatedLabels, models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ro = translation_field(_("name"), max_length=100, language="ro")
    name_nl = translation_field(_("name"), max_length=100, language="nl")

    translated_fields = ("name",)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.label_in("name")


class Location(Versioned, TranslatedLabels, models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ro = translation_field(_("name"), max_length=100, language="ro")
    name_nl = translation_field(_("name"), max_length=100, language="nl")
    country = models.CharField(_("country"), max_length=2)

    translated_fields = ("name",)

    class Meta:
        ordering = ["country", "name"]

    def __str__(self):
        return self.label_in("name")


class Volunteer(Versioned, models.Model):
    """A volunteer of one organisation, active from a date until a date (or still active)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="volunteers"
    )
    name = models.CharField(_("name"), max_length=100)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)

    objects = organisation_scoped_manager("organisation")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="volunteer_active_until_after_from",
                condition=Q(active_until__isnull=True) | Q(active_until__gte=F("active_from")),
                violation_error_message=_("A volunteer cannot stop before starting."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def audit_reference(self):
        return str(self.public_id)


class SafetyNet(Versioned, TranslatedLabels, models.Model):
    """A group that meets regularly so that women and teenagers are not alone (pillar 3)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    name_ro = translation_field(_("name"), max_length=100, language="ro")
    name_nl = translation_field(_("name"), max_length=100, language="nl")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    sub_project = models.ForeignKey(SubProject, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = organisation_scoped_manager("organisation")

    translated_fields = ("name",)

    class Meta:
        ordering = ["started_on", "name"]
        constraints = [
            models.CheckConstraint(
                name="safety_net_ends_after_it_starts",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                violation_error_message=_("A safety net cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.label_in("name")

    @property
    def audit_reference(self):
        return str(self.public_id)


class Activity(Versioned, models.Model):
    """Something an organisation did for a group: a conference, a workshop, a campaign."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="activities")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    sub_project = models.ForeignKey(SubProject, on_delete=models.PROTECT, related_name="+")
    participants = models.PositiveIntegerField(_("participants"), default=0)
    audiences = models.JSONField(_("audience"), default=list, blank=True)
    online_reach = models.PositiveIntegerField(_("online reach"), null=True, blank=True)
    volunteers = models.ManyToManyField(Volunteer, blank=True, related_name="activities")
    beneficiaries = models.ManyToManyField(
        "cases.Beneficiary",
        through="ActivityParticipation",
        blank=True,
        related_name="activities",
        verbose_name=_("registered people who took part"),
    )
    safety_net = models.ForeignKey(
        SafetyNet, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = organisation_scoped_manager("organisation")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["organisation", "starts_on"]),
            models.Index(fields=["kind", "starts_on"]),
            models.Index(fields=["starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="activity_ends_after_it_starts",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                violation_error_message=_("The activity must end after it starts."),
            )
        ]

    def __str__(self):
        return self.title

    def get_audience_labels(self):
        labels = dict(Audience.choices)
        return [labels.get(audience, audience) for audience in self.audiences]

    @property
    def audit_reference(self):
        return str(self.public_id)


class ActivityParticipation(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    beneficiary = models.ForeignKey(
        "cases.Beneficiary", on_delete=models.PROTECT, related_name="participations"
    )
    # What the figures filter on, stored on the row when it is written: the person's category
    # on the activity's day, and the activity's organisation, location and sub-project (kept
    # in step when the activity is edited, pillars.services.save_activity).
    category = models.CharField(
        _("category"), max_length=32, choices=Category.choices, editable=False
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    sub_project = models.ForeignKey(SubProject, on_delete=models.PROTECT, related_name="+")

    objects = organisation_scoped_manager("activity__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "beneficiary"], name="take_part_once")
        ]

    def __str__(self):
        return f"{self.activity_id}: {self.beneficiary_id}"

    def save(self, *args, **kwargs):
        self.stamp_attributes()
        super().save(*args, **kwargs)

    def stamp_attributes(self):
        """Fill what the figures filter on (bulk writers call this before bulk_create)."""
        if not self.category:
            self.category = self.beneficiary.category
        self.organisation_id = self.activity.organisation_id
        self.location_id = self.activity.location_id
        self.sub_project_id = self.activity.sub_project_id
        return self


class Indicator(Versioned, TranslatedLabels, models.Model):
    """One measured series of the programme: a figure per period, computed from the records
    (or entered by hand), compared with a target."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="indicators")
    code = models.SlugField(max_length=40)
    label = models.CharField(_("label"), max_length=300)
    label_ro = translation_field(_("label"), max_length=300, language="ro")
    label_nl = translation_field(_("label"), max_length=300, language="nl")
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    computation = models.CharField(_("computed as"), max_length=32, choices=ComputationKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    translated_fields = ("label",)

    class Meta:
        ordering = ["pillar__number", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="indicator_code_unique")
        ]

    def __str__(self):
        return f"{self.code}: {self.label_in('label')}"

    @property
    def is_manual(self):
        return self.computation == ComputationKind.MANUAL

    @property
    def audit_reference(self):
        return self.code


class ReportSection(Versioned, TranslatedLabels, models.Model):
    """A pillar's block in a report layout, with the heading as that report prints it."""

    layout = models.ForeignKey(ReportLayout, on_delete=models.CASCADE, related_name="sections")
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="+")
    heading = models.CharField(_("heading"), max_length=300)
    heading_ro = translation_field(_("heading"), max_length=300, language="ro")
    heading_nl = translation_field(_("heading"), max_length=300, language="nl")

    translated_fields = ("heading",)

    class Meta:
        ordering = ["pillar__number"]
        constraints = [
            models.UniqueConstraint(fields=["layout", "pillar"], name="one_section_per_pillar")
        ]

    def __str__(self):
        return self.label_in("heading")


class ReportRow(Versioned, TranslatedLabels, models.Model):
    """One printed row: an indicator under its label as printed, or a header without figures.
    A sub-row (e.g. a location under its indicator) has a sub-row label and is printed
    indented under the row before it."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveSmallIntegerField()
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="report_rows"
    )
    label = models.CharField(_("label as printed"), max_length=300)
    subrow_label = models.CharField(_("sub-row"), max_length=100, blank=True)
    label_ro = translation_field(_("label as printed"), max_length=300, language="ro")
    label_nl = translation_field(_("label as printed"), max_length=300, language="nl")
    subrow_label_ro = translation_field(_("sub-row"), max_length=100, language="ro")
    subrow_label_nl = translation_field(_("sub-row"), max_length=100, language="nl")
    # Ours, not printed: e.g. why a printed figure or label looks wrong.
    editor_note = models.CharField(_("note (not printed)"), max_length=300, blank=True)

    translated_fields = ("label", "subrow_label")

    class Meta:
        ordering = ["section__pillar__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="row_position_unique")
        ]

    def __str__(self):
        return f"{self.label_in('label')} {self.label_in('subrow_label')}".strip()

    @property
    def is_header(self):
        return self.indicator_id is None


class Target(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(max_digits=12, decimal_places=0, validators=[MinValueValidator(0)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator"], name="one_target_per_period")
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.period_id}: {self.value}"


class Remark(models.Model):
    """The report's Remarks column for one row in one period, written by coordinators."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="remarks")
    row = models.ForeignKey(ReportRow, on_delete=models.CASCADE, related_name="remarks")
    text = models.TextField(_("remark"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "row"], name="one_remark_per_row_and_period")
        ]

    def __str__(self):
        return f"{self.row_id} {self.period_id}"


class ResultEntry(models.Model):
    """A result entered by hand: the figure of a manual indicator, or an override of a
    computed one (which needs a reason, and is shown as overridden)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="result_entries")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="result_entries"
    )
    value = models.DecimalField(max_digits=14, decimal_places=0, validators=[MinValueValidator(0)])
    reason = models.CharField(_("reason or source"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator"], name="one_entry_per_period")
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.period_id}: {self.value}"


class Restatement(models.Model):
    """A locked period's published figures replaced by what the records give now, for a reason.
    The figures it replaced stay (FrozenResult.superseded_at): the history of every published
    figure of the period is kept."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="restatements")
    restated_at = models.DateTimeField(default=timezone.now)
    restated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    # [{"indicator": code, "label": ..., "published": old, "restated": new}] for the partnership
    # totals and the financial columns; figures are aggregates, not personal data.
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-restated_at", "-id"]

    def __str__(self):
        return f"{self.period} {self.restated_at:%Y-%m-%d}"

    @property
    def audit_reference(self):
        return str(self.public_id)


class PublishedQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_at__isnull=True)


class Published(models.Model):
    """What a locked period published: kept when a restatement supersedes it, so that the
    period's history shows every figure it ever published."""

    frozen_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # The restatement that published it (None: published when the period was locked).
    restatement = models.ForeignKey(
        Restatement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["frozen_at", "id"]


class FrozenResult(Published):
    """A figure of an indicator as published for a locked period: for the whole partnership
    (dimension "") or narrowed by the report filters ("organisation=3&location=2"). A locked
    period shows the current one in every view; a restatement supersedes it and keeps it."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="frozen_results")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=80, blank=True, default="")
    value = models.DecimalField(max_digits=14, decimal_places=0)
    # The figure month by month as published with it ({"2022-03-01": 4}; months without a
    # figure left out), which the dashboards' trends draw. None: published before monthly
    # figures were kept with the totals (the trend of such a figure is not shown).
    months = models.JSONField(null=True, blank=True)

    class Meta(Published.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["period", "indicator", "dimension"],
                condition=Q(superseded_at__isnull=True),
                name="one_published_figure",
            )
        ]
        indexes = [models.Index(fields=["period", "dimension"])]

    def __str__(self):
        return f"{self.indicator_id} {self.period_id} {self.dimension}: {self.value}"


class FrozenSpending(Published):
    """What was spent on a budget line in a locked period, as published: for the partnership
    (organisation None) and for each organisation. The financial report shows it for a locked
    period; a restatement supersedes it and keeps it."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="frozen_spending")
    line = models.ForeignKey("BudgetLine", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    # {first day of month (ISO): euros as a string} spent in each month with spending, published
    # with the amount (the budget dashboard's chart of a locked year draws it); None on rows
    # published before the months were kept.
    months = models.JSONField(null=True, blank=True, editable=False)

    def __str__(self):
        return f"{self.line_id} {self.period_id} {self.organisation_id}: {self.amount}"


class FrozenDashboard(Published):
    """What a people dashboard (referrals, caseload) showed for a locked period when it was
    published, for each choice of its filters (dimension as FrozenResult's). Its counts are
    kept as the records gave them, unsuppressed: the dashboard hides small counts from whoever
    it hides them from when it shows them, as it does with live counts. A locked period shows
    the current one; a restatement supersedes it and keeps it."""

    REFERRALS = "referrals"
    CASELOAD = "caseload"
    DASHBOARDS = [(REFERRALS, "referrals"), (CASELOAD, "caseload")]

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="frozen_dashboards")
    dashboard = models.CharField(max_length=16, choices=DASHBOARDS)
    dimension = models.CharField(max_length=80, blank=True, default="")
    # Aggregates only (pillars.dashboard_figures says what each dashboard keeps).
    figures = models.JSONField()

    class Meta(Published.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["period", "dashboard", "dimension"],
                condition=Q(superseded_at__isnull=True),
                name="one_published_dashboard",
            )
        ]

    def __str__(self):
        return f"{self.dashboard} {self.period_id} {self.dimension}"


class BudgetGroup(Versioned, TranslatedLabels, models.Model):
    """Consecutive budget lines summed in a subtotal row (blank label: no subtotal row)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_groups")
    order = models.PositiveSmallIntegerField()
    subtotal_label = models.CharField(_("subtotal row"), max_length=100, blank=True)
    subtotal_label_ro = translation_field(_("subtotal row"), max_length=100, language="ro")
    subtotal_label_nl = translation_field(_("subtotal row"), max_length=100, language="nl")

    translated_fields = ("subtotal_label",)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.label_in("subtotal_label") or f"group {self.order}"


class BudgetLine(Versioned, TranslatedLabels, models.Model):
    group = models.ForeignKey(BudgetGroup, on_delete=models.PROTECT, related_name="lines")
    order = models.PositiveSmallIntegerField()
    label = models.CharField(_("label"), max_length=200)
    label_ro = translation_field(_("label"), max_length=200, language="ro")
    label_nl = translation_field(_("label"), max_length=200, language="nl")
    budget = models.DecimalField(_("budget"), max_digits=12, decimal_places=2, default=Decimal(0))
    pillar = models.ForeignKey(
        Pillar, on_delete=models.PROTECT, null=True, blank=True, related_name="budget_lines"
    )
    # Exchange-rate differences arise when lei are booked in euros at another rate than the
    # transfer's: they can be negative and have no budget.
    is_exchange_difference = models.BooleanField(default=False)

    translated_fields = ("label",)

    class Meta:
        ordering = ["group__order", "order"]

    def __str__(self):
        return self.label_in("label")


class Expense(Versioned, models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="expenses")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    # Lei per euro used to book this expense; 1 for euro expenses.
    rate = models.DecimalField(
        _("exchange rate"), max_digits=10, decimal_places=4, default=Decimal(1)
    )
    amount_eur = models.DecimalField(
        _("amount in EUR"), max_digits=12, decimal_places=2, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = organisation_scoped_manager("organisation")

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "date"]),
            models.Index(fields=["line", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="exchange_rate_positive",
                condition=Q(rate__gt=0),
                violation_error_message=_("The exchange rate must be above zero."),
            ),
        ]

    def __str__(self):
        return f"{self.line} {self.date} {self.amount} {self.currency}"

    @property
    def audit_reference(self):
        return str(self.public_id)


class DataVersion(models.Model):
    """A number that changes whenever a row the indicator figures are computed from changes.

    Database triggers (pillars.data_version) raise it in the same transaction as the write, so a
    computed figure can be cached under the version it was computed at: a cached figure is
    never older than the records, and no code path can forget to invalidate it."""

    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(name="one_data_version", condition=Q(pk=1))]

    def __str__(self):
        return str(self.version)


class AssistanceFact(models.Model):
    """The assistance that counts (not voided), summed per person and year and what the figures
    filter on but the service: one row per (person, year, category, location, organisation,
    sub-project) with the number of entries in each month of the year.

    Never written by the application: database triggers keep it in step with every write to
    ``cases_assistance`` in the writing transaction (pillars.facts), so the distinct-people
    figures read these rows instead of the raw ones (pillars.computations) and cannot disagree
    with them. A person is still counted once over a whole window of months: her facts of every
    year are counted distinct, never summed."""

    beneficiary = models.ForeignKey(
        "cases.Beneficiary",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=32, choices=Category.choices)
    location = models.ForeignKey(
        Location, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    sub_project = models.ForeignKey(
        SubProject,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    # How many of the summed rows fall in each month of the year (pillars.facts.month_column).
    m01 = models.PositiveIntegerField(default=0)
    m02 = models.PositiveIntegerField(default=0)
    m03 = models.PositiveIntegerField(default=0)
    m04 = models.PositiveIntegerField(default=0)
    m05 = models.PositiveIntegerField(default=0)
    m06 = models.PositiveIntegerField(default=0)
    m07 = models.PositiveIntegerField(default=0)
    m08 = models.PositiveIntegerField(default=0)
    m09 = models.PositiveIntegerField(default=0)
    m10 = models.PositiveIntegerField(default=0)
    m11 = models.PositiveIntegerField(default=0)
    m12 = models.PositiveIntegerField(default=0)

    # Read like the assistance it sums: by the organisation that gave it or the one that owns
    # the person's record.
    objects = organisation_scoped_manager("organisation", "beneficiary__organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                # The year first: the index also finds a window's years.
                fields=[
                    "year",
                    "beneficiary",
                    "category",
                    "location",
                    "organisation",
                    "sub_project",
                ],
                name="one_assistance_fact_per_key",
            )
        ]

    def __str__(self):
        return f"{self.beneficiary_id} {self.year}"
