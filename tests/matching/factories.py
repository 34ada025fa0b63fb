from seuil.core.enums import Role
from seuil.matching import services
from tests.core.factories import UserFactory


def matching_run_of(organisation, programme):
    """A finished run of `organisation` on `programme`, started by one of its coordinators."""
    coordinator = UserFactory(organisation=organisation, role=Role.SIAO_COORDINATOR)
    return services.start_run(programme, acting_user=coordinator)
