"""A household's current head is one rule, read in Python (`Household.head_on(None)`: the
file, the forms) and in SQL (`MembershipQuerySet.current_heads`: the stored head name that
orders the lists, the waiting lists' names, the bank matching): on any history of members,
heads who left and households with two heads or none, both name the same person; the
list's order is the one of the folded names, accents aside, on every database."""

import datetime

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.households.models import Household, Membership
from tests.conftest import examples
from tests.households.factories import HouseholdFactory, MembershipFactory

DAY = datetime.date(2025, 1, 1)

member = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Diallo", "Martin", "Öztürk", "N'Diaye", "Kaya"]),
        "head": st.booleans(),
        "joined": st.none() | st.integers(min_value=0, max_value=300),
        "stayed": st.none() | st.integers(min_value=1, max_value=300),
    }
)


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.lists(member, max_size=4), min_size=1, max_size=3))
def test_the_head_in_python_and_in_sql_is_the_same_person(org_a, households):
    with transaction.atomic():
        for members in households:
            household = HouseholdFactory(organisation=org_a)
            for drawn in members:
                joined = (
                    None if drawn["joined"] is None else DAY + datetime.timedelta(drawn["joined"])
                )
                left = None
                if drawn["stayed"] is not None:
                    left = (joined or DAY) + datetime.timedelta(drawn["stayed"])
                MembershipFactory(
                    household=household,
                    role="head" if drawn["head"] else "child",
                    person__last_name=drawn["name"],
                    person__first_name=drawn["name"][::-1],
                    joined_on=joined,
                    left_on=left,
                )
        ids = list(Household.objects.filter(organisation=org_a).values_list("pk", flat=True))
        in_python = {}
        for household in Household.objects.filter(pk__in=ids).prefetch_related(
            "memberships__person"
        ):
            head = household.head_on(None)
            in_python[household.pk] = head and (head.person.last_name, head.person.first_name)
            assert household.head_name == (head and head.person.search_name)
        heads = Membership.objects.head_names(ids)
        assert {pk: heads.get(pk) for pk in ids} == in_python
        transaction.set_rollback(True)
