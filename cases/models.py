import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import Organisation
from cases.enums import (
    AMOUNT_OF_UNIT,
    OPEN_REFERRAL_STATUSES,
    PURPOSES_NAMING_A_PARTNER,
    CaseCountries,
    CaseEventKind,
    Category,
    ClosureReason,
    ConsentAction,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    EntryChangeKind,
    GoalStatus,
    IdentityKind,
    IntakeSource,
    OutcomeKind,
    RecruiterRelation,
    ReferralStatus,
    Sex,
    Status,
    TransferStatus,
    Unit,
)
from nextsteps.fields import EncryptedDateField, EncryptedTextField
from nextsteps.labels import TranslatedLabels, translation_field
from nextsteps.scoping import organisation_scoped_manager
from nextsteps.versioning import Versioned


def stamp_attributes_of_the_day(row) -> None:
    """Store on ``row`` (assistance, an outcome, a referral) the person's category and location
    as they are on the day it is written, unless the writer set them.

    The reports filter on these stored values, never on the person's current ones: moving or
    recategorising her today must not move a figure of a past period. A correction that should
    change the past goes through ``cases.services.restate_attributes``.
    """
    person = row.beneficiary
    if hasattr(row, "category") and not row.category:
        row.category = person.category
    if row.location_id is None:
        row.location_id = person.location_id


class ServiceType(Versioned, TranslatedLabels, models.Model):
    """A kind of help given to one person (managed list, edited in the admin)."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ro = translation_field(_("name"), max_length=100, language="ro")
    name_nl = translation_field(_("name"), max_length=100, language="nl")
    default_unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    translated_fields = ("name",)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.label_in("name")


class CodeSequence(models.Model):
    """The last number handed out in an organisation's codes for one year (BET-2023-0042)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_code_sequence_per_year"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id}-{self.year}: {self.last_number}"


class BeneficiaryQuerySet(models.QuerySet):
    def not_erased(self):
        return self.filter(erased_at__isnull=True)


