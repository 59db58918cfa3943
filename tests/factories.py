"""Factories for the test suite. Personas follow healthchecks: alice works at the organisation
under test, bob is her colleague, charlie works for an outsider organisation."""

from datetime import date
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.enums import Country, Role
from accounts.models import Membership, Organisation, User

TEST_PASSWORD = "correct horse battery staple"
# The time zone of the test organisations, and of the test bodies (tests/conftest.py).
ORGANISATION_TIME_ZONE = "Europe/Bucharest"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = Country.ROMANIA
    city = "Oradea"
    time_zone = ORGANISATION_TIME_ZONE
    code_prefix = factory.Sequence(lambda n: f"T{n:03d}")


def today_at(organisation: Organisation) -> date:
    """The organisation's day, which its pages date by: from 22:00 UTC, Bucharest's is already
    tomorrow."""
    return timezone.localdate(timezone=ZoneInfo(organisation.time_zone))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    display_name = factory.Sequence(lambda n: f"Test user {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


def make_member(role=Role.CASEWORKER, organisation=None, **user_fields):
    """A user with one membership; partnership-wide roles get no organisation."""
    user = UserFactory(**user_fields)
    if role in (Role.PROGRAMME_COORDINATOR, Role.DATA_PROTECTION_OFFICER, Role.SITE_ADMIN):
        organisation = None
    elif organisation is None:
        organisation = OrganisationFactory()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return User.objects.select_related("membership__organisation").get(pk=user.pk)


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = "pillars.Location"
        django_get_or_create = ["code"]

    code = "oradea"
    name = factory.LazyAttribute(lambda location: location.code.title())
    country = "RO"


class SubProjectFactory(DjangoModelFactory):
    class Meta:
        model = "pillars.SubProject"
        django_get_or_create = ["code"]

    code = "main"
    name = factory.LazyAttribute(lambda sub_project: f"{sub_project.code.title()} project")


class ServiceTypeFactory(DjangoModelFactory):
    class Meta:
        model = "cases.ServiceType"
        django_get_or_create = ["code"]

    code = "shelter"
    name = factory.LazyAttribute(lambda service: service.code.replace("-", " ").capitalize())


class BeneficiaryFactory(DjangoModelFactory):
    class Meta:
        model = "cases.Beneficiary"

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.LazyAttributeSequence(
        lambda person, n: f"{person.organisation.code_prefix}-{person.intake_date.year}-{n + 1:04d}"
    )
    alias = factory.Sequence(lambda n: f"Alias {n}")
    category = "exiting_prostitution"
    location = factory.SubFactory(LocationFactory)
    intake_date = date(2022, 3, 1)
    intake_source = "outreach"
    legal_name = factory.Sequence(lambda n: f"Legal Name Number{n}")
    phone = "+40 700 000 111"


class GoalTypeFactory(DjangoModelFactory):
    class Meta:
        model = "cases.GoalType"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"goal-{n}")
    name = factory.Sequence(lambda n: f"Goal {n}")
