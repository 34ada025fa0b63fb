"""Likely duplicates: a person about to be recorded who may already be.

One rule (`why_duplicate`), used by the forms that create a household or a person
(`likely_duplicates`: in what the user may see, before saving) and by the import
(`find_likely_duplicates`: the file's new persons against the organisation's and each
other). Two persons are likely the same when they have

- the same birth date and similar names (`names.similar_names`: « Marie Dupont » and
  « DUPOND Marie »), or
- the same name (the same words in any order) and the same birth year, or
- the same name and one of the two birth dates unknown.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from seuil.core.policy import Action

from .models import Membership, Person
from .names import name_words, same_name, search_name, similar_names

SAME_BIRTH_DATE = "même date de naissance, nom proche"
SAME_NAME_SAME_YEAR = "même nom, même année de naissance"
SAME_NAME_UNKNOWN_BIRTH = "même nom, date de naissance inconnue pour l'une des deux"
LIMIT = 20


def why_duplicate(words, birth_date, other_words, other_birth_date):
    """Why two persons (their name words, their birth dates) are likely the same, in
    French; None when they are not."""
    if birth_date and birth_date == other_birth_date and similar_names(words, other_words):
        return SAME_BIRTH_DATE
    if same_name(words, other_words):
        if birth_date is None or other_birth_date is None:
            return SAME_NAME_UNKNOWN_BIRTH
        if birth_date.year == other_birth_date.year:
            return SAME_NAME_SAME_YEAR
    return None


def identity_words(first_name, last_name):
    return [*name_words(last_name), *name_words(first_name)]


@dataclass
class LikelyDuplicate:
    person: Person
    reason: str

    @property
    def membership(self):
        """The person's current household (else the last one), for its link."""
        return next(iter(self.person.memberships.all()), None)


def likely_duplicates(
    user, *, last_name, first_name, birth_date=None, exclude=(), action=Action.VIEW_HOUSEHOLDS
):
    """The persons `user` may see (for `action`) who are likely the person named, best
    first: those of the same birth date, then the others; `exclude` their pks left out.

    A merge page may call it on a person's own fields with `exclude=[person.pk]`."""
    words = identity_words(first_name, last_name)
    if not words:
        return []
    longest = max(words, key=len)
    same_words = Q(search_name__contains=longest)
    if birth_date is not None:
        wanted = (
            Q(birth_date=birth_date)
            | (same_words & Q(birth_date__year=birth_date.year))
            | (same_words & Q(birth_date__isnull=True))
        )
    else:
        wanted = same_words
    found = {}
    for source in Person.objects.visible_parts(user, action):
        rows = source.filter(wanted).exclude(pk__in=exclude)
        for pk, name, born in rows.values_list("pk", "search_name", "birth_date")[:500]:
            reason = why_duplicate(words, birth_date, name.split(), born)
            if reason:
                found[pk] = reason
    persons = Person.objects.filter(
        pk__in=list(found)
    ).prefetch_related(  # each found in a part of what `user` sees
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("household").order_by("left_on", "-pk"),
        )
    )
    duplicates = [LikelyDuplicate(p, found[p.pk]) for p in persons]
    duplicates.sort(key=lambda d: (d.reason != SAME_BIRTH_DATE, d.person.search_name, d.person.pk))
    return duplicates[:LIMIT]


def fingerprint(first_name, last_name, birth_date):
    """A short mark of an identity, which a form sends back once the user has seen its
    likely duplicates: changing the name or the birth date asks again."""
    text = f"{search_name(first_name, last_name)}|{birth_date or ''}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Identity:
    """A person to compare, outside the database (an import's row): `key` names it."""

    key: object
    first_name: str
    last_name: str
    birth_date: object

    @property
    def words(self):
        return identity_words(self.first_name, self.last_name)


def find_likely_duplicates(new, existing):
    """(new identity, other identity, reason) for each of the `new` identities likely the
    same as one of `existing` or as a `new` one before it. Compared only within blocks that
    hold every pair `why_duplicate` can accept: the same birth date; the same name and
    birth year; the same name with a birth date unknown on one side. A common name is
    thus never compared with every person of that name, and a file of a hundred thousand
    households takes seconds."""
    by_birth_date = defaultdict(list)
    by_name_and_year = defaultdict(list)  # (name, birth year) → identities born that year
    by_name_unknown_birth = defaultdict(list)  # name → identities without a birth date
    by_name = defaultdict(list)  # name → every identity (for a new one without birth date)
    # One copy of each word and of each name: a large file repeats them many times.
    shared = {}

    def add(identity, words, name):
        entry = (identity, words)  # one tuple, in every block of the identity
        if identity.birth_date is not None:
            by_birth_date[identity.birth_date].append(entry)
            by_name_and_year[(name, identity.birth_date.year)].append(entry)
        else:
            by_name_unknown_birth[name].append(entry)
        by_name[name].append(entry)

    def words_and_name(identity):
        words = tuple(shared.setdefault(word, word) for word in identity.words)
        name = tuple(sorted(words))
        return shared.setdefault(words, words), shared.setdefault(name, name)

    def candidates(birth_date, name):
        # `get`, not `[]`: a look-up adds no empty block (a large file would keep many).
        if birth_date is None:
            return by_name.get(name, ())
        return [
            *by_birth_date.get(birth_date, ()),
            *by_name_and_year.get((name, birth_date.year), ()),
            *by_name_unknown_birth.get(name, ()),
        ]

    for identity in existing:
        words, name = words_and_name(identity)
        if words:
            add(identity, words, name)
    pairs = []
    for identity in new:
        words, name = words_and_name(identity)
        if not words:
            continue
        seen = set()
        for other, other_words in candidates(identity.birth_date, name):
            if id(other) in seen:
                continue
            seen.add(id(other))
            reason = why_duplicate(words, identity.birth_date, other_words, other.birth_date)
            if reason:
                pairs.append((identity, other, reason))
        add(identity, words, name)
    return pairs


def likely_duplicate_pairs(organisation):
    """[(person, other, reason)] of the organisation's persons likely recorded twice, by the
    rule of `why_duplicate`; two members of one household only when their names are the
    same (twins share a birth date and close names). Each person's memberships are loaded
    with their household (the data-quality page links them)."""
    persons = (
        Person.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("household"))
        )
        .order_by("birth_date", "search_name", "pk")
    )
    identities = [Identity(p, p.first_name, p.last_name, p.birth_date) for p in persons]
    pairs = []
    for new, other, reason in find_likely_duplicates(identities, ()):
        person, duplicate = other.key, new.key
        households = {m.household_id for m in person.memberships.all()}
        together = any(m.household_id in households for m in duplicate.memberships.all())
        if together and not same_name(new.words, other.words):
            continue
        pairs.append((person, duplicate, reason))
    return pairs