class Beneficiary(Versioned, models.Model):
    """A person the partnership assists, known by a pseudonymous code and an alias.

    Identity fields and free text are encrypted at rest; only the owning organisation's
    caseworkers and admins see them (cases.selectors).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="beneficiaries"
    )
    alias = models.CharField(
        _("alias"),
        max_length=60,
        help_text=_("A name to use in conversation; never the real name."),
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.FEMALE)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1920), MaxValueValidator(2100)],
    )
    nationality = CountryField(_("nationality"), countries=CaseCountries, blank=True)
    location = models.ForeignKey(
        "pillars.Location",
        on_delete=models.PROTECT,
        verbose_name=_("current location"),
        related_name="beneficiaries",
    )
    intake_date = models.DateField(_("intake date"), default=timezone.localdate)
    # The category and location she had at intake: the new-people figures count her by these,
    # so that an edit of her current ones does not move the year she came in.
    category_at_intake = models.CharField(
        _("category at intake"), max_length=32, choices=Category.choices, editable=False
    )
    location_at_intake = models.ForeignKey(
        "pillars.Location",
        on_delete=models.PROTECT,
        verbose_name=_("location at intake"),
        related_name="+",
        editable=False,
    )
    # The organisation that took her in: the new-people figures count her there, so that a
    # transfer to another organisation (cases.transfers) does not move the year she came in.
    organisation_at_intake = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        verbose_name=_("organisation at intake"),
        related_name="+",
        editable=False,
    )
    intake_source = models.CharField(_("came through"), max_length=16, choices=IntakeSource.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    # Set when the case is closed (cases.services.close_case); retention counts from it.
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closure_reason = models.CharField(
        _("reason for closing"),
        max_length=16,
        choices=ClosureReason.choices,
        blank=True,
        editable=False,
    )
    safety_flag = models.BooleanField(_("safety concern"), default=False)
    safety_reason = EncryptedTextField(_("safety concern, in short"), blank=True)
    dependants = models.PositiveSmallIntegerField(_("children in their care"), default=0)

    # Exploitation, in the vocabulary of the IOM Human Trafficking Case Data Standard
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    recruiter_relation = models.CharField(
        _("recruited by"), max_length=20, choices=RecruiterRelation.choices, blank=True
    )
    country_of_recruitment = CountryField(
        _("country of recruitment"), countries=CaseCountries, blank=True
    )
    countries_of_exploitation = models.JSONField(
        _("countries of exploitation"), default=list, blank=True
    )

    # Identity: encrypted, shown only to the owning organisation's caseworkers and admins
    legal_name = EncryptedTextField(_("legal name"), blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"))
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    document_numbers = EncryptedTextField(_("document numbers"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Set when the person's identity was erased on request (GDPR art. 17): the record stays as
    # an anonymous stub so that the programme's figures do not change.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The organisation that took her in reaches the row too, so that its figures of people taken
    # in keep her after a transfer; who may open her record is the selectors' business
    # (cases.selectors.beneficiaries_for names the current organisation).
    objects = organisation_scoped_manager(
        "organisation", "organisation_at_intake", queryset_class=BeneficiaryQuerySet
    )

    class Meta:
        ordering = ["-intake_date", "-id"]
        verbose_name_plural = "beneficiaries"
        indexes = [
            models.Index(fields=["intake_date"]),
            # The people list: an organisation's records newest first, a page at a time; and
            # filtered by status, category or current location, each in the same order, so
            # that a page is the index's next 25 entries whatever the filter (issue 14). Each
            # holds the organisation at intake, which the organisation scope also tests, and
            # the list's own holds code and alias, which the search reads: the list is counted
            # from the index alone, without reading every record's row.
            models.Index(
                fields=["organisation", "-intake_date", "-id"],
                include=["organisation_at_intake", "code", "alias"],
                name="beneficiary_list_order",
            ),
            *(
                models.Index(
                    fields=["organisation", column, "-intake_date", "-id"],
                    include=["organisation_at_intake"],
                    name=f"beneficiary_list_by_{column}",
                )
                for column in ("status", "category", "location")
            ),
            # The caseload dashboard counts the open cases by category and location: read from
            # this index alone, not from every record's row.
            models.Index(
                fields=["status", "organisation", "category", "location"],
                name="beneficiary_caseload",
            ),
        ]

    IDENTITY_FIELDS = ("legal_name", "date_of_birth", "phone", "address", "document_numbers")
    # Notes are kept in the journal (CaseNote), one dated entry each.
    FREE_TEXT_FIELDS = ("safety_reason",)
    # What the people list never shows: encrypted (decrypted on every read) or long.
    NOT_LISTED_FIELDS = (
        *IDENTITY_FIELDS,
        *FREE_TEXT_FIELDS,
        "exploitation_types",
        "countries_of_exploitation",
    )
    # What erasure keeps: the facts that indicators and dashboards count or filter by, the code
    # that names the stub in the audit log, and bookkeeping. Every other field is emptied, so a
    # field added later is erased unless it is named here.
    KEPT_ON_ERASURE = (
        "id",
        "public_id",
        "code",
        "organisation",
        "category",
        "sex",
        "birth_year",
        "location",
        "intake_date",
        "category_at_intake",
        "location_at_intake",
        "organisation_at_intake",
        "status",
        "closed_on",
        "created_at",
        "updated_at",
        "created_by",
        "erased_at",
        "version",
    )

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.stamp_intake_attributes()
        super().save(*args, **kwargs)

    def stamp_intake_attributes(self):
        """Keep the category, location and organisation of her intake (also for bulk_create,
        which does not call save())."""
        if not self.category_at_intake:
            self.category_at_intake = self.category
        if self.location_at_intake_id is None:
            self.location_at_intake_id = self.location_id
        if self.organisation_at_intake_id is None:
            self.organisation_at_intake_id = self.organisation_id

    @property
    def is_erased(self):
        return self.erased_at is not None

    def partners_referred_to(self):
        """The organisations this person was referred to, and those that had her case before a
        transfer: they knew who she is, so they are told when she is erased."""
        return (
            Organisation.objects.filter(
                Q(referrals_received__beneficiary=self)
                | Q(
                    transfers_sent__beneficiary=self,
                    transfers_sent__status=TransferStatus.ACCEPTED,
                )
            )
            .exclude(pk=self.organisation_id)
            .distinct()
            .order_by("name")
        )

    @property
    def audit_reference(self):
        return self.code


class IdentityDigest(models.Model):
    """One keyed digest (HMAC-SHA256 under BLIND_INDEX_KEY) of a person's normalised identity:
    equal identities give equal digests, so duplicates are found and identities searched without
    the database ever holding, or being able to compare, the identity itself
    (cases.identity_index keeps these rows in step with the record)."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="identity_digests"
    )
    kind = models.CharField(max_length=16, choices=IdentityKind.choices)
    digest = models.CharField(max_length=64)

    objects = organisation_scoped_manager("beneficiary__organisation")

    class Meta:
        indexes = [models.Index(fields=["kind", "digest"], name="identity_digest_lookup")]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "kind", "digest"], name="one_digest_per_person_and_value"
            )
        ]

    def __str__(self):
        return f"{self.beneficiary_id} {self.kind}"


