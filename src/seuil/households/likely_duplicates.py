"""Persons of an organisation recorded twice, likely: the same birth date and names that
are the same or nearly so once accents, case and order are set aside.

Two queries whatever the number of persons: the persons with a birth date, their
memberships with their households. Twins of one household (same birth date, close first
names) are not a pair: within a household only identical names are.
"""

from collections import defaultdict
from difflib import SequenceMatcher
from itertools import combinations

from django.db.models import Prefetch

from .filters import fold
from .models import Membership, Person

# Two names this close (difflib's ratio, from 0 to 1) are likely the same person:
# « Aïcha Benali » and « Aicha Ben Ali », « Kouassi Jean » and « Jean Kouassi ».
SIMILAR_NAMES = 0.85


def folded_name(person):
    """The person's names folded (no accent, lower case), their words sorted."""
    words = fold(f"{person.first_name} {person.last_name}").replace("-", " ").split()
    return " ".join(sorted(words))


def similar_names(a, b):
    if not a or not b:
        return False
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return True
    return SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAMES


def likely_duplicate_pairs(organisation):
    """[(person, other)] of `organisation` likely recorded twice, ordered by birth date then
    names; each person's `memberships` are loaded with their household."""
    persons = (
        Person.objects.filter(organisation=organisation, birth_date__isnull=False)
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("household"))
        )
        .order_by("birth_date", "last_name", "first_name", "pk")
    )
    by_birth_date = defaultdict(list)
    for person in persons:
        by_birth_date[person.birth_date].append(person)
    pairs = []
    for same_day in by_birth_date.values():
        for person, other in combinations(same_day, 2):
            name, other_name = folded_name(person), folded_name(other)
            households = {m.household_id for m in person.memberships.all()}
            together = any(m.household_id in households for m in other.memberships.all())
            if (name == other_name) if together else similar_names(name, other_name):
                pairs.append((person, other))
    return pairs
