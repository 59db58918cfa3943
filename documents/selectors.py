"""Read queries of documents, each limited to what the user may see: her organisation's people's
documents whole; a partner's only through a referral that gives it access now."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from cases.models import Beneficiary, Referral
from cases.selectors import does_casework
from documents.models import Document


def _referrals_giving_access(user: User) -> QuerySet[Referral]:
    return (
        Referral.objects.sharing_in_force().filter(to_organisation=user.organisation).values("pk")
    )


def documents_for(user: User) -> QuerySet[Document]:
    """Every document the user may open now."""
    if not does_casework(user):
        return Document.objects.none()
    organisation = user.organisation
    in_force = _referrals_giving_access(user)
    return (
        Document.objects.filter(
            Q(beneficiary__organisation=organisation)
            | Q(shared_on__in=in_force)
            | Q(referral__in=in_force, organisation=organisation)
        )
        .filter(beneficiary__erased_at__isnull=True)
        .select_related("beneficiary", "organisation")
        .distinct()
    )


def documents_of_person(user: User, person: Beneficiary) -> QuerySet[Document]:
    """The documents of one of the user's organisation's people, with the partners' additions."""
    return documents_for(user).filter(beneficiary=person)


def documents_on_referral(user: User, referral: Referral) -> QuerySet[Document]:
    """What the referral carries: the sender's documents shared on it and those the partner
    added against it; for the partner, only while the referral gives it access."""
    return documents_for(user).filter(Q(shared_on=referral) | Q(referral=referral))


def shareable_documents(user: User, referral: Referral) -> QuerySet[Document]:
    """The person's documents the sender may share on the referral (her own organisation's)."""
    if referral.from_organisation_id != getattr(user.organisation, "pk", None):
        return Document.objects.none()
    return documents_for(user).filter(
        beneficiary=referral.beneficiary, organisation=user.organisation
    )