# The current state of a consent is the action recorded last, not the one dated last: two
# organisations date by their own local day (Bucharest's evening is already tomorrow while
# Amsterdam's is still today), and a caseworker may date an action back to when it was given on
# paper. A withdrawal recorded after a consent must hold, whatever dates the two carry.
LATEST_RECORDED_FIRST = ["-recorded_at", "-id"]


class ConsentEvent(models.Model):
    """Consent given or withdrawn, for one purpose (and, for sharing, one partner), on a date.
    The current state of a consent is its event recorded last (LATEST_RECORDED_FIRST)."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="consent_events"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    partner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
        help_text=_("The organisation the record may be shared with (sharing consent only)."),
    )
    action = models.CharField(_("consent"), max_length=10, choices=ConsentAction.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    # Empty on events recorded before these were asked.
    given_by = models.CharField(
        _("given by"), max_length=16, choices=ConsentGiver.choices, blank=True
    )
    method = models.CharField(_("how"), max_length=16, choices=ConsentMethod.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    # A sharing consent also concerns the partner it names: the partner's queries need it to
    # know whether a referral still gives them access (ReferralQuerySet.sharing_in_force).
    objects = organisation_scoped_manager("beneficiary__organisation", "partner")

    class Meta:
        ordering = LATEST_RECORDED_FIRST
        constraints = [
            models.CheckConstraint(
                name="sharing_and_transfer_consent_name_a_partner",
                condition=Q(purpose__in=PURPOSES_NAMING_A_PARTNER, partner__isnull=False)
                | (~Q(purpose__in=PURPOSES_NAMING_A_PARTNER) & Q(partner__isnull=True)),
            )
        ]

    def __str__(self):
        return f"{self.beneficiary} {self.purpose} {self.action} {self.date}"

    @property
    def organisation(self):
        return self.beneficiary.organisation

    @property
    def audit_reference(self):
        return self.beneficiary.code


class ReferralQuerySet(models.QuerySet):
    def with_sharing_consent(self):
        """Annotate ``sharing_consent``: the person's latest consent action (given, withdrawn or
        None) for sharing her record with the organisation the referral went to."""
        latest = (
            ConsentEvent.objects.filter(
                beneficiary=OuterRef("beneficiary"),
                purpose=ConsentPurpose.SHARING,
                partner=OuterRef("to_organisation"),
            )
            .order_by(*LATEST_RECORDED_FIRST)
            .values("action")[:1]
        )
        return self.annotate(sharing_consent=Subquery(latest))

    def with_services_listed(self):
        """Prefetch the services asked for into ``services_listed``, a plain list: a list of
        referrals shows them on every row, and ``prefetch_related("services")`` builds a
        queryset per referral to hold them (some 10 ms of an inbox page of 50 rows at L)."""
        return self.prefetch_related(
            models.Prefetch(
                "services", queryset=ServiceType.objects.all(), to_attr="services_listed"
            )
        )

    def sharing_in_force(self):
        """Referrals through which the receiver may see the person's shared profile now: accepted,
        her record not erased, and her latest sharing consent to the receiver is "given"."""
        return (
            self.with_sharing_consent()
            .filter(status=ReferralStatus.ACCEPTED, beneficiary__erased_at__isnull=True)
            .filter(sharing_consent=ConsentAction.GIVEN)
        )


class Referral(models.Model):
    """A request from one organisation to another to assist a person, with her consent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("refer to"),
    )
    services = models.ManyToManyField(ServiceType, verbose_name=_("services asked for"))
    message = EncryptedTextField(_("message to the partner"), blank=True)
    due_date = models.DateField(_("answer needed by"))
    cross_border = models.BooleanField(default=False, editable=False)
    # Where the person lived when she was referred: the referral figures count her there.
    location = models.ForeignKey(
        "pillars.Location",
        on_delete=models.PROTECT,
        verbose_name=_("location when referred"),
        related_name="+",
        editable=False,
    )
    status = models.CharField(
        max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    # The date the reports count the referral in (the sender's calendar day); sent_at is the
    # moment, for timelines and time-to-accept.
    sent_on = models.DateField(_("sent on"), default=timezone.localdate)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # What the partner sees of the person beyond cases.sharing.MINIMAL_SHARED_FIELDS, chosen by
    # the sender under her consent (names of fields of Beneficiary).
    shared_fields = models.JSONField(_("also shared with the partner"), default=list, blank=True)
    # How the partner reaches her safely. Emptied when the referral ends or her consent to
    # share with the partner is withdrawn.
    safe_phone = EncryptedTextField(_("safe phone"), blank=True)
    meeting_point = EncryptedTextField(_("meeting point"), blank=True)
    contact_person = EncryptedTextField(_("contact person"), blank=True)
    best_times = EncryptedTextField(_("best times to reach the person"), blank=True)

    SAFE_CONTACT_FIELDS = ("safe_phone", "meeting_point", "contact_person", "best_times")
    # What a list of referrals never shows: encrypted, decrypted on every read.
    NOT_LISTED_FIELDS = ("message", "decline_reason", *SAFE_CONTACT_FIELDS)

    objects = organisation_scoped_manager(
        "from_organisation", "to_organisation", queryset_class=ReferralQuerySet
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to_organisation", "status"]),
            models.Index(fields=["from_organisation", "status"]),
            models.Index(fields=["sent_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="referral_goes_to_another_organisation",
                condition=~Q(from_organisation=models.F("to_organisation")),
            ),
            models.UniqueConstraint(
                fields=["beneficiary", "to_organisation"],
                condition=Q(status__in=OPEN_REFERRAL_STATUSES),
                name="one_open_referral_per_partner",
                violation_error_message=_(
                    "This person already has an open referral to this partner organisation."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.beneficiary} → {self.to_organisation}"

    def save(self, *args, **kwargs):
        stamp_attributes_of_the_day(self)
        super().save(*args, **kwargs)

    @property
    def audit_reference(self):
        return self.beneficiary.code

    @property
    def organisation(self):
        return self.from_organisation


class ReferralEvent(models.Model):
    """One transition of a referral, for its timeline."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=ReferralStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = EncryptedTextField(blank=True)

    objects = organisation_scoped_manager(
        "referral__from_organisation", "referral__to_organisation"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.referral_id} {self.status} {self.at:%Y-%m-%d}"


class Assistance(models.Model):
    """One piece of help given to one person by one organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="assistance"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="assistance_given"
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, verbose_name=_("service"), related_name="+"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, blank=True)
    sub_project = models.ForeignKey(
        "pillars.SubProject",
        on_delete=models.PROTECT,
        verbose_name=_("sub-project"),
        related_name="+",
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assistance",
        verbose_name=_("in answer to referral"),
    )
    # The person's category and location on the day of the help (stamp_attributes_of_the_day).
    category = models.CharField(
        _("category"), max_length=32, choices=Category.choices, editable=False
    )
    location = models.ForeignKey(
        "pillars.Location",
        on_delete=models.PROTECT,
        verbose_name=_("location"),
        related_name="+",
        editable=False,
    )
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The last correction (a stale correction form is refused) and the void, if any.
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Visible to the organisation that gave it and to the one that owns the record. A voided
    # entry counts nowhere: ``objects`` leaves it out; ``with_voided`` is for the timeline, the
    # access report and erasure.
    objects = organisation_scoped_manager(
        "organisation", "beneficiary__organisation", only=Q(voided_at__isnull=True)
    )
    with_voided = organisation_scoped_manager("organisation", "beneficiary__organisation")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "assistance"
        indexes = [
            models.Index(fields=["organisation", "date"]),
            models.Index(fields=["service_type", "date"]),
            models.Index(fields=["date"]),
            # A person's latest help (people list, retention) and the list's filters on help
            # (service, dates, sub-project: one and the same piece of help).
            models.Index(fields=["beneficiary", "-date"], name="assistance_person_latest"),
            # Partial and covering: a person's help is tested on the index alone (the list
            # walks thousands of people at national scale; voided entries never count).
            models.Index(
                fields=["beneficiary", "service_type", "date"],
                include=["sub_project"],
                condition=Q(voided_at__isnull=True),
                name="assistance_person_service",
            ),
            # ... and the people helped with a service in a period, without reading the rows.
            models.Index(
                fields=["service_type", "date"],
                include=["beneficiary", "sub_project"],
                condition=Q(voided_at__isnull=True),
                name="assistance_service_people",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="assistance_quantity_not_negative",
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
            )
        ]

    def __str__(self):
        return f"{self.beneficiary} {self.service_type} {self.date}"

    def save(self, *args, **kwargs):
        stamp_attributes_of_the_day(self)
        super().save(*args, **kwargs)

    @property
    def audit_reference(self):
        return self.beneficiary.code

    @property
    def quantity_text(self):
        """The quantity with its unit as people say it ("1 night", "2.5 hours"), or ""."""
        if self.quantity is None:
            return ""
        amount = self.quantity.normalize()
        shown = f"{amount:f}"
        if self.unit not in AMOUNT_OF_UNIT:
            return shown
        # Plural rules count whole numbers; a fraction reads like a plural ("2.5 hours").
        count = int(amount) if amount == amount.to_integral_value() else 2
        return AMOUNT_OF_UNIT[self.unit] % {"amount": shown, "count": count}


class Outcome(models.Model):
    """A dated milestone in a person's way out (reintegrated, employed, case completed...)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="outcomes")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("outcome"), max_length=24, choices=OutcomeKind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    # Set when a partner records the outcome of its own work on a referral: the sender sees it
    # on the referral, and it counts for the partner's organisation.
    referral = models.ForeignKey(
        "Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("in answer to referral"),
    )
    note = EncryptedTextField(_("note"), blank=True)
    # The person's category and location on the day of the outcome, and the sub-project it is
    # credited to (stamp_attributes_of_the_day; the sub-project of her latest help if not given).
    category = models.CharField(
        _("category"), max_length=32, choices=Category.choices, editable=False
    )
    location = models.ForeignKey(
        "pillars.Location",
        on_delete=models.PROTECT,
        verbose_name=_("location"),
        related_name="+",
        editable=False,
    )
    sub_project = models.ForeignKey(
        "pillars.SubProject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("sub-project"),
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)

    # As for assistance: a voided outcome counts nowhere.
    objects = organisation_scoped_manager(
        "organisation", "beneficiary__organisation", only=Q(voided_at__isnull=True)
    )
    with_voided = organisation_scoped_manager("organisation", "beneficiary__organisation")

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self):
        return f"{self.beneficiary} {self.kind} {self.date}"

    def save(self, *args, **kwargs):
        stamp_attributes_of_the_day(self)
        if self.sub_project_id is None:
            self.sub_project_id = sub_project_of_latest_help(self.beneficiary, self.date)
        super().save(*args, **kwargs)

    @property
    def audit_reference(self):
        return self.beneficiary.code


def credit_outcomes_to_latest_help(outcomes) -> int:
    """Set each outcome's sub-project to that of the person's latest help on or before it, in one
    UPDATE (for outcomes written in bulk, which skips save())."""
    latest_help = (
        Assistance.objects.filter(beneficiary=OuterRef("beneficiary"), date__lte=OuterRef("date"))
        .order_by("-date", "-id")
        .values("sub_project")[:1]
    )
    return outcomes.update(sub_project=Subquery(latest_help))


def sub_project_of_latest_help(beneficiary, on):
    """The sub-project of the person's latest assistance on or before ``on`` (an outcome is
    credited to the project that helped her to it), or None."""
    return (
        Assistance.objects.filter(beneficiary=beneficiary, date__lte=on)
        .order_by("-date", "-id")
        .values_list("sub_project", flat=True)
        .first()
    )


class ErasureNotice(models.Model):
    """Tells a partner organisation that a person it received by referral, or whose case it had
    before a transfer, was erased (GDPR article 19): it stops using what it knows of her and
    deletes any copy kept outside the app."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="erasure_notices"
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = organisation_scoped_manager("organisation")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "beneficiary"], name="one_erasure_notice_per_partner"
            )
        ]

    def __str__(self):
        return f"{self.beneficiary} erased, told {self.organisation_id}"

    @property
    def audit_reference(self):
        return self.beneficiary.code


