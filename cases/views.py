"""Screens of casework. Every view reaches records through a selector: another organisation's
record and one that does not exist give the same 404. Views that name a record look it up
before anything else, so a role that may not see it gets that 404 too; views without a record
ask for the casework permission (403 for other roles)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.decorators import role_permission_required
from accounts.enums import AuditAction
from accounts.rules import Permission
from accounts.services import record_audit
from cases import services
from cases.enums import OPEN_REFERRAL_STATUSES, ConsentAction, ReferralStatus
from cases.filters import BeneficiaryFilter
from cases.forms import (
    AssistanceForm,
    BeneficiaryCreateForm,
    BeneficiaryUpdateForm,
    BulkAssistanceForm,
    ConsentForm,
    DeclineForm,
    OutcomeForm,
    ReferralForm,
)
from cases.selectors import (
    HOME_LIST_LENGTH,
    assistance_against,
    beneficiaries_for,
    beneficiary_rows_for,
    consent_events_of,
    current_consents,
    display_value,
    flagged_people_for,
    open_referrals_for,
    recent_assistance_for,
    referral_inbox_for,
    referrals_awaiting_partners_for,
    referrals_for,
    shared_profile_for,
    timeline_of,
)

PEOPLE_PER_PAGE = 25


def _beneficiary_or_404(request, code):
    return get_object_or_404(beneficiaries_for(request.user), code=code)


def _referral_or_404(request, public_id):
    return get_object_or_404(
        referrals_for(request.user).prefetch_related("services"), public_id=public_id
    )


def _form_page(request, form, save, *, title, submit, cancel_url, success, context=None):
    """Show ``form``; on a valid POST call ``save(form)`` (a domain function), then go to the
    URL it returns. A rule the domain function refuses shows on the form; nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            next_url = save(form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success(form) if callable(success) else success)
            return redirect(next_url)
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
        {"inbox": referral_inbox_for(user), "awaiting": referrals_awaiting_partners_for(user)},
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


@login_required
def beneficiary_update(request, code):
    person = _beneficiary_or_404(request, code)
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


@login_required
def consent_create(request, code):
    person = _beneficiary_or_404(request, code)
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


@login_required
def assistance_create(request, code):
    person = _beneficiary_or_404(request, code)
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


@login_required
def outcome_create(request, code):
    person = _beneficiary_or_404(request, code)
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


@login_required
def referral_create(request, code):
    person = _beneficiary_or_404(request, code)
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
