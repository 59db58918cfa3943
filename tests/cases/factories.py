"""Factories and helpers for casework tests."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases.enums import ConsentAction, ConsentPurpose, ReferralStatus
from tests.factories import BeneficiaryFactory, OrganisationFactory, SubProjectFactory


class ConsentEventFactory(DjangoModelFactory):
    class Meta:
        model = "cases.ConsentEvent"

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    purpose = ConsentPurpose.SHARING
    partner = factory.SubFactory(OrganisationFactory)
    action = ConsentAction.GIVEN
    date = date(2023, 1, 10)


class ReferralFactory(DjangoModelFactory):
    """A referral with the person's consent to share with the receiver."""

    class Meta:
        model = "cases.Referral"
        skip_postgeneration_save = True

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    from_organisation = factory.LazyAttribute(lambda referral: referral.beneficiary.organisation)
    to_organisation = factory.SubFactory(OrganisationFactory)
    status = ReferralStatus.SENT
    sent_on = factory.LazyFunction(timezone.localdate)
    due_date = factory.LazyAttribute(lambda referral: referral.sent_on + timedelta(days=14))

    @factory.post_generation
    def consent(referral, create, extracted, **kwargs):
        if create and extracted is not False:
            ConsentEventFactory(
                beneficiary=referral.beneficiary,
                partner=referral.to_organisation,
                date=referral.sent_on,
            )


class AssistanceFactory(DjangoModelFactory):
    class Meta:
        model = "cases.Assistance"

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    organisation = factory.LazyAttribute(lambda assistance: assistance.beneficiary.organisation)
    service_type = factory.SubFactory("tests.factories.ServiceTypeFactory")
    date = date(2023, 2, 1)
    sub_project = factory.SubFactory(SubProjectFactory)


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = "cases.Outcome"

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    organisation = factory.LazyAttribute(lambda outcome: outcome.beneficiary.organisation)
    kind = "employed"
    date = date(2023, 3, 1)


def refer_with_consent(person, partner, *, by, services, days_to_answer=7):
    """A referral sent through the domain function, with her consent to share with the partner
    recorded in the same step (as the referral form does)."""
    from cases.services import ConsentInStep, send_referral

    today = timezone.localdate()
    return send_referral(
        person,
        to_organisation=partner,
        services=services,
        due_date=today + timedelta(days=days_to_answer),
        consent=ConsentInStep(given_by="person", method="orally", on=today),
        by=by,
    )
