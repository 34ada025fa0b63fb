"""The search: one query across what the user may see, its results grouped by kind.

`search(user, text)` reads the query (`Query.parse`: name words, references, birth dates
and years, phone numbers) and asks each registered kind for its results, through
`visible_to` (another organisation's records never come back; scope ``linked`` brings the
households the organisation is linked to). Households and persons are this app's kinds;
the apps above register theirs in their `AppConfig.ready()`:

    register_search_kind(SearchKind("units", "Logements", Action.VIEW_UNITS, find_units, 30))

A kind's `find(context)` returns its `Result`s; `context.household_ids()` gives the
households whose members match the query, for the records that follow a household.

A person matches when every name word matches one of its names' words (first and last
names in any order, accents and case ignored, close spellings: `names.word_score`) and
every other part of the query (birth date, birth year: the registered person criteria,
`register_person_criterion`, a phone number when persons have one) holds. On PostgreSQL
the trigram index on (organisation, search_name) finds the candidates, which `names` then
ranks as on SQLite, where the candidates are the visible persons themselves.
"""

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, FloatField, Prefetch, Q, Value
from django.utils import timezone

from seuil.core.phones import PhoneError, normalise_phone, phone_digits
from seuil.core.policy import Action, scope_of
from seuil.core.wording import plural

from .enums import MemberRole
from .models import Household, Membership, Person
from .names import CLOSE_SPELLING, INSIDE_MIN_LENGTH, name_words, names_score

RESULTS_PER_KIND = 25
CANDIDATES = 300
MAX_HOUSEHOLDS = 100  # the households of the best persons that other kinds may follow
MAX_QUERY_LENGTH = 200

_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMBER_PART = re.compile(r"^[+(]?\d[\d().-]*$")
_FIRST_YEAR = 1900


def _date(token):
    for pattern, order in ((_DATE, (3, 2, 1)), (_ISO_DATE, (1, 2, 3))):
        found = pattern.match(token)
        if found:
            year, month, day = (int(found.group(i)) for i in order)
            try:
                return datetime.date(year, month, day)
            except ValueError:
                return None
    return None


def _phone(digits):
    """The digits of a phone number as contact details store them (`core.phones`: « 06… »,
    « +33 6… », « 0033 6… » → « 336… »), else the digits as typed."""
    try:
        return phone_digits(normalise_phone(digits))
    except PhoneError:
        return digits


@dataclass(frozen=True)
class Query:
    """What a search says: `words` (folded name words), `tokens` (as typed, to compare with
    references), `dates` (birth dates), `years` (birth years), `phones` (digits of phone
    numbers, international: « 33612345678 »)."""

    text: str
    words: tuple = ()
    tokens: tuple = ()
    dates: tuple = ()
    years: tuple = ()
    phones: tuple = ()

    @classmethod
    def parse(cls, text, today=None):
        text = " ".join((text or "").split())[:MAX_QUERY_LENGTH]
        this_year = (today or timezone.localdate()).year
        tokens = [t.strip(',;:!?«»"') for t in text.split()]
        tokens = [t for t in tokens if t]
        words, dates, years, phones, number = [], [], [], [], []

        def end_number():
            digits = "".join(c for c in "".join(number) if c.isdigit())
            if len(digits) >= 9:
                phones.append(_phone(digits))
            number.clear()

        for token in tokens:
            day = _date(token)
            if day is not None:
                end_number()
                dates.append(day)
            elif token.isdigit() and len(token) == 4:  # a year (phones go by twos)
                end_number()
                if _FIRST_YEAR <= int(token) <= this_year:
                    years.append(int(token))
            elif _NUMBER_PART.match(token):
                number.append(token)
            else:
                end_number()
                if not any(c.isdigit() for c in token):
                    words.extend(name_words(token))
        end_number()
        return cls(
            text=text,
            words=tuple(dict.fromkeys(words)),
            tokens=tuple(dict.fromkeys(tokens)),
            dates=tuple(dict.fromkeys(dates)),
            years=tuple(dict.fromkeys(years)),
            phones=tuple(dict.fromkeys(phones)),
        )

    @property
    def empty(self):
        return not (self.words or self.tokens)

    def ref_variants(self):
        """The tokens as references may be written: as typed, upper and lower case."""
        return sorted({v for t in self.tokens for v in (t, t.upper(), t.lower())})


# ---- person criteria beyond the name ---------------------------------------------------


@dataclass(frozen=True)
class PersonCriterion:
    """A part of the query a person must meet: `condition(query)` is a condition on
    `Person` (a `Q`), or None when the query says nothing of it."""

    name: str
    condition: Callable


_CRITERIA: dict[str, PersonCriterion] = {}


def register_person_criterion(criterion):
    """Add a part of the query persons are searched by (a phone number, say:
    `PersonCriterion("phone", lambda q: Q(phones__digits__in=q.phones) if q.phones else
    None)`)."""
    _CRITERIA[criterion.name] = criterion
    return criterion


