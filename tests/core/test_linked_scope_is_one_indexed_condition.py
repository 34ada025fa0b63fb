"""Scope ``linked`` reads the households an organisation holds and its link rows as one
`pk IN (… UNION …)` condition, never an OR of subqueries (which PostgreSQL answers by
reading the whole national table), and sees exactly what the rule says: its own records and
every record of a household it holds or is linked to today."""

import datetime
import uuid

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from seuil.households.models import Household, HouseholdLink, Membership, Person
from tests.conftest import examples
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory, PersonFactory

DAY = datetime.timedelta(days=1)

# A household: its holder (0..2), then its links: (organisation, days from today the link
# starts, days from today it ends or None), and whether it has a member held by org 0.
LINK = st.tuples(
    st.integers(0, 2),
    st.integers(-30, 5),
    st.one_of(st.none(), st.integers(-10, 10)),
)
HOUSEHOLDS = st.lists(
    st.tuples(st.integers(0, 2), st.lists(LINK, max_size=3), st.booleans()),
    min_size=1,
    max_size=8,
)


class TheLinkedScopeFollowsTheRule(TestCase):
    @settings(
        max_examples=examples(25),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(HOUSEHOLDS)
    def test_households_persons_and_memberships_seen_are_those_the_rule_gives(self, rows):
        today = timezone.localdate()
        orgs = [OrganisationFactory() for _ in range(3)]
        worker = UserFactory(organisation=orgs[0], social_worker=True)
        reached, own_persons = set(), set()
        for holder, links, stranger_member in rows:
            household = HouseholdFactory(organisation=orgs[holder])
            head = MembershipFactory(household=household).person
            if stranger_member:
                # A member whose own file org 0 holds, in a household it may not reach.
                person = PersonFactory(organisation=orgs[0])
                Membership.objects.create(household=household, person=person, role="child")
                own_persons.add(person.pk)
            for organisation, start, end in links:
                HouseholdLink.objects.create(
                    organisation=orgs[organisation],
                    household=household,
                    reason="stay",
                    source=uuid.uuid4(),
                    valid_from=today + start * DAY,
                    valid_until=None if end is None else today + max(start, end) * DAY,
                )
            live = [o for o, s, e in links if o == 0 and s <= 0 and (e is None or max(s, e) > 0)]
            if holder == 0 or live:
                reached.add(household.pk)
            if holder == 0:
                own_persons.add(head.pk)
        households = Household.objects.visible_to(worker)
        assert set(households.values_list("pk", flat=True)) == reached
        members = set(
            Membership.objects.filter(household__in=reached).values_list("person_id", flat=True)
        )
        persons = Person.objects.visible_to(worker)
        assert set(persons.values_list("pk", flat=True)) == members | own_persons
        # One row per person, however many of its households are reached.
        assert persons.count() == len(members | own_persons)
        memberships = Membership.objects.visible_to(worker)
        assert set(memberships.values_list("household_id", flat=True)) == reached
        for queryset in (households, persons, memberships):
            # The parts a search reads one by one hold the same records, each once.
            manager = queryset.model.objects
            parts = [list(p.values_list("pk", flat=True)) for p in manager.visible_parts(worker)]
            flat = [pk for part in parts for pk in part]
            assert sorted(flat) == sorted(queryset.values_list("pk", flat=True))
            # The whole scope is one condition on the primary key: `pk IN (… UNION …)`.
            table = queryset.model._meta.db_table
            where = str(queryset.order_by().query).split(" WHERE ", 1)[1]
            assert where.startswith(f'"{table}"."id" IN ('), where
            assert where.endswith(")") and where.count(" UNION ") >= 1, where
