"""Transfers of a case to another organisation, from both sides: the organisation that has the
case asks (with her consent, in the same step), the organisation asked accepts or declines, and
the one that asked may withdraw until then."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.decorators import role_permission_required
from accounts.enums import AuditAction
from accounts.rules import Permission
from accounts.services import record_audit
from cases import services
from cases.enums import TransferStatus
from cases.forms import TransferDeclineForm, TransferForm
from cases.selectors import (
    transfer_profile_for,
    transfer_reason_visible_to,
    transfers_answered_for,
    transfers_asked_by,
    transfers_for,
    transfers_to_answer_for,
)
from cases.views.common import changes_the_record, person_form_page
from nextsteps.views import form_status

TRANSFERS_PER_PAGE = 25


def transfer_url(transfer):
    return reverse("cases:transfer_detail", kwargs={"public_id": transfer.public_id})


def transfer_or_404(request, public_id):
    return get_object_or_404(transfers_for(request.user), public_id=public_id)


@role_permission_required(Permission.RECORD_CASEWORK)
def transfer_list(request):
    """The organisation's transfers: those it is asked to answer, those it asked for, and the
    answered ones (codes and organisations only: no person's details on a list)."""
    user = request.user
    return render(
        request,
        "cases/transfer_list.html",
        {
            "to_answer": transfers_to_answer_for(user),
            "asked": transfers_asked_by(user),
            "answered": Paginator(transfers_answered_for(user), TRANSFERS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
        },
    )


@changes_the_record
def transfer_create(request, person):
    form = TransferForm(request.POST or None, user=request.user)

    def save(form):
        transfer = services.request_transfer(
            person,
            to_organisation=form.cleaned_data["to_organisation"],
            reason=form.cleaned_data["reason"],
            consent=form.consent,
            by=request.user,
        )
        return transfer_url(transfer)

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Transfer the case to another organisation"),
        submit=_("Ask for the transfer"),
        success=_("Transfer asked for: the partner is told."),
        intro=_(
            "Accepted, the record with the person's identity, consent, notes, plan, tasks and "
            "documents goes to the partner, and your organisation no longer sees it. The help, "
            "outcomes and referrals your organisation recorded stay yours in the figures."
        ),
    )


@login_required
def transfer_detail(request, public_id):
    transfer = transfer_or_404(request, public_id)
    return render_transfer(request, transfer)


def render_transfer(request, transfer, decline_form=None):
    """The transfer's page, for either side. The organisation asked sees the minimal set of her
    record and the reason while it decides; after that each side sees the organisations, dates
    and status, and the organisation that has her case a link to her record."""
    user = request.user
    profile = transfer_profile_for(user, transfer)
    record_audit(
        AuditAction.VIEW,
        transfer,
        by=user,
        detail="transfer, minimal profile" if profile else "transfer",
    )
    is_receiver = transfer.to_organisation_id == user.organisation.pk
    is_open = transfer.status == TransferStatus.REQUESTED
    decline_form = decline_form or TransferDeclineForm()
    return render(
        request,
        "cases/transfer_detail.html",
        {
            "transfer": transfer,
            "profile": profile,
            "show_reason": transfer_reason_visible_to(user, transfer),
            "has_her_case": transfer.beneficiary.organisation_id == user.organisation.pk
            and not transfer.beneficiary.is_erased,
            "may_answer": is_open and is_receiver and not transfer.beneficiary.is_erased,
            "may_withdraw": is_open and not is_receiver,
            "decline_form": decline_form,
        },
        status=form_status(decline_form),
    )


TRANSITIONS = {
    "accept": (services.accept_transfer, gettext_lazy("Transfer accepted: the record is yours.")),
    "decline": (services.decline_transfer, gettext_lazy("Transfer declined.")),
    "withdraw": (services.withdraw_transfer, gettext_lazy("Transfer withdrawn.")),
}


@login_required
def transfer_transition(request, public_id, transition):
    transfer = transfer_or_404(request, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    move, success = TRANSITIONS[transition]
    arguments = {}
    if transition == "decline":
        decline_form = TransferDeclineForm(request.POST)
        if not decline_form.is_valid():
            return render_transfer(request, transfer, decline_form=decline_form)
        arguments["reason"] = decline_form.cleaned_data["reason"]
    try:
        transfer = move(transfer, by=request.user, **arguments)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(transfer_url(transfer))
    messages.success(request, success)
    if transition == "accept":
        return redirect("cases:beneficiary_detail", code=transfer.beneficiary.code)
    return redirect(transfer_url(transfer))
