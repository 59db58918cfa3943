"""The cases app's URL patterns for the tenant-isolation walk (tests/test_tenancy.py)."""

from datetime import date

from accounts.enums import Role
from cases.models import CaseNote, ConsentEvent, ErasureNotice, Goal, Task, Transfer
from tests.cases.factories import AssistanceFactory, OutcomeFactory, ReferralFactory
from tests.factories import BeneficiaryFactory, make_member
from tests.tenancy_support import ObjectUrl, missing_uuid

CASEWORK_URLS_WITHOUT_OBJECT = {
    "cases:home",
    "cases:beneficiary_list",
    "cases:beneficiary_create",
    "cases:assistance_bulk",
    "cases:referral_inbox",
    "cases:beneficiary_export",
    "cases:transfer_list",
    "cases:identity_search",
}
# The data protection officer's pages (403 for every other role).
DATA_PROTECTION_URLS_WITHOUT_OBJECT = {"cases:data_requests", "cases:retention"}
URLS_WITHOUT_OBJECT = CASEWORK_URLS_WITHOUT_OBJECT | DATA_PROTECTION_URLS_WITHOUT_OBJECT

_THEIR_PERSON = ObjectUrl(
    theirs=lambda world: {"code": world.beneficiary.code},
    missing=lambda world: {"code": "NONE-2000-0001"},
)
_THEIR_REFERRAL = ObjectUrl(
    theirs=lambda world: {"public_id": world.referral.public_id},
    missing=missing_uuid("public_id"),
)


def _public_id_of(attribute):
    return ObjectUrl(
        theirs=lambda world: {"public_id": getattr(world, attribute).public_id},
        missing=missing_uuid("public_id"),
    )


_THEIR_ASSISTANCE = ObjectUrl(
    theirs=lambda world: {"public_id": world.assistance.public_id},
    missing=missing_uuid("public_id"),
)
_THEIR_OUTCOME = ObjectUrl(
    theirs=lambda world: {"public_id": world.outcome.public_id},
    missing=missing_uuid("public_id"),
)

# The data protection officer answers the requests of every organisation's people.
_DATA_REQUEST = ObjectUrl(
    theirs=lambda world: {"code": world.beneficiary.code},
    missing=lambda world: {"code": "NONE-2000-0001"},
    visible_to=frozenset({Role.DATA_PROTECTION_OFFICER}),
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
    "cases:referral_outcome": _THEIR_REFERRAL,
    "cases:referral_accept": _THEIR_REFERRAL,
    "cases:referral_decline": _THEIR_REFERRAL,
    "cases:referral_complete": _THEIR_REFERRAL,
    "cases:referral_withdraw": _THEIR_REFERRAL,
    "cases:erasure_notice_acknowledge": ObjectUrl(
        theirs=lambda world: {"public_id": world.erasure_notice.public_id},
        missing=missing_uuid("public_id"),
    ),
    "cases:goal_create": _THEIR_PERSON,
    "cases:task_create": _THEIR_PERSON,
    "cases:note_create": _THEIR_PERSON,
    "cases:goal_status": _public_id_of("goal"),
    "cases:task_done": _public_id_of("task"),
    "cases:note_correct": _public_id_of("note"),
    "cases:case_summary": _THEIR_PERSON,
    "cases:merge_choose": _THEIR_PERSON,
    "cases:merge_confirm": ObjectUrl(
        theirs=lambda world: {"code": world.beneficiary.code, "other": world.duplicate.code},
        missing=lambda world: {"code": "NONE-2000-0001", "other": "NONE-2000-0002"},
    ),
    "cases:case_close": _THEIR_PERSON,
    "cases:case_reopen": _THEIR_PERSON,
    "cases:assistance_correct": _THEIR_ASSISTANCE,
    "cases:assistance_void": _THEIR_ASSISTANCE,
    "cases:outcome_correct": _THEIR_OUTCOME,
    "cases:outcome_void": _THEIR_OUTCOME,
    "cases:transfer_create": ObjectUrl(
        theirs=lambda world: {"code": world.transferable.code},
        missing=lambda world: {"code": "NONE-2000-0001"},
    ),
    "cases:transfer_detail": _public_id_of("transfer"),
    "cases:transfer_accept": _public_id_of("transfer"),
    "cases:transfer_decline": _public_id_of("transfer"),
    "cases:transfer_withdraw": _public_id_of("transfer"),
    "cases:data_request": _DATA_REQUEST,
    "cases:access_report": _DATA_REQUEST,
    "cases:access_report_download": _DATA_REQUEST,
    "cases:erasure": _DATA_REQUEST,
}


def add_records(world):
    """A person of theirs, referred (with consent) to the third organisation: neither the
    person nor the referral is ours in any way."""
    world.beneficiary = BeneficiaryFactory(organisation=world.theirs)
    # The same person registered again (the merge's other record).
    world.duplicate = BeneficiaryFactory(organisation=world.theirs)
    world.referral = ReferralFactory(
        beneficiary=world.beneficiary, to_organisation=world.third, status="accepted"
    )
    AssistanceFactory(
        beneficiary=world.beneficiary, organisation=world.third, referral=world.referral
    )
    # What they logged for her themselves (they alone correct or void it).
    world.assistance = AssistanceFactory(beneficiary=world.beneficiary)
    world.outcome = OutcomeFactory(beneficiary=world.beneficiary)
    # Their plan, tasks and notes about her: theirs alone, the third organisation included.
    their_caseworker = make_member(Role.CASEWORKER, world.theirs)
    world.goal = Goal.objects.create(
        beneficiary=world.beneficiary, organisation=world.theirs, title="A job"
    )
    world.task = Task.objects.create(
        beneficiary=world.beneficiary,
        organisation=world.theirs,
        title="Call the lawyer",
        due_date=date(2023, 5, 1),
        assignee=their_caseworker,
    )
    world.note = CaseNote.objects.create(
        beneficiary=world.beneficiary, organisation=world.theirs, text="Met at the shelter"
    )
    # A person of theirs with no open referral (her case may move), and another whose case
    # they asked the third organisation to take over: neither concerns us.
    world.transferable = BeneficiaryFactory(organisation=world.theirs)
    moving = BeneficiaryFactory(organisation=world.theirs)
    ConsentEvent.objects.create(
        beneficiary=moving, purpose="transfer", partner=world.third, action="given"
    )
    world.transfer = Transfer.objects.create(
        beneficiary=moving,
        from_organisation=world.theirs,
        to_organisation=world.third,
        reason="She moves to the third organisation's town",
    )
    # The third organisation was told that another of their people, referred to it, was erased.
    erased = BeneficiaryFactory(organisation=world.theirs, erased_at="2024-01-01T00:00Z")
    world.erasure_notice = ErasureNotice.objects.create(
        organisation=world.third, beneficiary=erased
    )