def _birth_date(query):
    return Q(birth_date__in=query.dates) if query.dates else None


def _birth_year(query):
    if not query.years:
        return None
    q = Q()
    for year in query.years:
        q |= Q(birth_date__year=year)
    return q


def _phone_number(query):
    """A phone of the person's contact details, current or past (`ContactDetails.phone_digits`
    holds each number's digits between spaces)."""
    if not query.phones:
        return None
    q = Q()
    for digits in query.phones:
        q |= Q(contact_details__phone_digits__contains=f" {digits} ")
    return q


BIRTH_DATE = PersonCriterion("birth_date", _birth_date)
BIRTH_YEAR = PersonCriterion("birth_year", _birth_year)
PHONE = PersonCriterion("phone", _phone_number)


def _criteria(query):
    """The conditions the query puts on persons beyond their names (None: none)."""
    conditions = [c.condition(query) for c in _CRITERIA.values()]
    conditions = [c for c in conditions if c is not None]
    if not conditions:
        return None
    return functools.reduce(lambda a, b: a & b, conditions)


# ---- persons ---------------------------------------------------------------------------


def _word_condition(word):
    """The database side of `names.word_score` for one word: its beginning (short words),
    inside, or a close spelling (PostgreSQL's trigram word similarity)."""
    starts = Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
    if len(word) < INSIDE_MIN_LENGTH:
        return starts
    inside = Q(search_name__contains=word)
    if connection.vendor == "postgresql":
        return inside | Q(search_name__trigram_word_similar=word)
    return inside


def person_sources(user):
    """Querysets whose union holds the persons `user` may see, each fast on its own
    (`ScopedQuerySet.visible_parts`: for scope own and linked, the organisation's persons
    on the trigram index, which leads with the organisation, then those of the households
    it holds or is linked to)."""
    return Person.objects.visible_parts(user, Action.VIEW_HOUSEHOLDS)


def visible_ids(parts, ids):
    """The pks of `ids` that one of the querysets `parts` (`visible_parts`) holds."""
    found = set()
    for part in parts:
        found.update(part.filter(pk__in=ids).values_list("pk", flat=True))
    return found


def _candidates(source, query, criteria):
    """(pk, search_name) of the persons of `source` that may match `query`."""
    persons = source if criteria is None else source.filter(criteria)
    if not query.words:
        return list(persons.values_list("pk", "search_name")[: CANDIDATES * 4])
    if connection.vendor != "postgresql":
        # SQLite: every person of the source meeting the criteria; `names` decides.
        return list(persons.values_list("pk", "search_name"))
    from django.contrib.postgres.search import TrigramWordSimilarity

    for word in query.words:
        persons = persons.filter(_word_condition(word))
    score = Value(0.0, output_field=FloatField())
    for word in query.words:
        score = score + TrigramWordSimilarity(Value(word), F("search_name"))
    return list(
        persons.annotate(score=score)
        .order_by("-score", "pk")
        .values_list("pk", "search_name")[:CANDIDATES]
    )


def _set_trigram_threshold():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [str(CLOSE_SPELLING)],
            )


def matching_person_ids(user, query, sources=None):
    """The pks of the persons `user` may see that match `query`, best first (at most
    `CANDIDATES`); `sources`: `person_sources(user)` when already read."""
    criteria = _criteria(query)
    if not query.words and criteria is None:
        return []
    _set_trigram_threshold()
    scores, names = {}, {}
    for source in sources if sources is not None else person_sources(user):
        for pk, name in _candidates(source, query, criteria):
            score = names_score(query.words, name.split()) if query.words else 1.0
            if score:
                scores[pk], names[pk] = score, name
    # Every candidate came from a part of what the user may see.
    return sorted(scores, key=lambda pk: (-scores[pk], names[pk], pk))[:CANDIDATES]


def persons_with_households(ids):
    """The persons of `ids`, in that order, with their memberships (the current one
    first) and households loaded."""
    persons = Person.objects.filter(pk__in=ids).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("household").order_by(
                F("left_on").desc(nulls_first=True), "-pk"
            ),
        )
    )
    by_pk = {p.pk: p for p in persons}
    return [by_pk[pk] for pk in ids if pk in by_pk]


# ---- kinds and results -----------------------------------------------------------------


@dataclass
class Result:
    """One line of the results: a link (`title`, `url`), a few `details`, and the records
    whose file it shows (`shows`: households, persons), recorded in the access log."""

    title: str
    url: str
    details: list = field(default_factory=list)
    shows: list = field(default_factory=list)


@dataclass(frozen=True)
class SearchKind:
    """A kind of result: its `code`, its heading (`label`), the policy `action` a user
    needs for it, `find(context) -> [Result]`, its place on the page (`order`)."""

    code: str
    label: str
    action: Action
    find: Callable
    order: int = 100


_KINDS: dict[str, SearchKind] = {}


def register_search_kind(kind):
    _KINDS[kind.code] = kind
    return kind


