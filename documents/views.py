"""Documents: adding one to a person (her organisation) or to a referral (either side, while it
gives access), choosing which the partner sees on a referral, and downloading one (streamed,
audited). Another organisation's document and a missing one give the same 404."""

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cases.views.common import (
    case_form_page,
    changes_the_record,
    detail_url,
    person_form_page,
    referral_or_404,
    referral_url,
)
from documents import services
from documents.forms import DocumentForm, ShareDocumentsForm
from documents.selectors import documents_for, documents_on_referral, shareable_documents


@changes_the_record
def add_to_person(request, person):
    form = DocumentForm(request.POST or None, request.FILES or None)

    def save(form):
        services.add_document(
            person,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            by=request.user,
        )
        return detail_url(person)

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Add a document"),
        submit=_("Add document"),
        success=_("Document added, encrypted."),
    )


@login_required
def add_to_referral(request, public_id):
    referral = referral_or_404(request, public_id)
    form = DocumentForm(request.POST or None, request.FILES or None)

    def save(form):
        services.add_document(
            referral.beneficiary,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            referral=referral,
            by=request.user,
        )
        return referral_url(referral)

    return case_form_page(
        request,
        form,
        save,
        title=_("Add a document to the referral of %(code)s") % {"code": referral.beneficiary.code},
        submit=_("Add document"),
        cancel_url=referral_url(referral),
        success=_("Document added, encrypted."),
        referral=referral,
    )


@login_required
def share_on_referral(request, public_id):
    referral = referral_or_404(request, public_id)
    shareable = shareable_documents(request.user, referral)
    form = ShareDocumentsForm(
        request.POST if request.method == "POST" else None,
        shareable=shareable,
        initial={"documents": list(documents_on_referral(request.user, referral))},
    )

    def save(form):
        services.share_on_referral(
            referral, documents=form.cleaned_data["documents"], by=request.user
        )
        return referral_url(referral)

    return case_form_page(
        request,
        form,
        save,
        title=_("Documents shared on the referral of %(code)s")
        % {"code": referral.beneficiary.code},
        submit=_("Share"),
        cancel_url=referral_url(referral),
        success=_("The partner sees the documents ticked."),
        referral=referral,
    )


@login_required
def download(request, public_id):
    document = get_object_or_404(documents_for(request.user), public_id=public_id)
    response = StreamingHttpResponse(
        services.download(document, by=request.user), content_type=document.content_type
    )
    # The name on the user's disk says what it is, not whom it is about.
    filename = f"{document.beneficiary.code}-{document.kind}-{document.public_id.hex[:8]}"
    extension = services.ACCEPTED_TYPES[document.content_type]
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    response["Content-Length"] = str(document.size)
    return response
