"""The activity report `seuil-activity-report/1`, computed from plain data (no Django).

`compute(facts, start, end)` returns the whole JSON document of EXCHANGE.md §2 for the
period [start, end] (both included), following DOMAIN.md §4. `facts` holds plain records
(the dataclasses below) loaded by `seuil.reports.facts` or written by hand in tests.

Readings of the points DOMAIN.md leaves open (applied everywhere, tests included):

- **Scope.** `Unit.in_scope` / `Stay.in_scope` say whether a unit or a stay belongs to the
  programmes in scope (the whole organisation when no programme is named). Only lettable
  units count: a unit that is the parent of another unit (a dwelling split into rooms) is
  never counted, its rooms are. `scope.programmes` lists the programme refs asked for
  (empty: the whole organisation, units and stays without programme included).
- **Housing.** Whether a unit is occupied is a fact of the unit: any stay of the
  organisation in it counts, whatever its programme (as `HousingUnit.objects.vacant_on`).
  A unit-day is in stock when `captured_on <= day < returned_on`; it is occupied when it is
  in stock and a stay in the unit is present that day. A returned unit is "lease
  transferred" when a stay in it with `lease_transferred` exits on the unit's `returned_on`.
  `occupancy_rate` is null when there is no unit-day in stock. `by_sector` lists every
  sector of the organisation, plus `unknown` (no sector).
- **Several stays of one household.** Entries and exits count stays. `present` counts
  distinct households with a present stay in scope; when a household has several, its
  length of stay is that of the stay entered first (then lowest id), and it counts as in
  reinforced support / under eviction procedure when any of its present stays is.
- **Members at a date** follow the membership rule (`joined_on` empty or <= date, `left_on`
  empty or > date). The head is the first member with role `head` (in the order given);
  no head at the date → legal status `unknown`. A legal status record `unknown`, a person
  without record on or before the date, a resource record with no type, a household
  without resource record on or before the date, an empty prior situation or an empty
  exit destination all fall in the `unknown` row.
- **Composition**: adults are members whose role is not `child`. A=1, C=0 and A=1, C>0 go
  by the adult's sex (`F`/`M`; `X` or empty → `other`); A=2 is a couple only when the two
  adults are one `head` and one `partner`; everything else is `other`.
- **Ages** in full years at the table's date: the birthday is reached when (month, day) of
  the date is not before that of the birth; a person born on 29 February is a year older
  on 1 March of a common year. A negative age (born after the date) falls in `0-17`.
  `adult_children` are members with role `child` aged 18 or more (unknown age: not adult).
- **Entries** (stays in scope with `entered_on` in the period): tables at `entered_on`.
  `legal_status.persons` counts persons at entry; `age_bands` counts persons at entry plus
  joiners (at their `joined_on`), so it sums to `persons`. A joiner is a member whose
  `joined_on` J is in the period and such that a stay in scope of the household has
  `entered_on < J` and is present on J; each membership counts once.
- **Exits** (stays in scope with `exited_on` in the period): tables at `exited_on - 1 day`;
  length of stay = `exited_on - entered_on` days.
- **Length of stay** in months = days / 30.4375, compared exactly (days * 16 against
  months * 487): `<6` is m < 6, `6-12` is 6 <= m <= 12, `>12` / `13-18` / `>18` follow.
  Present stays are measured to the period's end.
- **Rounding**: half up on exact fractions (Decimal quantize, ROUND_HALF_UP).
- **Previous** is [start, end] moved back one year (29 February → 28 February); its
  `persons` are members at the same dates as in the main sections (entries: at entry plus
  joiners).
- **Missing** counts, for the period (not the previous one), distinct persons (`sex`,
  `birth_date`, `legal_status`) and distinct households (`resources`, `prior_situation`)
  among those counted in `present`, `entries` (persons at entry and joiners) or `exits`:
  `sex` = no sex recorded (`X` is a recorded value), `birth_date` = no birth date,
  `legal_status` = persons counted in an `unknown` row of a legal status table,
  `resources` = households counted in a `resources.unknown`, `prior_situation` =
  households without prior situation.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from seuil.core.numbers import round_half_up

FORMAT = "seuil-activity-report/1"

TYPOLOGIES = ("room", "T1", "T2", "T3", "T4", "T5", "T6")
COMPOSITIONS = (
    "single_woman",
    "single_man",
    "couple_without_children",
    "woman_with_children",
    "man_with_children",
    "couple_with_children",
    "other",
)
LEGAL_STATUSES = (
    "refugee",
    "subsidiary_protection",
    "stateless",
    "regularised",
    "asylum_seeker",
    "french_or_eu",
    "other",
    "unknown",
)
AGE_BANDS = ("0-17", "18-24", "25-39", "40-59", "60+", "unknown")
RESOURCE_TYPES = (
    "salary",
    "rsa",
    "activity_bonus",
    "family_benefits",
    "aah",
    "aeeh",
    "unemployment_benefit",
    "training_pay",
    "asylum_allowance",
    "pension",
    "none",
    "other",
)
PRIOR_SITUATIONS = (
    "specialised_shelter",
    "general_shelter",
    "adapted_housing",
    "own_housing",
    "street_or_115",
    "hosted_by_third_party",
    "other",
    "unknown",
)
EXIT_DESTINATIONS = (
    "social_landlord",
    "private_landlord",
    "outside_department",
    "other_programme",
    "shelter",
    "end_of_support",
    "other",
    "unknown",
)
PRESENT_STAY_BANDS = ("<6", "6-12", ">12")
EXIT_STAY_BANDS = ("<6", "6-12", "13-18", ">18")
# A month is 30.4375 = 487 / 16 days.
MONTH_NUMERATOR, MONTH_DENOMINATOR = 487, 16
ONE_DAY = datetime.timedelta(days=1)


# ---------------------------------------------------------------- the plain data


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    typology: str
    sector: str | None
    captured_on: datetime.date
    returned_on: datetime.date | None = None
    parent_id: int | None = None
    in_scope: bool = True


@dataclass(frozen=True, slots=True)
class Stay:
    id: int
    household_id: int
    unit_id: int
    entered_on: datetime.date
    exited_on: datetime.date | None = None
    exit_destination: str = ""
    lease_transferred: bool = False
    reinforced: bool = False
    in_scope: bool = True


@dataclass(frozen=True, slots=True)
class Household:
    id: int
    prior_situation: str = ""
    ref: str = ""  # orders the list of missing values on the page, counts nowhere


@dataclass(frozen=True, slots=True)
class Member:
    """A membership, with the person's sex and birth date."""

    household_id: int
    person_id: int
    role: str
    sex: str = ""
    birth_date: datetime.date | None = None
    joined_on: datetime.date | None = None
    joined_reason: str = ""
    left_on: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class LegalStatusRecord:
    person_id: int
    since: datetime.date
    status: str


