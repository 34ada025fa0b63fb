import factory

from seuil.core.enums import OrganisationKind, Role
from seuil.core.models import Organisation, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    ref = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Association {n}")
    kind = OrganisationKind.OPERATOR
    department = "80"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = "Dupré"
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.SERVICE_MANAGER
    password = factory.django.Password("motdepasse-solide-42")

    class Params:
        social_worker = factory.Trait(role=Role.SOCIAL_WORKER)
        tenancy_officer = factory.Trait(role=Role.TENANCY_OFFICER)
        state = factory.Trait(role=Role.STATE)
        landlord = factory.Trait(role=Role.LANDLORD)
