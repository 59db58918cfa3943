import pytest

from accounts.enums import Country, Role
from cases.models import CaseNote
from tests.cases.factories import ReferralFactory
from tests.factories import (
    BeneficiaryFactory,
    LocationFactory,
    OrganisationFactory,
    ServiceTypeFactory,
    SubProjectFactory,
    make_member,
)


@pytest.fixture
def reference_data(db):
    """The managed lists forms pick from."""
    return {
        "location": LocationFactory(code="oradea"),
        "sub_project": SubProjectFactory(code="main"),
        "refugee_project": SubProjectFactory(code="refugee"),
        "shelter": ServiceTypeFactory(code="shelter", default_unit="nights"),
        "food": ServiceTypeFactory(code="food", default_unit="items"),
        "legal": ServiceTypeFactory(code="legal-assistance", default_unit="hours"),
    }


@pytest.fixture
def ijm(db):
    return OrganisationFactory(slug="ijm-test", name="IJM (test)", code_prefix="IJM")


@pytest.fixture
def dutch_partner(db):
    return OrganisationFactory(
        slug="nl-test", name="Dutch partner (test)", code_prefix="NLP", country=Country.NETHERLANDS
    )


@pytest.fixture
def ijm_caseworker(ijm):
    return make_member(Role.CASEWORKER, ijm, email="ines@ijm.test")


# The first entry of her notes journal.
NOTE = "Notes only Betania reads"


@pytest.fixture
def person(betania, reference_data):
    """One of Betania's people, with identity and notes that must never leave Betania."""
    person = BeneficiaryFactory(
        organisation=betania,
        alias="Mirela",
        legal_name="Ionela Secret-Name",
        phone="+40 711 222 333",
        safety_flag=True,
        safety_reason="Trafficker looking for her",
    )
    CaseNote.objects.create(beneficiary=person, organisation=betania, text=NOTE)
    return person


@pytest.fixture
def referral(person, ijm, alice):
    """Betania's person referred to IJM, with her consent to share with IJM."""
    return ReferralFactory(beneficiary=person, to_organisation=ijm, sent_by=alice)