@dataclass(frozen=True, slots=True)
class ResourceRecord:
    household_id: int
    on: datetime.date
    types: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EvictionProcedure:
    stay_id: int
    started_on: datetime.date
    ended_on: datetime.date | None = None


@dataclass
class Facts:
    organisation: str
    programmes: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    stays: list[Stay] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    legal_statuses: list[LegalStatusRecord] = field(default_factory=list)
    resources: list[ResourceRecord] = field(default_factory=list)
    evictions: list[EvictionProcedure] = field(default_factory=list)
    # `orientation_figures.OrientationFacts`; None: the report has no `orientation` section
    orientation: object = None
    # `tenancy_figures.TenancyFacts`; None: the report has no `tenancy` section
    tenancy: object = None
    # `support_figures.SupportFacts`; None: the report has no `support` section
    support: object = None
    # `seuil.outcomes.rules.OutcomeFacts`; None: the report has no `outcomes` section
    outcomes: object = None
    # Built once by `index_of` (the report, its charts and its missing values read it).
    index: object = field(default=None, init=False, repr=False, compare=False)


# ---------------------------------------------------------------- small rules


def one_year_earlier(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def mean_months(total_days, count):
    if not count:
        return None
    return round_half_up(total_days * MONTH_DENOMINATOR, count * MONTH_NUMERATOR, 1)


def months_at_most(days, months):
    """days / 30.4375 <= months, exactly."""
    return days * MONTH_DENOMINATOR <= months * MONTH_NUMERATOR


def present_stay_band(days):
    if days * MONTH_DENOMINATOR < 6 * MONTH_NUMERATOR:
        return "<6"
    return "6-12" if months_at_most(days, 12) else ">12"


def exit_stay_band(days):
    if days * MONTH_DENOMINATOR < 6 * MONTH_NUMERATOR:
        return "<6"
    if months_at_most(days, 12):
        return "6-12"
    return "13-18" if months_at_most(days, 18) else ">18"


def age_on(birth_date, day):
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(age):
    if age is None:
        return "unknown"
    if age < 18:
        return "0-17"
    if age < 25:
        return "18-24"
    if age < 40:
        return "25-39"
    if age < 60:
        return "40-59"
    return "60+"


def is_member_on(member, day):
    return (member.joined_on is None or member.joined_on <= day) and (
        member.left_on is None or member.left_on > day
    )


def is_present_on(stay, day):
    return stay.entered_on <= day and (stay.exited_on is None or stay.exited_on > day)


def composition_of(members):
    adults = [m for m in members if m.role != "child"]
    children = len(members) - len(adults)
    if len(adults) == 1:
        sex = adults[0].sex
        if sex in ("F", "M"):
            if children:
                return "woman_with_children" if sex == "F" else "man_with_children"
            return "single_woman" if sex == "F" else "single_man"
        return "other"
    if len(adults) == 2 and sorted(m.role for m in adults) == ["head", "partner"]:
        return "couple_with_children" if children else "couple_without_children"
    return "other"


# ---------------------------------------------------------------- indexes


def index_of(facts):
    """The facts indexed (`_Index`), built once per `Facts`: a page computes the report,
    its charts and its missing values from the same index."""
    if facts.index is None:
        facts.index = _Index(facts)
    return facts.index


class _Index:
    """The facts, indexed by id for lookups in O(1) or O(log n)."""

    def __init__(self, facts):
        self.facts = facts
        self.households = {h.id: h for h in facts.households}
        parents = {u.parent_id for u in facts.units if u.parent_id is not None}
        self.units = [u for u in facts.units if u.in_scope and u.id not in parents]
        self.sectors = list(facts.sectors)
        self.stays = [s for s in facts.stays if s.in_scope]
        self.stays_by_unit = defaultdict(list)
        for stay in facts.stays:
            self.stays_by_unit[stay.unit_id].append(stay)
        self.stays_by_household = defaultdict(list)
        for stay in self.stays:
            self.stays_by_household[stay.household_id].append(stay)
        self.members = defaultdict(list)
        for member in facts.members:
            self.members[member.household_id].append(member)
        self.statuses = _dated(facts.legal_statuses, "person_id", "since", "status")
        self.resources = _dated(facts.resources, "household_id", "on", "types")
        self.evictions = defaultdict(list)
        for procedure in facts.evictions:
            self.evictions[procedure.stay_id].append(procedure)

    def members_on(self, household_id, day):
        return [m for m in self.members.get(household_id, ()) if is_member_on(m, day)]

    def status_on(self, person_id, day):
        status = _last_on(self.statuses.get(person_id), day)
        return status if status in LEGAL_STATUSES else "unknown"

    def resources_on(self, household_id, day):
        """The sorted types of the last record on or before `day` (None: unknown)."""
        types = _last_on(self.resources.get(household_id), day)
        return tuple(sorted(set(types))) if types else None

    def under_eviction_on(self, stay, day):
        return any(
            p.started_on <= day and (p.ended_on is None or p.ended_on > day)
            for p in self.evictions.get(stay.id, ())
        )


def _dated(records, key, on, value):
    """key → (sorted dates, values), the last value of a date winning."""
    grouped = defaultdict(dict)
    for record in records:
        grouped[getattr(record, key)][getattr(record, on)] = getattr(record, value)
    result = {}
    for owner, by_date in grouped.items():
        dates = sorted(by_date)
        result[owner] = (dates, [by_date[d] for d in dates])
    return result


def _last_on(dated, day):
    if dated is None:
        return None
    dates, values = dated
    position = bisect_right(dates, day)
    return values[position - 1] if position else None


# ---------------------------------------------------------------- tables


class _Counted:
    """Who a section of the period counted, for the `missing` figures."""

    def __init__(self):
        self.persons = {}  # person_id → member (sex, birth date)
        self.households = set()
        self.unknown_status = set()
        self.unknown_resources = set()


class _Tables:
    """The tables of a group of households, each taken at its own date."""

    def __init__(self, index, counted=None):
        self.index = index
        self.counted = counted
        self.households = 0
        self.persons = 0
        self.adults = 0
        self.children = 0
        self.adult_children = 0
        self.reinforced = 0
        self.composition = {c: [0, 0, 0, 0] for c in COMPOSITIONS}
        self.status_households = dict.fromkeys(LEGAL_STATUSES, 0)
        self.status_persons = dict.fromkeys(LEGAL_STATUSES, 0)
        self.age_persons = dict.fromkeys(AGE_BANDS, 0)
        self.age_adult_children = dict.fromkeys(AGE_BANDS, 0)
        self.combinations = defaultdict(int)
        self.by_type = dict.fromkeys(RESOURCE_TYPES, 0)
        self.unknown_resources = 0
        self.prior = dict.fromkeys(PRIOR_SITUATIONS, 0)

    def add_household(self, household_id, day, reinforced):
        index = self.index
        members = index.members_on(household_id, day)
        self.households += 1
        self.persons += len(members)
        children = adult_children = 0
        head = None
        for member in members:
            age = age_on(member.birth_date, day)
            band = age_band(age)
            self.age_persons[band] += 1
            if member.role == "child":
                children += 1
                if age is not None and age >= 18:
                    adult_children += 1
                    self.age_adult_children[band] += 1
            elif member.role == "head" and head is None:
                head = member
            status = index.status_on(member.person_id, day)
            self.status_persons[status] += 1
            if self.counted is not None:
                self.counted.persons[member.person_id] = member
                if status == "unknown":
                    self.counted.unknown_status.add(member.person_id)
        self.adults += len(members) - children
        self.children += children
        self.adult_children += adult_children
        self.reinforced += reinforced
        row = self.composition[composition_of(members)]
        row[0] += 1
        row[1] += children
        row[2] += adult_children
        row[3] += reinforced
        status = index.status_on(head.person_id, day) if head else "unknown"
        self.status_households[status] += 1
        types = index.resources_on(household_id, day)
        if types is None:
            self.unknown_resources += 1
        else:
            self.combinations["+".join(types)] += 1
            for kind in types:
                if kind in self.by_type:
                    self.by_type[kind] += 1
        household = index.households.get(household_id)
        prior = household.prior_situation if household else ""
        self.prior[prior if prior in self.prior else "unknown"] += 1
        if self.counted is not None:
            self.counted.households.add(household_id)
            if types is None:
                self.counted.unknown_resources.add(household_id)

    def add_joiner(self, member):
        """A person who joined a household present in scope, counted at `joined_on`."""
        age = age_on(member.birth_date, member.joined_on)
        band = age_band(age)
        self.age_persons[band] += 1
        if member.role == "child" and age is not None and age >= 18:
            self.age_adult_children[band] += 1
        if self.counted is not None:
            self.counted.persons[member.person_id] = member

    def composition_json(self):
        return {
            code: {
                "households": row[0],
                "children": row[1],
                "adult_children": row[2],
                "reinforced_support": row[3],
            }
            for code, row in self.composition.items()
        }

    def legal_status_json(self):
        return {
            code: {"households": self.status_households[code], "persons": self.status_persons[code]}
            for code in LEGAL_STATUSES
        }

    def age_bands_json(self):
        return {
            band: {
                "persons": self.age_persons[band],
                "adult_children": self.age_adult_children[band],
            }
            for band in AGE_BANDS
        }

    def resources_json(self):
        return {
            "combinations": dict(sorted(self.combinations.items())),
            "by_type": dict(self.by_type),
            "unknown": self.unknown_resources,
        }


# ---------------------------------------------------------------- sections


def _by_units(units, sectors):
    by_typology = dict.fromkeys((*TYPOLOGIES, "unknown"), 0)
    by_sector = dict.fromkeys((*sectors, "unknown"), 0)
    for unit in units:
        by_typology[unit.typology if unit.typology in TYPOLOGIES else "unknown"] += 1
        by_sector[unit.sector if unit.sector in by_sector else "unknown"] += 1
    return {"units": len(units), "by_typology": by_typology, "by_sector": by_sector}


def _occupied_days(stays, low, high):
    """Days of [low, high) on which at least one of `stays` is present."""
    intervals = sorted(
        (max(s.entered_on, low), min(s.exited_on or high, high))
        for s in stays
        if s.entered_on < high and (s.exited_on is None or s.exited_on > low)
    )
    days = 0
    current_start = current_end = None
    for begin, finish in intervals:
        if begin >= finish:
            continue
        if current_end is None or begin > current_end:
            if current_end is not None:
                days += (current_end - current_start).days
            current_start, current_end = begin, finish
        elif finish > current_end:
            current_end = finish
    if current_end is not None:
        days += (current_end - current_start).days
    return days


def _housing(index, start, end):
    after_end = end + ONE_DAY
    captured, vacant, occupied, returned = [], [], [], []
    lease_transferred = stock_days = occupied_days = 0
    for unit in index.units:
        stays = index.stays_by_unit.get(unit.id, ())
        if start <= unit.captured_on <= end:
            captured.append(unit)
        if unit.captured_on <= end and (unit.returned_on is None or unit.returned_on > end):
            if any(is_present_on(s, end) for s in stays):
                occupied.append(unit)
            else:
                vacant.append(unit)
        if unit.returned_on is not None and start <= unit.returned_on <= end:
            returned.append(unit)
            if any(s.lease_transferred and s.exited_on == unit.returned_on for s in stays):
                lease_transferred += 1
        low = max(unit.captured_on, start)
        high = min(unit.returned_on or after_end, after_end)
        if high > low:
            stock_days += (high - low).days
            occupied_days += _occupied_days(stays, low, high)
    period_days = (end - start).days + 1
    returned_json = _by_units(returned, index.sectors)
    returned_json = {
        "units": returned_json["units"],
        "lease_transferred": lease_transferred,
        "by_typology": returned_json["by_typology"],
        "by_sector": returned_json["by_sector"],
    }
    return {
        "captured": _by_units(captured, index.sectors),
        "vacant_at_end": _by_units(vacant, index.sectors),
        "occupied_at_end": _by_units(occupied, index.sectors),
        "returned": returned_json,
        "occupancy_rate": round_half_up(occupied_days, stock_days, 4) if stock_days else None,
        "average_units": round_half_up(stock_days, period_days, 2),
    }


def _present_households(index, day):
    """household_id → (first present stay, reinforced, under eviction), on `day`."""
    present = {}
    for stay in index.stays:
        if not is_present_on(stay, day):
            continue
        evicted = index.under_eviction_on(stay, day)
        known = present.get(stay.household_id)
        if known is None:
            present[stay.household_id] = (stay, stay.reinforced, evicted)
        else:
            first = min(known[0], stay, key=lambda s: (s.entered_on, s.id))
            present[stay.household_id] = (first, known[1] or stay.reinforced, known[2] or evicted)
    return present


def _present(index, day, counted=None):
    tables = _Tables(index, counted)
    bands = dict.fromkeys(PRESENT_STAY_BANDS, 0)
    total_days = evicted_count = 0
    present = _present_households(index, day)
    for household_id, (stay, reinforced, evicted) in present.items():
        tables.add_household(household_id, day, reinforced)
        days = (day - stay.entered_on).days
        bands[present_stay_band(days)] += 1
        total_days += days
        evicted_count += evicted
    return {
        "households": tables.households,
        "persons": tables.persons,
        "adults": tables.adults,
        "children": tables.children,
        "adult_children": tables.adult_children,
        "reinforced_support": tables.reinforced,
        "eviction_procedure": evicted_count,
        "composition": tables.composition_json(),
        "legal_status": tables.legal_status_json(),
        "age_bands": tables.age_bands_json(),
        "resources": tables.resources_json(),
        "prior_situation": dict(tables.prior),
        "length_of_stay": {"bands": bands, "mean_months": mean_months(total_days, len(present))},
    }


def _joiners(index, start, end):
    for household_id, stays in index.stays_by_household.items():
        for member in index.members.get(household_id, ()):
            joined = member.joined_on
            if joined is None or not start <= joined <= end:
                continue
            if any(s.entered_on < joined and is_present_on(s, joined) for s in stays):
                yield member


def _entries(index, start, end, counted=None):
    tables = _Tables(index, counted)
    for stay in index.stays:
        if start <= stay.entered_on <= end:
            tables.add_household(stay.household_id, stay.entered_on, stay.reinforced)
    persons_at_entry = tables.persons
    joined = births = 0
    for member in _joiners(index, start, end):
        tables.add_joiner(member)
        joined += 1
        births += member.joined_reason == "birth"
    return {
        "households": tables.households,
        "persons_at_entry": persons_at_entry,
        "persons_joined": joined,
        "births": births,
        "persons": persons_at_entry + joined,
        "composition": tables.composition_json(),
        "legal_status": tables.legal_status_json(),
        "age_bands": tables.age_bands_json(),
        "resources": tables.resources_json(),
        "prior_situation": dict(tables.prior),
    }


def _exits(index, start, end, counted=None):
    tables = _Tables(index, counted)
    bands = dict.fromkeys(EXIT_STAY_BANDS, 0)
    destinations = {code: [0, 0, 0] for code in EXIT_DESTINATIONS}
    total_days = 0
    for stay in index.stays:
        if stay.exited_on is None or not start <= stay.exited_on <= end:
            continue
        tables.add_household(stay.household_id, stay.exited_on - ONE_DAY, stay.reinforced)
        days = (stay.exited_on - stay.entered_on).days
        bands[exit_stay_band(days)] += 1
        total_days += days
        code = stay.exit_destination if stay.exit_destination in destinations else "unknown"
        row = destinations[code]
        row[0] += 1
        row[1] += stay.lease_transferred
        row[2] += stay.reinforced
    return {
        "households": tables.households,
        "persons": tables.persons,
        "composition": tables.composition_json(),
        "legal_status": tables.legal_status_json(),
        "age_bands": tables.age_bands_json(),
        "length_of_stay": {
            "bands": bands,
            "mean_months": mean_months(total_days, tables.households),
        },
        "destinations": {
            code: {"households": r[0], "lease_transferred": r[1], "reinforced_support": r[2]}
            for code, r in destinations.items()
        },
    }


def missing_by_field(index, counted):
    """field → [(household_id, person_id or None)]: who misses what among those counted
    (persons for sex, birth date and legal status; households for resources and the
    situation before). The `missing` figures of the report count these."""

    def prior_unknown(household_id):
        household = index.households.get(household_id)
        code = household.prior_situation if household else ""
        return code not in PRIOR_SITUATIONS or code == "unknown"

    persons = counted.persons.items()
    return {
        "sex": [(m.household_id, pid) for pid, m in persons if m.sex not in ("F", "M", "X")],
        "birth_date": [(m.household_id, pid) for pid, m in persons if m.birth_date is None],
        "legal_status": [
            (m.household_id, pid) for pid, m in persons if pid in counted.unknown_status
        ],
        "resources": [(h, None) for h in sorted(counted.unknown_resources)],
        "prior_situation": [(h, None) for h in sorted(counted.households) if prior_unknown(h)],
    }


def _missing(index, counted):
    return {field: len(rows) for field, rows in missing_by_field(index, counted).items()}


# ---------------------------------------------------------------- checks


def _sum(table, column=None):
    return sum(v if column is None else v[column] for v in table.values())


def _checks(report):
    housing, present, entries, exits = (
        report["housing"],
        report["present"],
        report["entries"],
        report["exits"],
    )
    checks = []

    def check(name, ok):
        checks.append({"name": name, "ok": bool(ok)})

    for key in ("captured", "vacant_at_end", "occupied_at_end", "returned"):
        part = housing[key]
        check(
            f"housing.{key} by typology sums to units", _sum(part["by_typology"]) == part["units"]
        )
        check(f"housing.{key} by sector sums to units", _sum(part["by_sector"]) == part["units"])
    check(
        "housing.returned lease transferred within returned",
        housing["returned"]["lease_transferred"] <= housing["returned"]["units"],
    )
    rate = housing["occupancy_rate"]
    check("housing.occupancy rate between 0 and 1", rate is None or 0 <= rate <= 1)
    for name, section in (("present", present), ("entries", entries), ("exits", exits)):
        households = section["households"]
        persons = section["persons_at_entry"] if name == "entries" else section["persons"]
        composition = section["composition"]
        check(
            f"{name}.composition sums to households", _sum(composition, "households") == households
        )
        check(
            f"{name}.legal status sums to households",
            _sum(section["legal_status"], "households") == households,
        )
        check(
            f"{name}.legal status sums to persons",
            _sum(section["legal_status"], "persons") == persons,
        )
        check(
            f"{name}.age bands sum to persons",
            _sum(section["age_bands"], "persons") == section["persons"],
        )
        if "resources" in section:
            resources = section["resources"]
            check(
                f"{name}.resources sum to households",
                _sum(resources["combinations"]) + resources["unknown"] == households,
            )
        if "prior_situation" in section:
            check(
                f"{name}.prior situation sums to households",
                _sum(section["prior_situation"]) == households,
            )
        if "length_of_stay" in section:
            check(
                f"{name}.length of stay bands sum to households",
                _sum(section["length_of_stay"]["bands"]) == households,
            )
    check(
        "present.persons = adults + children",
        present["persons"] == present["adults"] + present["children"],
    )
    check(
        "present.composition children sum to children",
        _sum(present["composition"], "children") == present["children"],
    )
    check(
        "present.composition adult children sum to adult children",
        _sum(present["composition"], "adult_children") == present["adult_children"],
    )
    check(
        "present.age bands adult children sum to adult children",
        _sum(present["age_bands"], "adult_children") == present["adult_children"],
    )
    check(
        "present.composition reinforced support sums to reinforced support",
        _sum(present["composition"], "reinforced_support") == present["reinforced_support"],
    )
    check(
        "entries.persons = persons at entry + persons joined",
        entries["persons"] == entries["persons_at_entry"] + entries["persons_joined"],
    )
    check("entries.births within persons joined", entries["births"] <= entries["persons_joined"])
    check(
        "exits.destinations sum to households",
        _sum(exits["destinations"], "households") == exits["households"],
    )
    if "tenancy" in report:
        from .tenancy_figures import tenancy_checks

        for name, ok in tenancy_checks(report["tenancy"]):
            check(name, ok)
    if "support" in report:
        from .support_figures import support_checks

        for name, ok in support_checks(report["support"]):
            check(name, ok)
    if "outcomes" in report:
        from .outcomes_figures import checks as outcomes_checks

        for name, ok in outcomes_checks(report["outcomes"]):
            check(name, ok)
    return checks


# ---------------------------------------------------------------- the document


def compute(facts, start, end):
    """The `seuil-activity-report/1` document of `facts` for [start, end]."""
    if start > end:
        raise ValueError("start after end")
    index = index_of(facts)
    counted = _Counted()
    previous_start, previous_end = one_year_earlier(start), one_year_earlier(end)
    previous_present = _present(index, previous_end)
    previous_entries = _entries(index, previous_start, previous_end)
    previous_exits = _exits(index, previous_start, previous_end)
    report = {
        "format": FORMAT,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "scope": {"organisation": facts.organisation, "programmes": sorted(facts.programmes)},
        "housing": _housing(index, start, end),
        "present": _present(index, end, counted),
        "entries": _entries(index, start, end, counted),
        "exits": _exits(index, start, end, counted),
        "previous": {
            "present": {
                "households": previous_present["households"],
                "persons": previous_present["persons"],
            },
            "entries": {
                "households": previous_entries["households"],
                "persons": previous_entries["persons"],
            },
            "exits": {
                "households": previous_exits["households"],
                "persons": previous_exits["persons"],
            },
        },
        "missing": _missing(index, counted),
    }
    if facts.orientation is not None:
        from .orientation_figures import orientation_section

        report["orientation"] = orientation_section(facts.orientation, start, end)
    if facts.tenancy is not None:
        from .tenancy_figures import tenancy_section

        report["tenancy"] = tenancy_section(facts.tenancy, start, end)
    if facts.support is not None:
        from .support_figures import support_section

        report["support"] = support_section(facts.support, start, end)
    if facts.outcomes is not None:
        from .outcomes_figures import outcomes_section

        report["outcomes"] = outcomes_section(facts.outcomes, start, end)
    report["checks"] = _checks(report)
    return report
