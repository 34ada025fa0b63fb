"""The report computes from plain data, so it names its rows by code: every code list it
keeps must be exactly the codes of the enum the data is stored with, in the same order (a
new legal status must get a row, not fall silently in `unknown`)."""

import pytest

from seuil.households.enums import LegalStatus, PriorSituation, ResourceType
from seuil.housing.enums import ExitDestination, Typology
from seuil.reports import compute


@pytest.mark.parametrize(
    ("report_codes", "enum"),
    [
        (compute.TYPOLOGIES, Typology),
        (compute.LEGAL_STATUSES, LegalStatus),
        (compute.RESOURCE_TYPES, ResourceType),
        (compute.PRIOR_SITUATIONS, PriorSituation),
        (compute.EXIT_DESTINATIONS, ExitDestination),
    ],
    ids=["typologies", "legal_statuses", "resource_types", "prior_situations", "exits"],
)
def test_each_report_code_list_is_its_enums_codes(report_codes, enum):
    assert list(report_codes) == list(enum.values)
