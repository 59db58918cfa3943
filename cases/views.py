"""Screens of casework. Every view reaches records through a selector: another organisation's
record and one that does not exist give the same 404. Views that name a record look it up
before anything else, so a role that may not see it gets that 404 too; views without a record
ask for the casework permission (403 for other roles)."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from accounts.decorators import role_permission_required
from accounts.enums import AuditAction
from accounts.rules import Permission
from accounts.services import record_audit
from cases import services
from cases.enums import OPEN_REFERRAL_STATUSES, ConsentAction, ReferralStatus
from cases.exports import (
    access_report_docx,
    access_report_sections,
    access_report_title,
    people_list_xlsx,
)
from cases.filters import BeneficiaryFilter
from cases.forms import (
    AssistanceForm,
    BeneficiaryCreateForm,
    BeneficiaryUpdateForm,
    BulkAssistanceForm,
    ConsentForm,
    DeclineForm,
    ErasureForm,
    ExportPasswordForm,
    FindRecordForm,
    OutcomeForm,
    PeopleExportForm,
    ReferralForm,
    RetentionForm,
)
from cases.selectors import (
    HOME_LIST_LENGTH,
    access_report_of,
    assistance_against,
    beneficiaries_for,
    beneficiary_rows_for,
    consent_events_of,
    current_consents,
    data_request_summary,
    data_subjects_for,
    display_value,
    erasure_notices_for,
    flagged_people_for,
    open_referrals_for,
    people_to_export_for,
    recent_assistance_for,
    referral_inbox_for,
    referrals_awaiting_partners_for,
    referrals_for,
    retention_cutoff,
    retention_due_for,
    shared_profile_for,
    timeline_of,
)
from nextsteps.office_files import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE
from nextsteps.views import redirect_after_saving

PEOPLE_PER_PAGE = 25
REFERRALS_PER_PAGE = 25
RETENTION_PER_PAGE = 100


def _beneficiary_or_404(request, code):
    return get_object_or_404(beneficiaries_for(request.user), code=code)


def _refusing_an_erased_record(find, back_to):
    """For the pages about one record, given its code, that change or export it: the record is
    found with ``find(request, code)`` first (404 for anyone who may not see it); an erased
    record is a stub that nothing changes or exports, and the page sends the user back to
    ``back_to(record)``. The view receives the record instead of the code."""

    def decorator(view):
        @wraps(view)
        @login_required
        def guarded(request, code):
            person = find(request, code)
            if person.is_erased:
                messages.error(request, services.ERASED_RECORD)
                return redirect(back_to(person))
            return view(request, person)

        return guarded

    return decorator


def _referral_or_404(request, public_id):
    return get_object_or_404(
        referrals_for(request.user).prefetch_related("services"), public_id=public_id
    )


def _form_page(request, form, save, *, title, submit, cancel_url, success, context=None):
    """Show ``form``; on a valid POST call ``save(form)`` (a domain function), then go to the
    URL it returns. A rule the domain function refuses shows on the form; nothing is saved."""
    if done := redirect_after_saving(request, form, save, success=success):
        return done
    return render(
        request,
        "cases/form_page.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
            **(context or {}),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _person_form_page(request, person, form, save, *, title, submit, success, **context):
    """A form about one person: her code and alias on top, "Cancel" back to her file."""
    return _form_page(
        request,
        form,
        save,
        title=title,
        submit=submit,
        cancel_url=_detail_url(person),
        success=success,
        context={"person": person, **context},
    )


def _detail_url(beneficiary):
    return reverse("cases:beneficiary_detail", kwargs={"code": beneficiary.code})


# The forms that add to or change a person's record.
changes_the_record = _refusing_an_erased_record(_beneficiary_or_404, _detail_url)


def _referral_url(referral):
    return reverse("cases:referral_detail", kwargs={"public_id": referral.public_id})


# -- home and lists --------------------------------------------------------------------------------


@role_permission_required(Permission.RECORD_CASEWORK)
def home(request):
    user = request.user
    return render(
        request,
        "cases/home.html",
        {
            "open_referrals": open_referrals_for(user).order_by("due_date")[:HOME_LIST_LENGTH],
            "recent_assistance": recent_assistance_for(user)[:HOME_LIST_LENGTH],
            "flagged_people": flagged_people_for(user)[: HOME_LIST_LENGTH * 2],
        },
    )


@role_permission_required(Permission.RECORD_CASEWORK)
def beneficiary_list(request):
    people = BeneficiaryFilter(request.GET or None, queryset=beneficiary_rows_for(request.user))
    page = Paginator(people.qs, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/beneficiary_list.html",
        {"filter": people, "page": page, "filtered": bool(request.GET.keys() - {"page"})},
    )


@role_permission_required(Permission.RECORD_CASEWORK)
def referral_inbox(request):
    user = request.user
    return render(
        request,
        "cases/referral_inbox.html",
        {
            # A national network's inbox holds hundreds of open referrals: a page at a time.
            "inbox": Paginator(referral_inbox_for(user), REFERRALS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "awaiting": Paginator(
                referrals_awaiting_partners_for(user), REFERRALS_PER_PAGE
            ).get_page(request.GET.get("sent_page")),
            "erasure_notices": erasure_notices_for(user),
        },
    )


@login_required
def erasure_notice_acknowledge(request, public_id):
    notice = get_object_or_404(erasure_notices_for(request.user), public_id=public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.acknowledge_erasure_notice(notice, by=request.user)
    messages.success(request, _("Noted: %(code)s is erased.") % {"code": notice.beneficiary.code})
    return redirect("cases:referral_inbox")


# -- exports of personal data ----------------------------------------------------------------------

# The passwords that encrypt exports never reach an error report.
export_password_is_sensitive = sensitive_post_parameters("password", "password_again")


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_password_page(request, form, *, title, intro, cancel_url, status=200):
    return render(
        request,
        "cases/export_password.html",
        {"form": form, "title": title, "intro": intro, "cancel_url": cancel_url},
        status=400 if form.is_bound and form.errors else status,
    )


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
    form = PeopleExportForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        rows = list(people.qs)
        include_identity = form.cleaned_data["include_identity"]
        made_at = timezone.now()
        with transaction.atomic():
            record_audit(
                AuditAction.EXPORT,
                by=user,
                detail=f"people list, {len(rows)} records, encrypted XLSX, identity "
                f"{'included' if include_identity else 'left out'}; {people.summary()}",
            )
            content = people_list_xlsx(
                rows,
                include_identity=include_identity,
                password=form.cleaned_data["password"],
                about=[
                    (_("Organisation"), user.organisation),
                    (_("Exported"), f"{made_at:%Y-%m-%d %H:%M} UTC"),
                    (_("People"), len(rows)),
                    (
                        _("Handle with care"),
                        _(
                            "Personal data of people at risk. Keep this file encrypted, do not "
                            "forward it, delete it when it is no longer needed."
                        ),
                    ),
                ],
            )
        filename = f"people-{user.organisation.code_prefix}-{made_at:%Y-%m-%d}.xlsx"
        return _attachment(content, XLSX_CONTENT_TYPE, filename)
    count = people.qs.count()
    return _export_password_page(
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


# -- one person ------------------------------------------------------------------------------------


@role_permission_required(Permission.RECORD_CASEWORK)
def beneficiary_create(request):
    form = BeneficiaryCreateForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda form: _detail_url(services.register_beneficiary(form.instance, by=request.user)),
        title=_("Register a person"),
        submit=_("Register"),
        cancel_url=reverse("cases:beneficiary_list"),
        success=_("Registered. Her code is shown at the top of the page."),
    )


@login_required
def beneficiary_detail(request, code):
    person = _beneficiary_or_404(request, code)
    record_audit(AuditAction.VIEW, person, by=request.user, detail="detail page")
    consent_events = list(consent_events_of(person))
    if person.is_erased:
        return render(
            request,
            "cases/beneficiary_erased.html",
            {"person": person, "timeline": timeline_of(person, consent_events)},
        )
    return render(
        request,
        "cases/beneficiary_detail.html",
        {
            "person": person,
            "exploitation": display_value(person, "exploitation_types"),
            "countries_of_exploitation": display_value(person, "countries_of_exploitation"),
            "consents": current_consents(consent_events),
            "timeline": timeline_of(person, consent_events),
            "referrals": referrals_for(request.user)
            .filter(beneficiary=person)
            .prefetch_related("services"),
        },
    )


@changes_the_record
def beneficiary_update(request, person):
    form = BeneficiaryUpdateForm(request.POST or None, instance=person)
    return _person_form_page(
        request,
        person,
        form,
        lambda form: _detail_url(
            services.update_beneficiary(
                form.instance, changed_fields=form.changed_data, by=request.user
            )
        ),
        title=_("Edit the record"),
        submit=_("Save"),
        success=_("Saved."),
    )


@changes_the_record
def consent_create(request, person):
    form = ConsentForm(request.POST or None, user=request.user)

    def save(form):
        services.record_consent(person, by=request.user, **form.cleaned_data)
        return _detail_url(person)

    return _person_form_page(
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
        return reverse("cases:beneficiary_list") if from_list else _detail_url(person)

    return _person_form_page(
        request,
        person,
        form,
        save,
        title=_("Log assistance"),
        submit=_("Log assistance"),
        success=_("Assistance logged for %(code)s.") % {"code": person.code},
        from_list=from_list,
    )


@role_permission_required(Permission.RECORD_CASEWORK)
def assistance_bulk(request):
    picked = request.POST if request.method == "POST" else request.GET
    codes = picked.getlist("people")
    form = BulkAssistanceForm(request.POST or None, user=request.user, codes=codes)

    def save(form):
        services.log_assistance_for_many(
            form.cleaned_data["people"], by=request.user, **form.assistance_fields
        )
        return reverse("cases:beneficiary_list")

    return _form_page(
        request,
        form,
        save,
        title=_("Log the same assistance for several people"),
        submit=_("Log for everyone ticked"),
        cancel_url=reverse("cases:beneficiary_list"),
        success=lambda form: (
            _("Assistance logged for %(count)d people.")
            % {"count": len(form.cleaned_data["people"])}
        ),
        context={"bulk": True},
    )


@changes_the_record
def outcome_create(request, person):
    form = OutcomeForm(request.POST or None)

    def save(form):
        data = form.cleaned_data
        services.record_outcome(
            person, kind=data["kind"], on=data["date"], note=data["note"], by=request.user
        )
        return _detail_url(person)

    return _person_form_page(
        request,
        person,
        form,
        save,
        title=_("Record an outcome"),
        submit=_("Record outcome"),
        success=_("Outcome recorded."),
    )


@changes_the_record
def referral_create(request, person):
    form = ReferralForm(request.POST or None, user=request.user)

    def save(form):
        data = form.cleaned_data
        referral = services.send_referral(
            person,
            to_organisation=data["to_organisation"],
            services=data["services"],
            due_date=data["due_date"],
            message=data["message"],
            by=request.user,
        )
        return _referral_url(referral)

    sharing = [
        consent
        for consent in current_consents(consent_events_of(person))
        if consent.partner is not None and consent.is_given
    ]
    return _person_form_page(
        request,
        person,
        form,
        save,
        title=_("Refer to a partner"),
        submit=_("Send referral"),
        success=_("Referral sent."),
        sharing_consents=sharing,
        referring=True,
    )


# -- referrals -------------------------------------------------------------------------------------


@login_required
def referral_detail(request, public_id):
    referral = _referral_or_404(request, public_id)
    return _render_referral(request, referral)


def _render_referral(request, referral, decline_form=None, status=200):
    user = request.user
    profile = shared_profile_for(user, referral)
    is_receiver = referral.to_organisation_id == user.organisation.pk
    record_audit(
        AuditAction.VIEW,
        referral,
        by=user,
        detail="referral, shared profile" if profile else "referral",
    )
    allowed = services.allowed_transitions(referral, user)
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "is_receiver": is_receiver,
            "profile": profile,
            "allowed": allowed,
            "decline_form": decline_form or DeclineForm(),
            "events": referral.events.select_related("by"),
            "assistance": assistance_against(referral, user),
            "assistance_form": AssistanceForm() if profile else None,
            # The sender's message is for the partner while the referral is open and she consents.
            "show_message": not is_receiver
            or (
                referral.status in OPEN_REFERRAL_STATUSES
                and referral.sharing_consent == ConsentAction.GIVEN
            ),
            "sharing_withdrawn": referral.status == ReferralStatus.ACCEPTED
            and referral.sharing_consent != ConsentAction.GIVEN,
        },
        status=status,
    )


TRANSITIONS = {
    "accept": (services.accept_referral, ReferralStatus.ACCEPTED),
    "decline": (services.decline_referral, ReferralStatus.DECLINED),
    "complete": (services.complete_referral, ReferralStatus.COMPLETED),
    "withdraw": (services.withdraw_referral, ReferralStatus.WITHDRAWN),
}


@login_required
def referral_transition(request, public_id, transition):
    referral = _referral_or_404(request, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    move, status = TRANSITIONS[transition]
    arguments = {}
    if transition == "decline":
        decline_form = DeclineForm(request.POST)
        if not decline_form.is_valid():
            return _render_referral(request, referral, decline_form=decline_form, status=400)
        arguments["reason"] = decline_form.cleaned_data["reason"]
    try:
        move(referral, by=request.user, **arguments)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Referral %(status)s.") % {"status": status.label.lower()})
    return redirect(_referral_url(referral))


@login_required
def referral_assistance(request, public_id):
    """The receiving organisation logs its own help against the referral while it has access."""
    referral = _referral_or_404(request, public_id)
    if shared_profile_for(request.user, referral) is None:
        messages.error(request, _("This referral gives your organisation no access to the person."))
        return redirect(_referral_url(referral))
    form = AssistanceForm(request.POST or None)

    def save(form):
        services.log_assistance(
            referral.beneficiary, by=request.user, referral=referral, **form.assistance_fields
        )
        return _referral_url(referral)

    return _form_page(
        request,
        form,
        save,
        title=_("Log assistance against the referral of %(code)s")
        % {"code": referral.beneficiary.code},
        submit=_("Log assistance"),
        cancel_url=_referral_url(referral),
        success=_("Assistance logged."),
        context={"referral": referral},
    )


# -- data requests: the data protection officer ----------------------------------------------------
# Every person of the partnership, found by code. The summary, erasure and retention pages show no
# identity; the access report shows everything, because that is what the person asked for. Every
# page that shows a record writes an audit row.


def _data_subject_or_404(request, code):
    return get_object_or_404(data_subjects_for(request.user), code=code)


def _data_request_url(person):
    return reverse("cases:data_request", kwargs={"code": person.code})


# Access reports: nothing of an erased record is exported.
_not_for_an_erased_record = _refusing_an_erased_record(_data_subject_or_404, _data_request_url)


@role_permission_required(Permission.HANDLE_DATA_REQUESTS)
def data_requests(request):
    form = FindRecordForm(request.GET or None)
    if form.is_valid():
        person = data_subjects_for(request.user).filter(code=form.cleaned_data["code"]).first()
        if person is not None:
            return redirect(_data_request_url(person))
        form.add_error("code", _("No record has this code."))
    return render(
        request,
        "cases/data_requests.html",
        {"form": form, "retention_due": retention_due_for(request.user).count()},
        status=400 if form.errors else 200,
    )


@login_required
def data_request(request, code):
    person = _data_subject_or_404(request, code)
    record_audit(AuditAction.VIEW, person, by=request.user, detail="data request summary")
    return render(request, "cases/data_request.html", {"summary": data_request_summary(person)})


@_not_for_an_erased_record
def access_report(request, person):
    # Audited first: the report's list of who looked at the record includes this look.
    record_audit(AuditAction.VIEW, person, by=request.user, detail="access report")
    report = access_report_of(person)
    return render(
        request,
        "cases/access_report.html",
        {
            "report": report,
            "title": access_report_title(report),
            "sections": access_report_sections(report),
            "back_url": _data_request_url(person),
        },
    )


@export_password_is_sensitive
@_not_for_an_erased_record
def access_report_download(request, person):
    form = ExportPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            record_audit(
                AuditAction.EXPORT, person, by=request.user, detail="access report, encrypted DOCX"
            )
            content = access_report_docx(
                access_report_of(person), password=form.cleaned_data["password"]
            )
        return _attachment(content, DOCX_CONTENT_TYPE, f"access-report-{person.code}.docx")
    return _export_password_page(
        request,
        form,
        title=_("Download the access report of %(code)s") % {"code": person.code},
        intro=_(
            "A Word document protected by the password you choose here. Give the file to the "
            "person, and the password by another way (in person or on the phone)."
        ),
        cancel_url=reverse("cases:access_report", kwargs={"code": person.code}),
    )


@login_required
def erasure(request, code):
    person = _data_subject_or_404(request, code)
    if person.is_erased:
        messages.info(request, _("%(code)s is already erased.") % {"code": person.code})
        return redirect(_data_request_url(person))
    form = ErasureForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_beneficiary(person, ground=form.cleaned_data["ground"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(code)s is erased. What the figures count remains as an anonymous stub.")
                % {"code": person.code},
            )
            return redirect(_data_request_url(person))
    record_audit(AuditAction.VIEW, person, by=request.user, detail="erasure confirmation")
    return render(
        request,
        "cases/erasure_confirm.html",
        {"summary": data_request_summary(person), "form": form},
        status=400 if form.errors else 200,
    )


@role_permission_required(Permission.HANDLE_DATA_REQUESTS)
def retention(request):
    """Closed records past the retention period, and one action that anonymises them all."""
    user = request.user
    due = retention_due_for(user)
    cutoff = retention_cutoff()
    form = RetentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            anonymised = services.anonymise_closed_records(
                due, expected_count=form.cleaned_data["expected_count"], cutoff=cutoff, by=user
            )
        except ValidationError as error:
            # The list changed: show the new one, with a form that counts it.
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("%(count)d records anonymised.") % {"count": len(anonymised)}
            )
        return redirect("cases:retention")
    # At national scale thousands can be due at once: a page at a time, the count of all.
    page = Paginator(due.select_related("organisation"), RETENTION_PER_PAGE).get_page(
        request.GET.get("page")
    )
    due_count = page.paginator.count
    record_audit(AuditAction.VIEW, by=user, detail=f"retention list, {due_count} records")
    if not form.is_bound:
        form = RetentionForm(initial={"expected_count": due_count})
    return render(
        request,
        "cases/retention_list.html",
        {
            "people": page,
            "page": page,
            "due_count": due_count,
            "cutoff": cutoff,
            "retention_years": settings.RECORD_RETENTION_YEARS,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
