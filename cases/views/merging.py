"""Merging two records of the same person (cases.merging), for the organisation's admin: from
the person's page, the other record's code, then a confirmation page that shows what moves and
which values are kept. Both records are looked up first (404 for anyone outside the
organisation), then the role is checked (403 for a colleague who is not an admin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.enums import AuditAction
from accounts.rules import Permission
from accounts.services import record_audit
from cases import merging, services
from cases.forms import MergeChoiceForm, MergeForm
from cases.selectors import beneficiaries_for
from cases.views.common import beneficiary_or_404, detail_url, merged_code_or_404
from nextsteps.views import form_page, render_form


def _check_may_merge(request, person):
    if not merging.may_merge(request.user, person):
        raise PermissionDenied(Permission.MERGE_RECORDS)


def _merge_url(survivor_code, merged_code):
    return reverse("cases:merge_confirm", kwargs={"code": survivor_code, "other": merged_code})


@login_required
def merge_choose(request, code):
    person = beneficiary_or_404(request, code)
    _check_may_merge(request, person)
    if person.is_erased:
        messages.error(request, services.ERASED_RECORD)
        return redirect(detail_url(person))
    form = MergeChoiceForm(request.GET or None, person=person, user=request.user)
    if form.is_valid():
        return redirect(_merge_url(person.code, form.cleaned_data["other"]))
    record_audit(AuditAction.VIEW, person, by=request.user, detail="merge: choose the other record")
    return render_form(
        request,
        "cases/merge_choose.html",
        {"form": form, "person": person, "cancel_url": detail_url(person)},
    )


@login_required
def merge_confirm(request, code, other):
    survivor = beneficiary_or_404(request, code)
    merged = beneficiaries_for(request.user).filter(code=other).first()
    if merged is None:
        # Merged meanwhile (the confirmation sent twice, a colleague's merge): its code leads to
        # the record it became part of, as on the person's page; else 404.
        return merged_code_or_404(request, other)
    _check_may_merge(request, survivor)
    if survivor.pk == merged.pk or survivor.is_erased or merged.is_erased:
        messages.error(request, " ".join(merging.merge_conflicts(survivor, merged)))
        return redirect(detail_url(survivor))
    form = MergeForm(request.POST or None, survivor=survivor, merged=merged)
    response = form_page(
        request,
        form,
        lambda form: detail_url(
            merging.merge_records(
                survivor,
                merged,
                by=request.user,
                survivor_version=form.cleaned_data["survivor_version"],
                merged_version=form.cleaned_data["merged_version"],
            )
        ),
        template="cases/merge_confirm.html",
        success=_("%(merged)s was merged into %(survivor)s.")
        % {"merged": merged.code, "survivor": survivor.code},
        context={
            "preview": merging.merge_preview(survivor, merged),
            "person": survivor,
            "swap_url": _merge_url(merged.code, survivor.code),
            "cancel_url": detail_url(survivor),
        },
    )
    if not response.has_header("Location"):
        # The page shows both records' identities: a look at each.
        for person in (survivor, merged):
            record_audit(
                AuditAction.VIEW,
                person,
                by=request.user,
                detail=f"merge confirmation: {survivor.code} keeps, {merged.code} merged",
            )
    return response