def search_kinds(user):
    """The kinds `user` may search, in order."""
    kinds = sorted(_KINDS.values(), key=lambda k: (k.order, k.code))
    return [k for k in kinds if scope_of(user, k.action) is not None]


class SearchContext:
    """What the kinds of one search share: the user, the query, and (computed once) the
    persons and households that match."""

    def __init__(self, user, query):
        self.user = user
        self.query = query

    @functools.cached_property
    def person_sources(self):
        """The parts of the persons the user may see (`person_sources`), read once."""
        if scope_of(self.user, Action.VIEW_HOUSEHOLDS) is None:
            return []
        return person_sources(self.user)

    @functools.cached_property
    def person_ids(self):
        """The pks of the matching persons, best first."""
        if not self.person_sources:
            return []
        return matching_person_ids(self.user, self.query, self.person_sources)

    def persons(self, limit=RESULTS_PER_KIND + 1):
        """The best matching persons, with their memberships and households."""
        return persons_with_households(self.person_ids[:limit])

    @functools.cached_property
    def _households(self):
        ids = self.person_ids[:MAX_HOUSEHOLDS]
        rank = {pk: i for i, pk in enumerate(ids)}
        rows = Membership.objects.filter(person__in=ids).values_list("person_id", "household_id")
        return list(dict.fromkeys(h for _, h in sorted(rows, key=lambda r: rank[r[0]])))

    def household_ids(self):
        """The households (pks) of which one of the best matching persons is or was a
        member, best first."""
        return self._households


@dataclass
class Group:
    kind: SearchKind
    results: list
    more: bool  # more results than shown


def search(user, text):
    """The results of `text` for `user`, one `Group` per kind it may search (empty groups
    included)."""
    query = Query.parse(text)
    if query.empty:
        return []
    context = SearchContext(user, query)
    groups = []
    for kind in search_kinds(user):
        results = kind.find(context)
        groups.append(Group(kind, results[:RESULTS_PER_KIND], len(results) > RESULTS_PER_KIND))
    return groups


# ---- households and persons ----------------------------------------------------------


def display_name(person):
    """« DUPONT Marie »: the last name in capitals first, as the household list shows."""
    parts = [person.last_name.upper(), person.first_name]
    return " ".join(p for p in parts if p) or person.ref


def born(person):
    if person.birth_date is None:
        return "date de naissance inconnue"
    return f"né·e le {person.birth_date:%d/%m/%Y}"


def _household_title(household):
    head = household.head_on(None)
    if head is None:
        return f"Ménage {household.ref} (sans personne de référence)"
    return f"Ménage {display_name(head.person)}"


def find_households(context):
    parts = Household.objects.visible_parts(context.user)
    variants = context.query.ref_variants()
    by_ref = [
        pk for part in parts for pk in part.filter(ref__in=variants).values_list("pk", flat=True)
    ]
    # The households of the persons found, those the user may see.
    candidates = list(dict.fromkeys([*by_ref, *context.household_ids()]))
    visible = visible_ids(parts, candidates)
    ids = [pk for pk in candidates if pk in visible][: RESULTS_PER_KIND + 1]
    households = Household.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("person"))
    )
    by_pk = {h.pk: h for h in households}
    matched = set(context.person_ids)
    results = []
    for pk in ids:
        household = by_pk.get(pk)
        if household is None:
            continue
        current = household.members_on(None)
        details = [f"Réf. {household.ref}", f"{plural(len(current), 'personne')} aujourd'hui"]
        found = [
            m
            for m in household.memberships.all()
            if m.person_id in matched and m.role != MemberRole.HEAD
        ]
        for membership in found[:3]:
            details.append(
                f"Membre trouvé : {display_name(membership.person)} "
                f"({membership.get_role_display().lower()})"
            )
        results.append(
            Result(_household_title(household), household.get_absolute_url(), details, [household])
        )
    return results


def find_persons(context):
    variants = context.query.ref_variants()
    by_ref = persons_with_households(
        list(
            dict.fromkeys(
                pk
                for part in context.person_sources
                for pk in part.filter(ref__in=variants).values_list("pk", flat=True)
            )
        )
    )
    seen = {p.pk for p in by_ref}
    persons = by_ref + [p for p in context.persons() if p.pk not in seen]
    results = []
    for person in persons:
        membership = next(iter(person.memberships.all()), None)
        details = [born(person), f"Réf. {person.ref}"]
        url = ""
        if membership is not None:
            household = membership.household
            left = f", partie le {membership.left_on:%d/%m/%Y}" if membership.left_on else ""
            details.append(f"{membership.get_role_display()} du ménage {household.ref}{left}")
            url = household.get_absolute_url()
        results.append(Result(display_name(person), url, details, [person]))
    return results


HOUSEHOLDS = SearchKind("households", "Ménages", Action.VIEW_HOUSEHOLDS, find_households, 10)
PERSONS = SearchKind("persons", "Personnes", Action.VIEW_HOUSEHOLDS, find_persons, 20)
