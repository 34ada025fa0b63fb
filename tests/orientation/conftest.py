"""The cast of the orientation tests: a SIAO and its coordinator, an operator with a
programme, a unit and a manager, a landlord with its Seuil account, and a household held by
the SIAO."""

import datetime

import pytest

from seuil.core.enums import OrganisationKind, Role
from seuil.housing.models import Landlord
from tests.conftest import TODAY
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory
from tests.orientation.factories import SiaoFactory

DAY = datetime.timedelta(days=1)


def days_ago(n):
    return TODAY - n * DAY


@pytest.fixture(autouse=True)
def on_the_fixed_day(today):
    """Every orientation test runs with the clock on the fixed day, TODAY."""


@pytest.fixture
def siao(db):
    return SiaoFactory(ref="siao80", name="SIAO de la Somme", department="80")


@pytest.fixture
def coordinator(siao):
    return UserFactory(username="coordinatrice", organisation=siao, role=Role.SIAO_COORDINATOR)


@pytest.fixture
def evaluator(siao):
    return UserFactory(username="evaluateur", organisation=siao, role=Role.SIAO_EVALUATOR)


@pytest.fixture
def operator(db):
    return OrganisationFactory(ref="apremis", name="APREMIS", department="80")


@pytest.fixture
def manager(operator):
    return UserFactory(username="responsable", organisation=operator, role=Role.SERVICE_MANAGER)


@pytest.fixture
def programme(operator):
    return ProgrammeFactory(organisation=operator, ref="iml-r", name="IML Réfugiés")


@pytest.fixture
def landlord_org(db):
    return OrganisationFactory(
        ref="opac80", name="OPAC de la Somme", kind=OrganisationKind.LANDLORD
    )


@pytest.fixture
def landlord_user(landlord_org):
    return UserFactory(username="bailleur", organisation=landlord_org, role=Role.LANDLORD)


@pytest.fixture
def landlord(operator, landlord_org):
    return Landlord.objects.create(
        organisation=operator, ref="opac80", name="OPAC de la Somme", kind="social",
        account=landlord_org,
    )  # fmt: skip


@pytest.fixture
def unit(operator, programme, landlord):
    return HousingUnitFactory(
        organisation=operator,
        ref="L19",
        typology="T2",
        programme=programme,
        landlord=landlord,
        rent=341,
        charges=52,
        captured_on=days_ago(400),
    )


@pytest.fixture
def household(siao):
    """A household whose file the SIAO holds (head: Aïcha Diallo)."""
    household = HouseholdFactory(organisation=siao, ref="M-ORIENT")
    MembershipFactory(
        household=household,
        role="head",
        person__first_name="Aïcha",
        person__last_name="Diallo",
        person__organisation=siao,
    )
    return household
