"""The documents sections of the person's page and the referral's page, so that the casework
views need not know about documents: each section reads through the documents selectors for
the user of the page."""

from django import template

from documents.selectors import documents_of_person, documents_on_referral

register = template.Library()


@register.inclusion_tag("documents/person_documents.html", takes_context=True)
def person_documents(context, person):
    user = context["request"].user
    return {"person": person, "documents": list(documents_of_person(user, person))}


@register.inclusion_tag("documents/referral_documents.html", takes_context=True)
def referral_documents(context, referral, *, is_receiver, has_access):
    user = context["request"].user
    return {
        "referral": referral,
        "documents": list(documents_on_referral(user, referral)),
        "may_share": not is_receiver and not referral.beneficiary.is_erased,
        "may_add": is_receiver and has_access,
    }
