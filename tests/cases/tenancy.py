"""The cases app's URL patterns for the tenant-isolation walk (tests/test_tenancy.py)."""

from tests.cases.factories import AssistanceFactory, ReferralFactory
from tests.factories import BeneficiaryFactory
from tests.tenancy_support import ObjectUrl, missing_uuid

URLS_WITHOUT_OBJECT = {
    "cases:home",
    "cases:beneficiary_list",
    "cases:beneficiary_create",
    "cases:assistance_bulk",
    "cases:referral_inbox",
}

_THEIR_PERSON = ObjectUrl(
    theirs=lambda world: {"code": world.beneficiary.code},
    missing=lambda world: {"code": "NONE-2000-0001"},
)
_THEIR_REFERRAL = ObjectUrl(
    theirs=lambda world: {"public_id": world.referral.public_id},
    missing=missing_uuid("public_id"),
)

# URL name -> tests.tenancy_support.ObjectUrl
OBJECT_URLS = {
    "cases:beneficiary_detail": _THEIR_PERSON,
    "cases:beneficiary_update": _THEIR_PERSON,
    "cases:consent_create": _THEIR_PERSON,
    "cases:assistance_create": _THEIR_PERSON,
    "cases:outcome_create": _THEIR_PERSON,
    "cases:referral_create": _THEIR_PERSON,
    "cases:referral_detail": _THEIR_REFERRAL,
    "cases:referral_assistance": _THEIR_REFERRAL,
    "cases:referral_accept": _THEIR_REFERRAL,
    "cases:referral_decline": _THEIR_REFERRAL,
    "cases:referral_complete": _THEIR_REFERRAL,
    "cases:referral_withdraw": _THEIR_REFERRAL,
}


def add_records(world):
    """A person of theirs, referred (with consent) to the third organisation: neither the
    person nor the referral is ours in any way."""
    world.beneficiary = BeneficiaryFactory(organisation=world.theirs)
    world.referral = ReferralFactory(
        beneficiary=world.beneficiary, to_organisation=world.third, status="accepted"
    )
    AssistanceFactory(
        beneficiary=world.beneficiary, organisation=world.third, referral=world.referral
    )
