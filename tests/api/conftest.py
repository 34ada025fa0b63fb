"""API personas: clients that authenticate with real personal tokens, and A's data."""

import datetime

import pytest
from rest_framework.test import APIClient

from seuil.core.models import ApiToken
from tests.core.factories import UserFactory
from tests.households.factories import (
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory


def token_client(user):
    """An API client sending `Authorization: Token <key>` with a token issued to `user`."""
    _, key = ApiToken.issue(user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api_a(member_a):
    """A service manager of organisation A, through the API."""
    return token_client(member_a)


@pytest.fixture
def api_b(member_b):
    """A service manager of organisation B, through the API."""
    return token_client(member_b)


@pytest.fixture
def api_as(org_a):
    """A client of organisation A with the given role: `api_as("state")`."""

    def make(role):
        return token_client(UserFactory(organisation=org_a, role=role))

    return make


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def household_a(org_a):
    """A household of A: a head with a dated legal status, and resources."""
    household = HouseholdFactory(organisation=org_a, ref="M-A1")
    head = MembershipFactory(household=household, role="head")
    LegalStatusRecordFactory(person=head.person, since=datetime.date(2021, 6, 1))
    ResourceRecordFactory(household=household, on=datetime.date(2023, 1, 1), types=["rsa"])
    return household


@pytest.fixture
def programme_a(org_a):
    return ProgrammeFactory(organisation=org_a, ref="iml-r")


@pytest.fixture
def unit_a(org_a, programme_a):
    # A T2: it suits the household of one person of `household_a`.
    return HousingUnitFactory(organisation=org_a, ref="L-A1", typology="T2", programme=programme_a)


@pytest.fixture
def stay_a(household_a, unit_a):
    return StayFactory(household=household_a, unit=unit_a, entered_on=datetime.date(2023, 3, 1))
