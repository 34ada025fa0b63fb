"""Members, legal status and resources of a household as of a date."""

import datetime

import pytest

from tests.households.factories import (
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    PersonFactory,
    ResourceRecordFactory,
)

D = datetime.date


@pytest.fixture
def family(db):
    household = HouseholdFactory()
    head = MembershipFactory(household=household, role="head")
    baby = MembershipFactory(
        household=household,
        role="child",
        joined_on=D(2024, 3, 10),
        joined_reason="birth",
        person=PersonFactory(organisation=household.organisation, first_name="Noûr"),
    )
    uncle = MembershipFactory(
        household=household,
        role="other",
        left_on=D(2024, 6, 1),
        person=PersonFactory(organisation=household.organisation, first_name="Gökhan"),
    )
    return household, head, baby, uncle


def test_a_baby_is_a_member_from_its_birth_day_on(family):
    household, head, baby, uncle = family
    assert baby not in household.members_on(D(2024, 3, 9))
    assert baby in household.members_on(D(2024, 3, 10))


def test_a_member_who_left_is_no_longer_a_member_on_the_day_he_left(family):
    household, head, baby, uncle = family
    assert uncle in household.members_on(D(2024, 5, 31))
    assert uncle not in household.members_on(D(2024, 6, 1))
    assert household.head_on(D(2024, 6, 1)) == head


def test_the_legal_status_on_a_date_is_the_last_one_given_on_or_before_it(family):
    household, head, *_ = family
    LegalStatusRecordFactory(person=head.person, since=D(2020, 5, 1), status="asylum_seeker")
    LegalStatusRecordFactory(person=head.person, since=D(2021, 9, 15), status="refugee")
    assert head.person.legal_status_on(D(2020, 4, 30)) is None
    assert head.person.legal_status_on(D(2021, 9, 14)) == "asylum_seeker"
    assert household.legal_status_on(D(2021, 9, 15)) == "refugee"


def test_the_resources_on_a_date_are_those_of_the_last_record_on_or_before_it(db):
    household = HouseholdFactory()
    ResourceRecordFactory(household=household, on=D(2023, 1, 1), types=["asylum_allowance"])
    ResourceRecordFactory(household=household, on=D(2023, 7, 1), types=["rsa", "family_benefits"])
    assert household.resources_on(D(2022, 12, 31)) is None
    assert household.resources_on(D(2023, 6, 30)) == ["asylum_allowance"]
    assert sorted(household.resources_on(D(2023, 7, 1))) == ["family_benefits", "rsa"]


def test_age_is_counted_in_full_years_by_the_birthday_rule(db):
    person = PersonFactory(birth_date=D(2006, 2, 28))
    assert person.age_on(D(2024, 2, 27)) == 17
    assert person.age_on(D(2024, 2, 28)) == 18
    assert PersonFactory(birth_date=None).age_on(D(2024, 1, 1)) is None


def test_a_membership_cannot_end_before_it_starts(db):
    from django.core.exceptions import ValidationError

    membership = MembershipFactory.build(
        household=HouseholdFactory(), joined_on=D(2024, 5, 1), left_on=D(2024, 4, 30)
    )
    membership.person.save()
    with pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert "Le départ du ménage ne peut précéder l'arrivée." in str(refused.value)
