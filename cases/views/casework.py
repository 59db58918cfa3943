"""The caseworker's screens: her home page, the list of people, one person's file and the forms
that add to it. Every view reaches records through a selector (see ``cases.views.common``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from accounts.decorators import role_permission_required
from accounts.enums import AuditAction
from accounts.rules import Permission
from accounts.services import record_audit, record_audit_for_each
from cases import services
from cases.exports import people_list_xlsx
from cases.filters import BeneficiaryFilter
from cases.forms import (
    AssistanceCorrectionForm,
    AssistanceForm,
    BeneficiaryCreateForm,
    BeneficiaryUpdateForm,
    BulkAssistanceForm,
    CloseCaseForm,
    ConsentForm,
    IdentitySearchForm,
    OutcomeCorrectionForm,
    OutcomeForm,
    PeopleExportForm,
    PeopleExportJobForm,
    ReopenCaseForm,
    VoidForm,
)
from cases.models import Assistance, Beneficiary
from cases.selectors import (
    HOME_LIST_LENGTH,
    any_locked_period,
    awaiting_answer_for,
    beneficiaries_for,
    beneficiary_rows_for,
    consent_events_of,
    current_consents,
    display_value,
    flagged_people_for,
    goals_of,
    locked_periods_reached,
    my_tasks_for,
    notes_of,
    open_tasks_of,
    own_assistance_for,
    own_outcomes_for,
    participants_for_group_help,
    people_to_export_for,
    people_with_identity,
    recent_assistance_for,
    referrals_for,
    timeline_of,
    transfers_of,
)
from cases.views.common import (
    attachment,
    beneficiary_or_404,
    case_form_page,
    changes_the_record,
    detail_url,
    export_password_is_sensitive,
    export_password_page,
    merged_code_or_404,
    person_form_page,
)
from exports.enums import ExportKind
from exports.kinds import people_about, record_people_export_audit
from exports.services import needs_a_job, request_export
from nextsteps.office_files import XLSX_CONTENT_TYPE
from nextsteps.pagination import BoundedPageByKeysPaginator, KeysReadOncePaginator
from nextsteps.views import redirect_after_saving, render_form, warn_if_locked

PEOPLE_PER_PAGE = 25
# A search for a common word matches thousands of people: counting them all (each entry of the
# organisation's index tested) cost more than the rest of the page, to say a number that only
# means "narrow the search". A search is counted up to here. The filters are not: counted from
# an index, or found as a set that must be built whole anyway, a bound saves them nothing.
PEOPLE_COUNTED_UP_TO = 1_000


# -- home and lists --------------------------------------------------------------------------------


@role_permission_required(Permission.RECORD_CASEWORK)
def home(request):
    user = request.user
    return render(
        request,
        "cases/home.html",
        {
            # Every referral waiting for an answer, never cut: each is someone waiting.
            "awaiting_answer": awaiting_answer_for(user),
            "my_tasks": my_tasks_for(user),
            "flagged_people": flagged_people_for(user)[: HOME_LIST_LENGTH * 2],
            "recent_assistance": recent_assistance_for(user)[:HOME_LIST_LENGTH],
        },
    )


@role_permission_required(Permission.RECORD_CASEWORK)
def beneficiary_list(request):
    # The list shows no identity and no free text: never decrypted for it.
    rows = beneficiary_rows_for(request.user).defer(*Beneficiary.NOT_LISTED_FIELDS)
    people = BeneficiaryFilter(request.GET or None, queryset=rows)
    if people.is_found_as_a_set() and not people.is_searched():
        # The set is found once for the count and the page, not once for each (issue 14).
        paginator = KeysReadOncePaginator(people.qs, PEOPLE_PER_PAGE, rows=rows)
    else:
        paginator = BoundedPageByKeysPaginator(
            people.qs,
            PEOPLE_PER_PAGE,
            rows=rows,
            count_up_to=PEOPLE_COUNTED_UP_TO if people.is_searched() else None,
        )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "cases/beneficiary_list.html",
        {"filter": people, "page": page, "filtered": bool(request.GET.keys() - {"page"})},
    )


MOST_FOUND_BY_IDENTITY = 100


# The searched name or number never reaches an error report (nor, being posted, a URL or a log).
@sensitive_post_parameters("value")
@role_permission_required(Permission.SEE_IDENTITIES)
def identity_search(request):
    """Find the organisation's own people by legal name or phone, through the blind index. Each
    search writes an audit row with what kind was searched and the codes found (never the
    searched value), and each record found gets its own row."""
    form = IdentitySearchForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        people = people_with_identity(request.user, kind, form.cleaned_data["value"])
        # An exact identity finds a few people; a phone shared by a whole shelter stops here.
        found = list(people.select_related("location")[:MOST_FOUND_BY_IDENTITY])
        with transaction.atomic():
            record_audit(
                AuditAction.VIEW,
                by=request.user,
                detail=f"identity search by {kind}: {len(found)} found"
                + (": " + ", ".join(person.code for person in found) if found else ""),
            )
            record_audit_for_each(
                AuditAction.VIEW,
                found,
                by=request.user,
                organisation=request.user.organisation,
                detail=lambda person: f"found by an identity search ({kind})",
            )
    return render_form(request, "cases/identity_search.html", {"form": form, "found": found})


# -- exports of personal data ----------------------------------------------------------------------


@export_password_is_sensitive
@role_permission_required(Permission.SEE_IDENTITIES)
def beneficiary_export(request):
    """The people list as it is filtered on screen, in a workbook encrypted with a password the
    user types. Erased records are never in it."""
    user = request.user
    people = BeneficiaryFilter(request.GET or None, queryset=people_to_export_for(user))
    list_url = f"{reverse('cases:beneficiary_list')}?{request.GET.urlencode()}"
    if people.is_bound and not people.is_valid():
        # Back to the list that shows what is wrong, rather than a file ignoring a filter.
        return redirect(list_url)
    count = people.qs.count()
    if needs_a_job(count):
        return _people_export_job_page(request, people, count=count, list_url=list_url)
    form = PeopleExportForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        include_identity = form.cleaned_data["include_identity"]
        made_at = timezone.now()
        content, codes = people_list_xlsx(
            people.qs,
            include_identity=include_identity,
            password=form.cleaned_data["password"],
            about=people_about(user, made_at=made_at, count=count),
        )
        with transaction.atomic():
            record_people_export_audit(
                user, codes=codes, include_identity=include_identity, summary=people.summary()
            )
        filename = f"people-{user.organisation.code_prefix}-{made_at:%Y-%m-%d}.xlsx"
        return attachment(content, XLSX_CONTENT_TYPE, filename)
    return export_password_page(
        request,
        form,
        title=_("Export the list of people"),
        intro=_(
            "%(count)d people, as filtered on the list (erased records are never exported). "
            "The file is an Excel workbook protected by the password you choose here."
        )
        % {"count": count},
        cancel_url=list_url,
    )


def _people_export_job_page(request, people, *, count, list_url):
    """A list longer than EXPORT_JOB_THRESHOLD: a background job prepares the file (its page
    shows the progress); the password is asked when it is downloaded."""
    form = PeopleExportJobForm(request.POST if request.method == "POST" else None)

    def save(form):
        job = request_export(
            ExportKind.PEOPLE,
            by=request.user,
            parameters={
                "query": request.GET.urlencode(),
                "include_identity": form.cleaned_data["include_identity"],
                "language": get_language(),
            },
            total=count,
        )
        return reverse("exports:job", args=[job.public_id])

    response = redirect_after_saving(request, form, save, success=_("The file is being prepared."))
    return response or export_password_page(
        request,
        form,
        title=_("Export the list of people"),
        intro=_(
            "%(count)d people, as filtered on the list (erased records are never exported). "
            "A list this long is prepared in the background: the next page shows how far it "
            "is, and asks for the password of the file when it is ready."
        )
        % {"count": count},
        cancel_url=list_url,
        submit=_("Prepare the file"),
    )


# -- one person ------------------------------------------------------------------------------------


@role_permission_required(Permission.RECORD_CASEWORK)
def beneficiary_create(request):
    form = BeneficiaryCreateForm(request.POST or None, organisation=request.user.organisation)
    response = case_form_page(
        request,
        form,
        lambda form: detail_url(
            services.register_beneficiary(
                form.instance,
                by=request.user,
                new_person_reason=form.cleaned_data["new_person_reason"],
            )
        ),
        title=_("Register a person"),
        submit=_("Register"),
        cancel_url=reverse("cases:beneficiary_list"),
        success=_("Registered. The person's code is shown at the top of the page."),
    )
    _audit_a_warning_of_likely_matches(request, form, response)
    return response


def _audit_a_warning_of_likely_matches(request, form, response, person=None):
    """A warning shown is itself an answer about other records (even a partner's: "known to a
    partner organisation"): it is audited, with the kinds of match and the own codes, so that
    checking identities against the partnership without registering anyone leaves a trace."""
    if form.likely_matches and not response.has_header("Location"):
        record_audit(
            AuditAction.VIEW,
            person,
            by=request.user,
            detail=f"warned of a possible duplicate: {form.likely_matches.audit_detail()}",
        )


@login_required
def beneficiary_detail(request, code):
    person = beneficiaries_for(request.user).filter(code=code).first()
    if person is None:
        return merged_code_or_404(request, code)
    record_audit(AuditAction.VIEW, person, by=request.user, detail="detail page")
    consent_events = list(consent_events_of(person))
    transfers = list(transfers_of(person))
    if person.is_erased:
        return render(
            request,
            "cases/beneficiary_erased.html",
            {"person": person, "timeline": timeline_of(person, consent_events, None, transfers)},
        )
    return render(
        request,
        "cases/beneficiary_detail.html",
        {
            "person": person,
            "exploitation": display_value(person, "exploitation_types"),
            "countries_of_exploitation": display_value(person, "countries_of_exploitation"),
            "consents": current_consents(consent_events),
            "timeline": timeline_of(person, consent_events, request.user, transfers),
            "open_transfer": next((item for item in transfers if item.is_open), None),
            "referrals": referrals_for(request.user)
            .filter(beneficiary=person)
            .with_services_listed(),
            "goals": goals_of(person),
            "open_tasks": open_tasks_of(person),
            "notes": notes_of(person),
        },
    )


@changes_the_record
def beneficiary_update(request, person):
    form = BeneficiaryUpdateForm(
        request.POST or None, instance=person, organisation=person.organisation
    )
    response = person_form_page(
        request,
        person,
        form,
        lambda form: detail_url(
            services.update_beneficiary(
                form.apply_read_version(form.instance),
                changed_fields=[name for name in form.changed_data if name != "new_person_reason"],
                by=request.user,
                new_person_reason=form.cleaned_data["new_person_reason"],
            )
        ),
        title=_("Edit the record"),
        submit=_("Save"),
        success=_("Saved."),
    )
    _audit_a_warning_of_likely_matches(request, form, response, person)
    return response


@changes_the_record
def consent_create(request, person):
    form = ConsentForm(request.POST or None, user=request.user)

    def save(form):
        services.record_consent(person, by=request.user, **form.cleaned_data)
        return detail_url(person)

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Record consent"),
        submit=_("Record consent"),
        success=_("Consent recorded."),
    )


@changes_the_record
def assistance_create(request, person):
    form = AssistanceForm(request.POST or None)

    # Logged from the list (one click per person), the caseworker goes back to the list.
    from_list = request.GET.get("from") == "list" or request.POST.get("from") == "list"

    def save(form):
        services.log_assistance(person, by=request.user, **form.assistance_fields)
        warn_if_locked(request, form.assistance_fields.get("date"))
        return reverse("cases:beneficiary_list") if from_list else detail_url(person)

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Log assistance"),
        submit=_("Log assistance"),
        success=_("Assistance logged for %(code)s.") % {"code": person.code},
        from_list=from_list,
    )


def _people_for_group_help(request):
    """Who a group entry is for: every result of the list's search and filters (``all``), the
    registered participants of an activity (``activity``), both from the address, which the
    confirmation page posts back to; else the people ticked on one page of the list."""
    user, query = request.user, request.GET
    if query.get("activity"):
        return participants_for_group_help(user, query.getlist("activity"))
    if query.get("all"):
        found = BeneficiaryFilter(query, queryset=beneficiary_rows_for(user).not_erased())
        return list(found.qs.values_list("code", flat=True)) if found.is_valid() else []
    picked = request.POST if request.method == "POST" else query
    return picked.getlist("people")


@role_permission_required(Permission.RECORD_CASEWORK)
def assistance_bulk(request):
    codes = _people_for_group_help(request)
    form = BulkAssistanceForm(request.POST or None, user=request.user, codes=codes)

    def save(form):
        services.log_assistance_for_many(
            form.cleaned_data["people"], by=request.user, **form.assistance_fields
        )
        warn_if_locked(request, form.assistance_fields.get("date"))
        return reverse("cases:beneficiary_list")

    return case_form_page(
        request,
        form,
        save,
        title=_("Log the same assistance for several people"),
        submit=_("Log for everyone ticked"),
        intro=ngettext(
            "The same entry is logged for %(count)d person, all at once or not at all.",
            "The same entry is logged for %(count)d people, all at once or not at all.",
            len(codes),
        )
        % {"count": len(codes)}
        if codes
        else "",
        cancel_url=reverse("cases:beneficiary_list"),
        success=lambda form: (
            _("Assistance logged for %(count)d people.")
            % {"count": len(form.cleaned_data["people"])}
        ),
        bulk=True,
    )


@changes_the_record
def outcome_create(request, person):
    form = OutcomeForm(request.POST or None)

    def save(form):
        data = form.cleaned_data
        services.record_outcome(
            person, kind=data["kind"], on=data["date"], note=data["note"], by=request.user
        )
        warn_if_locked(request, data["date"])
        return detail_url(person)

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Record an outcome"),
        submit=_("Record outcome"),
        success=_("Outcome recorded."),
    )


# -- corrections and voids of logged entries -------------------------------------------------------


def _entry_page(request, entry, form, save, *, title, submit, success):
    """The page that corrects or voids one logged entry of a person: what the entry says now,
    a warning when its date is in a locked period, audited as a view of her record."""
    person = entry.beneficiary
    locked = locked_periods_reached([entry.date])
    return person_form_page(
        request,
        person,
        form,
        save,
        title=title,
        submit=submit,
        success=success,
        intro=_entry_description(entry),
        warning=_(
            "This entry is in the locked period %(periods)s: its published figures stay as they "
            "are, and the change is flagged for restatement."
        )
        % {"periods": ", ".join(period.label for period in locked)}
        if locked
        else "",
    )


def _entry_description(entry):
    if isinstance(entry, Assistance):
        what = f"{entry.service_type} {entry.quantity_text}".strip()
    else:
        what = entry.get_kind_display()
    return _("Logged entry: %(what)s on %(date)s.") % {
        "what": what,
        "date": date_format(entry.date, "SHORT_DATE_FORMAT"),
    }


def _refused_if_erased(request, entry):
    if entry.beneficiary.is_erased:
        messages.error(request, services.ERASED_RECORD)
        return redirect(detail_url(entry.beneficiary))
    return None


@login_required
def assistance_correct(request, public_id):
    entry = get_object_or_404(own_assistance_for(request.user), public_id=public_id)
    if refused := _refused_if_erased(request, entry):
        return refused
    form = AssistanceCorrectionForm(
        request.POST or None, instance=entry, locked_periods_exist=any_locked_period()
    )

    def save(form):
        services.correct_assistance(
            entry, by=request.user, **form.change_arguments, **form.assistance_fields
        )
        return detail_url(entry.beneficiary)

    return _entry_page(
        request,
        entry,
        form,
        save,
        title=_("Correct an entry of assistance"),
        submit=_("Save the correction"),
        success=_("Corrected. The figures follow the corrected entry."),
    )


@login_required
def outcome_correct(request, public_id):
    entry = get_object_or_404(own_outcomes_for(request.user), public_id=public_id)
    if refused := _refused_if_erased(request, entry):
        return refused
    form = OutcomeCorrectionForm(
        request.POST or None, instance=entry, locked_periods_exist=any_locked_period()
    )

    def save(form):
        services.correct_outcome(
            entry, by=request.user, **form.change_arguments, **form.outcome_fields
        )
        return detail_url(entry.beneficiary)

    return _entry_page(
        request,
        entry,
        form,
        save,
        title=_("Correct an outcome"),
        submit=_("Save the correction"),
        success=_("Corrected. The figures follow the corrected outcome."),
    )


def _void_page(request, entry, void):
    if refused := _refused_if_erased(request, entry):
        return refused
    form = VoidForm(request.POST or None, entry=entry, locked_periods_exist=any_locked_period())

    def save(form):
        void(entry, by=request.user, **form.change_arguments)
        return detail_url(entry.beneficiary)

    return _entry_page(
        request,
        entry,
        form,
        save,
        title=_("Void an entry logged by mistake"),
        submit=_("Void the entry"),
        success=_("Voided. The entry stays on the timeline and counts in no figure."),
    )


@login_required
def assistance_void(request, public_id):
    entry = get_object_or_404(own_assistance_for(request.user), public_id=public_id)
    return _void_page(request, entry, services.void_assistance)


@login_required
def outcome_void(request, public_id):
    entry = get_object_or_404(own_outcomes_for(request.user), public_id=public_id)
    return _void_page(request, entry, services.void_outcome)


# -- closing and reopening the case ----------------------------------------------------------------


@changes_the_record
def case_close(request, person):
    form = CloseCaseForm(request.POST or None)

    def save(form):
        data = form.cleaned_data
        services.close_case(
            person, reason=data["reason"], on=data["on"], note=data["note"], by=request.user
        )
        return detail_url(person)

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Close the case"),
        submit=_("Close the case"),
        success=_("The case is closed. The retention period counts from the closing date."),
        intro=_("Open tasks stay on the list until they are done or removed."),
    )


@changes_the_record
def case_reopen(request, person):
    form = ReopenCaseForm(request.POST or None)

    def save(form):
        data = form.cleaned_data
        services.reopen_case(person, reason=data["reason"], on=data["on"], by=request.user)
        return detail_url(person)

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Reopen the case"),
        submit=_("Reopen the case"),
        success=_("The case is open again."),
    )


# -- the printable case summary --------------------------------------------------------------------


@login_required
def case_summary(request, code):
    """One person's case on A4 paper, as her organisation sees it: profile, plan, open tasks,
    timeline and notes; her identity only for roles that may see identities. Audited."""
    person = beneficiary_or_404(request, code)
    if person.is_erased:
        messages.error(request, services.ERASED_RECORD)
        return redirect(detail_url(person))
    shows_identity = request.user.has_role_permission(Permission.SEE_IDENTITIES)
    record_audit(
        AuditAction.VIEW,
        person,
        by=request.user,
        detail="case summary" + (", identity shown" if shows_identity else ""),
    )
    consent_events = list(consent_events_of(person))
    return render(
        request,
        "cases/case_summary.html",
        {
            "person": person,
            "shows_identity": shows_identity,
            "exploitation": display_value(person, "exploitation_types"),
            "consents": current_consents(consent_events),
            "goals": goals_of(person),
            "open_tasks": open_tasks_of(person),
            "timeline": timeline_of(person, consent_events),
            "notes": notes_of(person),
            "back_url": detail_url(person),
        },
    )
