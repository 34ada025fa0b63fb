"""`of_household`: a household file's sections read exactly what `visible_to` shows of that
household, without computing every household the organisation reaches."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from seuil.households.models import Household
from seuil.housing.models import Stay
from seuil.support.models import Review
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import StayFactory


def same_rows(queryset, household, user, action=None):
    shown = set(queryset.of_household(household, user, action).values_list("pk", flat=True))
    expected = queryset.visible_to(user, action).filter(household=household)
    assert shown == set(expected.values_list("pk", flat=True))
    return shown


def test_a_linked_household_shows_all_its_records_another_only_the_organisations_own(org_a, org_b):
    worker_b = UserFactory(organisation=org_b, social_worker=True)
    linked = HouseholdFactory(organisation=org_a)
    theirs = StayFactory(household=linked, entered_on=datetime.date(2022, 1, 1))
    exited = datetime.date(2022, 6, 1)
    theirs.exited_on, theirs.exit_destination = exited, "social_landlord"
    theirs.save()
    # A stay in one of org_b's units links org_b to the household (scope linked).
    mine = StayFactory(
        household=linked,
        organisation=org_b,
        unit__organisation=org_b,
        entered_on=datetime.date(2023, 1, 1),
    )
    assert same_rows(Stay.objects, linked, worker_b) == {theirs.pk, mine.pk}

    # No link: org_b reads its own review of the household, not org_a's.
    other = HouseholdFactory(organisation=org_a)
    day = datetime.date(2024, 1, 1)
    own = Review.objects.create(organisation=org_b, ref="RV-B", household=other, held_on=day)
    Review.objects.create(organisation=org_a, ref="RV-A", household=other, held_on=day)
    assert same_rows(Review.objects, other, worker_b) == {own.pk}

    # The holder reads every record of its household, and asks no link to know it.
    worker_a = UserFactory(organisation=org_a, social_worker=True)
    with CaptureQueriesContext(connection) as queries:
        assert same_rows(Stay.objects, linked, worker_a) == {theirs.pk, mine.pk}
    assert not any("householdlink" in q["sql"] for q in queries.captured_queries[:1])


def test_a_household_looked_up_by_its_uuid_is_found_as_visible_to_finds_it(org_a, org_b):
    """`visible_for_lookup` (a page's household by its uuid): the same households as
    `visible_to`, as one condition on the household's own row, without the subquery of
    every household the organisation holds (30,000 for a large operator)."""
    worker_b = UserFactory(organisation=org_b, social_worker=True)
    held = HouseholdFactory(organisation=org_b)
    linked = HouseholdFactory(organisation=org_a)
    StayFactory(
        household=linked,
        organisation=org_b,
        unit__organisation=org_b,
        entered_on=datetime.date(2023, 1, 1),
    )
    stranger = HouseholdFactory(organisation=org_a)
    for household, seen in ((held, True), (linked, True), (stranger, False)):
        lookup = Household.objects.visible_for_lookup(worker_b).filter(uuid=household.uuid)
        visible = Household.objects.visible_to(worker_b).filter(uuid=household.uuid)
        assert lookup.exists() == visible.exists() == seen
        assert "UNION" not in str(lookup.query)


def test_stays_looked_up_by_their_unit_are_found_as_visible_to_finds_them(org_a, org_b):
    """`visible_for_lookup` of records that follow their household (the stays of one unit on
    its page): the same stays as `visible_to`, the organisation's own, those of the
    households it holds, those of the households it is linked to, and no other, as
    conditions on the stay's own row and household, without the subquery of every stay the
    organisation reaches."""
    worker_b = UserFactory(organisation=org_b, social_worker=True)
    day = datetime.date(2023, 1, 1)
    own = StayFactory(organisation=org_b, unit__organisation=org_b, entered_on=day)
    held = StayFactory(
        organisation=org_a, household__organisation=org_b, unit__organisation=org_a, entered_on=day
    )
    linked_household = HouseholdFactory(organisation=org_a)
    StayFactory(  # links the household to org_b: a stay in one of its units
        organisation=org_b, household=linked_household, unit__organisation=org_b, entered_on=day
    )
    linked = StayFactory(
        organisation=org_a, household=linked_household, unit__organisation=org_a, entered_on=day
    )
    stranger = StayFactory(
        organisation=org_a, household__organisation=org_a, unit__organisation=org_a, entered_on=day
    )
    for stay, seen in ((own, True), (held, True), (linked, True), (stranger, False)):
        lookup = Stay.objects.visible_for_lookup(worker_b).filter(unit=stay.unit)
        visible = Stay.objects.visible_to(worker_b).filter(unit=stay.unit)
        assert set(lookup) == set(visible)
        assert (stay in set(lookup)) == seen
        assert "UNION" not in str(lookup.query)