class EntryChange(models.Model):
    """A correction or the void of a logged entry (assistance or an outcome), by the organisation
    that logged it, with its reason: what the timeline shows of the change. The entry itself holds
    the corrected values; ``summary`` says what changed (never the text of a note)."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="entry_changes"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    assistance = models.ForeignKey(
        Assistance, on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )
    outcome = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )
    kind = models.CharField(max_length=12, choices=EntryChangeKind.choices)
    reason = EncryptedTextField(_("reason"))
    summary = EncryptedTextField(blank=True)
    # The locked periods the change reaches into (their published figures stay as they are and
    # are flagged for restatement), by label, for the timeline and the audit log.
    locked_periods = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = organisation_scoped_manager("organisation", "beneficiary__organisation")

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="entry_change_names_one_entry",
                condition=Q(assistance__isnull=False, outcome__isnull=True)
                | Q(assistance__isnull=True, outcome__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.beneficiary} {self.kind} {self.at:%Y-%m-%d}"

    @property
    def audit_reference(self):
        return self.beneficiary.code


class CaseEvent(models.Model):
    """A case closed (with its reason and date) or reopened (with a reason), for the timeline."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="case_events"
    )
    kind = models.CharField(max_length=12, choices=CaseEventKind.choices)
    on = models.DateField(_("date"))
    closure_reason = models.CharField(
        _("reason for closing"), max_length=16, choices=ClosureReason.choices, blank=True
    )
    note = EncryptedTextField(_("note"), blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = organisation_scoped_manager("beneficiary__organisation")

    class Meta:
        ordering = ["-on", "-at", "-id"]

    def __str__(self):
        return f"{self.beneficiary} {self.kind} {self.on}"

    @property
    def audit_reference(self):
        return self.beneficiary.code


# -- the case plan, tasks and the notes journal: the organisation's own (never shared) -------------


class GoalType(TranslatedLabels, models.Model):
    """A kind of goal in a person's plan (managed list): the steps of the step-out programme and
    the IOM case data standard's kinds of assistance. Achieving it may record an outcome."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ro = translation_field(_("name"), max_length=100, language="ro")
    name_nl = translation_field(_("name"), max_length=100, language="nl")
    outcome_kind = models.CharField(
        _("outcome recorded when achieved"),
        max_length=24,
        choices=OutcomeKind.choices,
        blank=True,
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    translated_fields = ("name",)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.label_in("name")


class Goal(models.Model):
    """One goal of a person's case plan (a shelter place, a court case, a job...)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="goals")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    goal_type = models.ForeignKey(
        GoalType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("goal")
    )
    # Free text, in her words or the caseworker's: encrypted like every note about her.
    title = EncryptedTextField(_("in words"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.PLANNED
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    target_date = models.DateField(_("aimed for by"), null=True, blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = organisation_scoped_manager("organisation")

    class Meta:
        ordering = ["target_date", "created_at", "id"]

    def __str__(self):
        return str(self.goal_type or self.title)

    @property
    def label(self):
        if self.goal_type and self.title:
            return f"{self.goal_type}: {self.title}"
        return str(self.goal_type or self.title)

    @property
    def audit_reference(self):
        return self.beneficiary.code


class Task(models.Model):
    """A follow-up step with a due date, for one of the organisation's caseworkers."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="tasks")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("for the goal"),
    )
    title = EncryptedTextField(_("what to do"))
    due_date = models.DateField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("who does it"),
    )
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = organisation_scoped_manager("organisation")

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["assignee", "done_at", "due_date"]),
            models.Index(fields=["beneficiary", "done_at"]),
        ]

    def __str__(self):
        return f"{self.beneficiary} task due {self.due_date}"

    @property
    def is_done(self):
        return self.done_at is not None

    @property
    def audit_reference(self):
        return self.beneficiary.code


class CaseNote(models.Model):
    """One dated entry of a person's notes journal. Append-only: a correction is a new entry
    that names the one it corrects and why; nothing is edited or deleted (but for erasure)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="case_notes"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    written_on = models.DateField(_("date"), default=timezone.localdate)
    text = EncryptedTextField(_("note"))
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        editable=False,
    )
    correction_reason = EncryptedTextField(_("why it is corrected"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = organisation_scoped_manager("organisation")

    class Meta:
        ordering = ["-written_on", "-created_at", "-id"]

    def __str__(self):
        return f"{self.beneficiary} note {self.written_on}"

    @property
    def audit_reference(self):
        return self.beneficiary.code


class MergedRecord(models.Model):
    """The code of a record merged into another of its organisation (cases.merging): the record
    itself is gone, its rows belong to the survivor, and its code still leads the organisation's
    own staff to the survivor. It holds no personal data: a code, a pointer and a date."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    survivor = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="merged_records"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = organisation_scoped_manager("organisation")

    def __str__(self):
        return f"{self.code} -> {self.survivor_id}"

    @property
    def audit_reference(self):
        return self.code


# -- transfers: a case moves to another organisation --------------------------------------------


class Transfer(models.Model):
    """A request to move a person's case to another organisation, with her consent, and its
    answer. Accepted, the person's record, identity, notes journal, plan and documents go to the
    receiver; the help, outcomes, referrals and activities of the past keep the organisation
    that did them (cases.services.accept_transfer)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="transfers")
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="transfers_sent"
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="transfers_received",
        verbose_name=_("transfer to"),
    )
    status = models.CharField(
        max_length=12, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    # Why the case moves ("she returns to Romania"): the receiver reads it before answering.
    reason = EncryptedTextField(_("why the case moves"))
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    requested_on = models.DateField(default=timezone.localdate, editable=False)
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = organisation_scoped_manager("from_organisation", "to_organisation")

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["to_organisation", "status"]),
            models.Index(fields=["from_organisation", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="transfer_goes_to_another_organisation",
                condition=~Q(from_organisation=models.F("to_organisation")),
            ),
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(status=TransferStatus.REQUESTED),
                name="one_open_transfer_per_person",
                violation_error_message=_(
                    "A transfer of this person is already waiting for an answer."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.beneficiary} ⇒ {self.to_organisation}"

    @property
    def is_open(self):
        return self.status == TransferStatus.REQUESTED

    @property
    def organisation(self):
        return self.from_organisation

    @property
    def audit_reference(self):
        return self.beneficiary.code
