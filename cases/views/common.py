"""What the casework screens share. Every view reaches records through a selector: another
organisation's record and one that does not exist give the same 404. Views that name a record
look it up before anything else, so a role that may not see it gets that 404 too; views without
a record ask for the casework permission (403 for other roles)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from accounts.enums import AuditAction
from accounts.services import record_audit
from cases import services
from cases.selectors import beneficiaries_for, referrals_for, survivor_of_merged_code
from nextsteps.views import form_page, render_form

FORM_TEMPLATE = "cases/form_page.html"


def beneficiary_or_404(request, code):
    return get_object_or_404(beneficiaries_for(request.user), code=code)


def merged_code_or_404(request, code):
    """The code of a record merged into another (cases.merging) leads the organisation's own
    staff to the record it became part of; any other unknown code is not found."""
    survivor = survivor_of_merged_code(request.user, code)
    if survivor is None:
        raise Http404
    messages.info(
        request,
        _("%(merged)s was merged into %(survivor)s.") % {"merged": code, "survivor": survivor.code},
    )
    return redirect(detail_url(survivor))


def referral_or_404(request, public_id):
    return get_object_or_404(
        referrals_for(request.user).prefetch_related("services"), public_id=public_id
    )


def detail_url(beneficiary):
    return reverse("cases:beneficiary_detail", kwargs={"code": beneficiary.code})


def referral_url(referral):
    return reverse("cases:referral_detail", kwargs={"public_id": referral.public_id})


def refusing_an_erased_record(find, back_to):
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


# The forms that add to or change a person's record.
changes_the_record = refusing_an_erased_record(beneficiary_or_404, detail_url)


def case_form_page(request, form, save, *, title, submit, cancel_url, success, **context):
    """A form page of casework: ``title`` on top, ``submit`` and "Cancel" (to ``cancel_url``)
    below the form."""
    context = {"title": title, "submit": submit, "cancel_url": cancel_url, **context}
    return form_page(request, form, save, template=FORM_TEMPLATE, success=success, context=context)


def person_form_page(request, person, form, save, *, title, submit, success, **context):
    """A form about one person: her code and alias on top, "Cancel" back to her file. Showing
    the form is a look at her record (the edit form holds her identity): one audit row."""
    response = case_form_page(
        request,
        form,
        save,
        title=title,
        submit=submit,
        cancel_url=detail_url(person),
        success=success,
        person=person,
        **context,
    )
    if not response.has_header("Location"):
        # Saved, the domain function wrote the row of the change; shown, the form is a look.
        record_audit(AuditAction.VIEW, person, by=request.user, detail=f"form {_url_name(request)}")
    return response


def _url_name(request):
    return request.resolver_match.url_name if request.resolver_match else ""


# -- exports of personal data ----------------------------------------------------------------------

# The passwords that encrypt exports never reach an error report.
export_password_is_sensitive = sensitive_post_parameters("password", "password_again")


def attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_password_page(request, form, *, title, intro, cancel_url, submit=None):
    """The page that asks how to export: ``submit`` names its button when it does not download
    at once (a long list prepared in the background, whose password is asked later)."""
    return render_form(
        request,
        "cases/export_password.html",
        {"form": form, "title": title, "intro": intro, "cancel_url": cancel_url, "submit": submit},
    )
