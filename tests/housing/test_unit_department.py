"""A unit's département has one rule, read by the matching engine and the vacancy page."""

import pytest

from tests.housing.factories import HousingUnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("commune", "department"),
    [
        ("80021", "80"),
        ("2A004", "2A"),
        ("97411", "974"),
        ("97611", "976"),
    ],
)
def test_a_units_department_comes_from_its_commune_code(commune, department):
    assert HousingUnitFactory(commune=commune).department == department


def test_without_a_commune_the_unit_is_in_its_organisations_department(org_a):
    org_a.department = "80"
    org_a.save()
    assert HousingUnitFactory(organisation=org_a, commune="").department == "80"
    org_a.department = ""
    org_a.save()
    assert HousingUnitFactory(organisation=org_a, commune="").department is None
