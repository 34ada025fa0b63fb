import datetime

import factory
from django.utils import timezone

from seuil.core.enums import OrganisationKind, Role
from seuil.households.models import (
    ClinicalNote,
    ClinicalReferral,
    Consent,
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from tests.core.factories import OrganisationFactory, UserFactory


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


def _days_from_today(n):
    return factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=n))


class ConsentFactory(factory.django.DjangoModelFactory):
    """A consent to share the social note with a landlord, valid today."""

    class Meta:
        model = Consent

    household = factory.SubFactory(HouseholdFactory)
    scope = "social_note"
    recipient = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.LANDLORD)
    given_on = _days_from_today(-10)
    expires_on = _days_from_today(355)


class ClinicalReferralFactory(factory.django.DjangoModelFactory):
    """A household referred (since ten days ago) to a psychologist of its organisation."""

    class Meta:
        model = ClinicalReferral

    household = factory.SubFactory(HouseholdFactory)
    psychologist = factory.SubFactory(
        UserFactory,
        role=Role.PSYCHOLOGIST,
        organisation=factory.SelfAttribute("..household.organisation"),
    )
    referred_on = _days_from_today(-10)


class ClinicalNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicalNote

    household = factory.SubFactory(HouseholdFactory)
    text = "Entretien : angoisses nocturnes, pistes de travail."
