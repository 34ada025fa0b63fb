import datetime

import factory

from seuil.households.models import (
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from tests.core.factories import OrganisationFactory


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    organisation = factory.SubFactory(OrganisationFactory)
    ref = factory.Sequence(lambda n: f"M{n:04d}")
    prior_situation = "specialised_shelter"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    ref = factory.Sequence(lambda n: f"P{n:05d}")
    first_name = "Aïcha"
    last_name = "N'Diaye"
    sex = "F"
    birth_date = datetime.date(1988, 4, 2)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..household.organisation")
    )
    role = "head"


class LegalStatusRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalStatusRecord

    person = factory.SubFactory(PersonFactory)
    since = datetime.date(2021, 6, 1)
    status = "refugee"


class ResourceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceRecord

    household = factory.SubFactory(HouseholdFactory)
    on = datetime.date(2023, 1, 1)
    types = ["rsa"]
