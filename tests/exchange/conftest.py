"""Helpers of the exchange tests: row counts, UUIDs, running an import that must fail."""

import pytest

from seuil.core.models import Organisation
from seuil.exchange.importer import ExchangeValidationError, import_exchange
from seuil.households.models import (
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.housing.models import (
    EvictionProcedure,
    HousingUnit,
    Landlord,
    Programme,
    Sector,
    Stay,
)
from seuil.outcomes.models import FollowUp
from seuil.support.models import Amendment, Contact, Objective, SupportContract

MODELS = [
    Organisation,
    Programme,
    Sector,
    Landlord,
    HousingUnit,
    Household,
    Person,
    Membership,
    LegalStatusRecord,
    ResourceRecord,
    Stay,
    EvictionProcedure,
    SupportContract,
    Amendment,
    Contact,
    Objective,
    FollowUp,
]


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def all_uuids():
    return {model.__name__: set(model.objects.values_list("uuid", flat=True)) for model in MODELS}


def import_errors(data):
    """The error lines of an import that must be refused (and must write nothing)."""
    before = row_counts()
    with pytest.raises(ExchangeValidationError) as caught:
        import_exchange(data)
    assert row_counts() == before
    return caught.value.errors


@pytest.fixture
def imported_rich(db):
    from tests.exchange.samples import rich

    import_exchange(rich())
    return Organisation.objects.get(ref="apremis")
