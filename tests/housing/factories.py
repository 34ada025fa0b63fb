import datetime

import factory

from seuil.housing.models import HousingUnit, Programme, Stay
from tests.core.factories import OrganisationFactory
from tests.households.factories import HouseholdFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    ref = factory.Sequence(lambda n: f"prog-{n}")
    name = "IML Réfugiés"
    kind = "iml"


class HousingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HousingUnit

    organisation = factory.SubFactory(OrganisationFactory)
    ref = factory.Sequence(lambda n: f"L{n:03d}")
    typology = "T3"
    address = "12 rue des Jacobins"
    commune = "80021"
    rent = 420
    charges = 60
    captured_on = datetime.date(2020, 1, 1)


class StayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stay

    household = factory.SubFactory(HouseholdFactory)
    organisation = factory.SelfAttribute("household.organisation")
    unit = factory.SubFactory(
        HousingUnitFactory, organisation=factory.SelfAttribute("..household.organisation")
    )
    ref = factory.Sequence(lambda n: f"S{n:05d}")
    entered_on = datetime.date(2022, 1, 1)
