import pytest
from django_scopes import ScopeError, scope

from cases.models import Beneficiary, Referral
from nextsteps.scoping import ALL_ORGANISATIONS, organisation_scope
from tests.factories import BeneficiaryFactory, OrganisationFactory


@pytest.fixture
def two_organisations_with_a_person_each(db):
    ours, theirs = OrganisationFactory(), OrganisationFactory()
    return (
        ours,
        theirs,
        BeneficiaryFactory(organisation=ours),
        BeneficiaryFactory(organisation=theirs),
    )


def test_a_query_outside_any_scope_raises(two_organisations_with_a_person_each):
    with scope(), pytest.raises(ScopeError):
        list(Beneficiary.objects.all())


def test_a_scope_shows_only_its_organisations_rows(two_organisations_with_a_person_each):
    ours, _theirs, our_person, their_person = two_organisations_with_a_person_each

    with organisation_scope([ours.pk]):
        assert list(Beneficiary.objects.all()) == [our_person]
        assert not Beneficiary.objects.filter(pk=their_person.pk).exists()


def test_an_empty_scope_shows_nothing_and_all_shows_everything(
    two_organisations_with_a_person_each,
):
    with organisation_scope([]):
        assert Beneficiary.objects.count() == 0
    with organisation_scope(ALL_ORGANISATIONS):
        assert Beneficiary.objects.count() == 2


def test_a_model_with_two_paths_is_seen_from_either_end(two_organisations_with_a_person_each):
    ours, theirs, our_person, _their_person = two_organisations_with_a_person_each
    bystander = OrganisationFactory()
    referral = Referral.objects.create(
        beneficiary=our_person,
        from_organisation=ours,
        to_organisation=theirs,
        due_date=our_person.intake_date,
    )

    for organisation in (ours, theirs):
        with organisation_scope([organisation.pk]):
            assert list(Referral.objects.all()) == [referral]
    with organisation_scope([bystander.pk]):
        assert not Referral.objects.exists()
