"""Referrals, from both sides: the caseworker who refers a person to a partner, and the partner
organisation that answers, sees the shared profile and logs its help against the referral."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import role_permission_required
from accounts.enums import AuditAction
from accounts.rules import Permission
from accounts.services import record_audit
from cases import services
from cases.enums import OPEN_REFERRAL_STATUSES, ConsentAction, ReferralStatus
from cases.forms import AssistanceForm, DeclineForm, OutcomeForm, ReferralForm
from cases.models import Beneficiary, Referral
from cases.selectors import (
    assistance_against,
    consent_events_of,
    current_consents,
    erasure_notices_for,
    outcomes_against,
    referral_inbox_for,
    referrals_awaiting_partners_for,
    safe_contact_for,
    shared_field_names,
    shared_profile_for,
)
from cases.views.common import (
    case_form_page,
    changes_the_record,
    person_form_page,
    referral_or_404,
    referral_url,
)
from nextsteps.views import form_status, warn_if_locked

REFERRALS_PER_PAGE = 25


@role_permission_required(Permission.RECORD_CASEWORK)
def referral_inbox(request):
    user = request.user
    return render(
        request,
        "cases/referral_inbox.html",
        {
            # A national network's inbox holds hundreds of open referrals: a page at a time.
            "inbox": Paginator(_as_listed(referral_inbox_for(user)), REFERRALS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "awaiting": Paginator(
                _as_listed(referrals_awaiting_partners_for(user)), REFERRALS_PER_PAGE
            ).get_page(request.GET.get("sent_page")),
            "erasure_notices": erasure_notices_for(user),
        },
    )


def _as_listed(referrals):
    """Referrals without what the inbox never shows: their messages and safe contact, the
    person's identity (fifty referrals a page held some 500 encrypted values, each decrypted
    on reading)."""
    person = (f"beneficiary__{name}" for name in Beneficiary.NOT_LISTED_FIELDS)
    return referrals.defer(*Referral.NOT_LISTED_FIELDS, *person)


@login_required
def erasure_notice_acknowledge(request, public_id):
    notice = get_object_or_404(erasure_notices_for(request.user), public_id=public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.acknowledge_erasure_notice(notice, by=request.user)
    messages.success(request, _("Noted: %(code)s is erased.") % {"code": notice.beneficiary.code})
    return redirect("cases:referral_inbox")


@changes_the_record
def referral_create(request, person):
    form = ReferralForm(request.POST or None, user=request.user, person=person)

    def save(form):
        data = form.cleaned_data
        referral = services.send_referral(
            person,
            to_organisation=data["to_organisation"],
            services=data["services"],
            due_date=data["due_date"],
            message=data["message"],
            shared_fields=data["shared_fields"],
            safe_contact=form.safe_contact,
            consent=data["consent"],
            historic=data["historic"],
            by=request.user,
        )
        warn_if_locked(request, referral.sent_on)
        return referral_url(referral)

    sharing = [
        consent
        for consent in current_consents(consent_events_of(person))
        if consent.partner is not None and consent.is_given
    ]
    return person_form_page(
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
    referral = referral_or_404(request, public_id)
    return render_referral(request, referral)


def render_referral(request, referral, decline_form=None, outcome_form=None):
    """The referral's page, for either side. The receiver sees the person's minimal set, the
    fields the sender chose and the safe contact only while the referral gives it access."""
    user = request.user
    profile = shared_profile_for(user, referral)
    safe_contact = safe_contact_for(user, referral)
    is_receiver = referral.to_organisation_id == user.organisation.pk
    record_audit(
        AuditAction.VIEW,
        referral,
        by=user,
        detail=_what_the_page_shows(referral, profile, safe_contact),
    )
    allowed = services.allowed_transitions(referral, user)
    decline_form = decline_form or DeclineForm()
    outcome_form = outcome_form or (OutcomeForm() if profile else None)
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "is_receiver": is_receiver,
            "profile": profile,
            "allowed": allowed,
            "decline_form": decline_form,
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
            "safe_contact": safe_contact,
            "shared_names": None if is_receiver else shared_field_names(referral),
            "outcomes": outcomes_against(referral),
            "outcome_form": outcome_form,
        },
        # A decline without its reason or an outcome with a bad date come back invalid.
        status=form_status(decline_form, outcome_form),
    )


def _what_the_page_shows(referral, profile, safe_contact):
    """The audit row's detail: which of the person's fields a partner saw (by name)."""
    if not profile:
        return "referral"
    shown = ", ".join(["minimal", *referral.shared_fields])
    return f"referral, shared profile: {shown}" + (" + safe contact" if safe_contact else "")


TRANSITIONS = {
    "accept": (services.accept_referral, ReferralStatus.ACCEPTED),
    "decline": (services.decline_referral, ReferralStatus.DECLINED),
    "complete": (services.complete_referral, ReferralStatus.COMPLETED),
    "withdraw": (services.withdraw_referral, ReferralStatus.WITHDRAWN),
}


@login_required
def referral_transition(request, public_id, transition):
    referral = referral_or_404(request, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    move, status = TRANSITIONS[transition]
    arguments = {}
    if transition == "decline":
        decline_form = DeclineForm(request.POST)
        if not decline_form.is_valid():
            return render_referral(request, referral, decline_form=decline_form)
        arguments["reason"] = decline_form.cleaned_data["reason"]
    try:
        move(referral, by=request.user, **arguments)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Referral %(status)s.") % {"status": status.label.lower()})
    return redirect(referral_url(referral))


@login_required
def referral_assistance(request, public_id):
    """The receiving organisation logs its own help against the referral while it has access."""
    referral = referral_or_404(request, public_id)
    if shared_profile_for(request.user, referral) is None:
        messages.error(request, _("This referral gives your organisation no access to the person."))
        return redirect(referral_url(referral))
    form = AssistanceForm(request.POST or None)

    def save(form):
        services.log_assistance(
            referral.beneficiary, by=request.user, referral=referral, **form.assistance_fields
        )
        warn_if_locked(request, form.assistance_fields.get("date"))
        return referral_url(referral)

    return case_form_page(
        request,
        form,
        save,
        title=_("Log assistance against the referral of %(code)s")
        % {"code": referral.beneficiary.code},
        submit=_("Log assistance"),
        cancel_url=referral_url(referral),
        success=_("Assistance logged."),
        referral=referral,
    )
