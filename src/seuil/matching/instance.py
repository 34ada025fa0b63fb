"""Read and validate a `seuil-matching-instance/1` document (EXCHANGE.md §3) into arrays.

Every error names its field, JSON-path style, with a French message
(`households[3].max_rent : nombre attendu`); all errors are collected and raised together
as an `InstanceError`.

Households and units are sorted by `ref` (plain string order) before anything else, so the
order of the input never matters: index `i` of every array is the `i`-th ref in that order.

Defaults for what the instance leaves out (EXCHANGE.md shows every field; these are the
choices where it does not say):

- `rules.occupancy`: the table of EXCHANGE.md §3; `rules.wishes`: `"strict"`;
  `weights`: the weights of EXCHANGE.md §3 (wish 400, employment 400, priority 200,
  waiting 100, size_fit 50), each weight left out taking its default.
- `territories` may be left out (every `employment_score` is then 0).
- household: `head_sex` null, the booleans false, `wishes` and `refused_units` empty,
  `waiting_days` and `priority_points` 0, no `employment` map; unit: `charges` 0 (or null),
  `accessible` and `shared` false, `shared_gender` null. `ref`, `adults`, `children`,
  `max_rent` (household) and `ref`, `typology`, `territory`, `rent` (unit) are required.
- a `refused_units` entry naming no unit of the instance is allowed and has no effect.

Extension (not in EXCHANGE.md §3): an optional `constraints` object, see `constraints.py`::

    "constraints": {"min_priority_share": {"min_points": 10, "share": 0.4},
                    "territory_quotas": {"80": {"max": 30}}}
"""

import json
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from seuil.core.jsondoc import (
    Bool,
    Field,
    Integer,
    ListOf,
    MapOf,
    Mapping,
    Number,
    Object,
    OneOf,
    Reader,
    Text,
)
from seuil.core.plausibility import TYPOLOGY_OCCUPANCY
from seuil.core.wording import plural

__all__ = ["Instance", "InstanceError", "load_instance", "parse_instance"]

FORMAT = "seuil-matching-instance/1"
RULES = ("occupancy", "rent", "accessible", "shared", "wishes", "refused")
COMPONENTS = ("wish", "employment", "priority", "waiting", "size_fit")
DEFAULT_OCCUPANCY = TYPOLOGY_OCCUPANCY  # one table with the entry form's warning
DEFAULT_WEIGHTS = {"wish": 400, "employment": 400, "priority": 200, "waiting": 100, "size_fit": 50}
WISH_MODES = ("strict", "preferred")
HEAD_SEXES = (None, "F", "M", "X")  # codes 0..3
SHARED_GENDERS = (None, "mixed", "F", "M")  # codes 0..3
SHARE_DENOMINATOR_LIMIT = 1000
MAX_WEIGHT = 1_000_000  # keeps the flow's integer costs far from overflow


class InstanceError(Exception):
    """An instance that cannot be solved; `errors` are `path : message` lines in French."""

    def __init__(self, errors):
        self.errors = list(errors)
        count = len(self.errors)
        self.summary = f"Instance refusée : {plural(count, 'erreur')}, aucun calcul fait."
        super().__init__("\n".join([*self.errors, self.summary]))


@dataclass
class PriorityShare:
    """At least `share` of the placements go to households with `priority_points >= min_points`.

    `share` is kept exactly as the fraction `numerator / denominator`.
    """

    min_points: float
    share: float
    numerator: int
    denominator: int


@dataclass
class Constraints:
    priority_share: PriorityShare | None = None
    territory_max: dict = field(default_factory=dict)  # territory code -> max placements

    @property
    def any(self):
        return self.priority_share is not None or bool(self.territory_max)


@dataclass
class Instance:
    """Plain arrays; households and units in `ref` order."""

    household_refs: list
    adults: np.ndarray
    children: np.ndarray
    head_sex: np.ndarray  # codes of HEAD_SEXES
    max_rent: np.ndarray
    needs_accessible: np.ndarray
    accepts_shared: np.ndarray
    accepts_mixed_shared: np.ndarray
    waiting_days: np.ndarray
    priority_points: np.ndarray
    wish_household: np.ndarray  # one row per wish
    wish_territory: np.ndarray
    wish_rank: np.ndarray  # 0-based
    wish_count: np.ndarray  # per household
    refused_household: np.ndarray  # one row per refused unit of the instance
    refused_unit: np.ndarray
    employment_household: np.ndarray  # one row per entry of a household's employment map
    employment_territory: np.ndarray
    employment_value: np.ndarray
    unit_refs: list
    typology: np.ndarray  # index into `typologies`
    territory: np.ndarray  # index into `territories`
    rent: np.ndarray
    charges: np.ndarray
    accessible: np.ndarray
    shared: np.ndarray
    shared_gender: np.ndarray  # codes of SHARED_GENDERS
    typologies: list
    occupancy_min: np.ndarray  # per typology
    occupancy_max: np.ndarray
    territories: list  # sorted codes: of units, wishes, employment maps and `territories`
    employment_score: np.ndarray  # per territory, 0 when not given
    wishes_mode: str
    weights: dict
    constraints: Constraints

    @property
    def persons(self):
        return self.adults + self.children

    @property
    def unit_cost(self):
        """`rent + charges`, the amount compared with `max_rent`."""
        return self.rent + self.charges

    @property
    def household_count(self):
        return len(self.household_refs)

    @property
    def unit_count(self):
        return len(self.unit_refs)


def load_instance(path):
    """Read and validate the instance file at `path` (UTF-8 JSON)."""
    try:
        with open(path, encoding="utf-8") as stream:
            document = json.load(stream)
    except FileNotFoundError:
        raise InstanceError([f"fichier introuvable : {path}"]) from None
    except UnicodeDecodeError:
        raise InstanceError(["le fichier n'est pas encodé en UTF-8"]) from None
    except json.JSONDecodeError as exc:
        raise InstanceError(
            [f"JSON invalide (ligne {exc.lineno}, colonne {exc.colno}) : {exc.msg}"]
        ) from None
    except OSError as exc:
        raise InstanceError([f"lecture impossible : {exc.strerror}"]) from None
    return parse_instance(document)


# ---- reading the document ---------------------------------------------------------------


class _Typology(Field):
    """A typology of the instance's `rules.occupancy`, read as its index in `typologies`."""

    expected = "texte attendu"

    def __init__(self, typologies):
        super().__init__(required=True)
        self.index = {typology: t for t, typology in enumerate(typologies)}

    def read(self, value, path, reader):
        typology = TEXT.read(value, path, reader)
        if typology is None:
            return None
        if typology not in self.index:
            return reader.error(
                path, f"typologie inconnue « {typology} » (absente de rules.occupancy)"
            )
        return self.index[typology]


def _exact_share(value):
    return Fraction(repr(value)).limit_denominator(SHARE_DENOMINATOR_LIMIT)


class _Share(Number):
    """A share between 0 and 1 with three decimals at most (kept exactly as a fraction)."""

    def __init__(self):
        super().__init__(required=True, low=0, high=1)

    def read(self, value, path, reader):
        value = super().read(value, path, reader)
        if value is not None and abs(float(_exact_share(value)) - value) > 1e-12:
            reader.error(path, "part avec au plus trois décimales attendue")
        return value


TEXT = Text(non_empty=True, required=True)
TEXTS = ListOf(Text(non_empty=True), wrong="liste de textes attendue", partial=True)
SCORE = Number(low=0, high=1)
WEIGHTS = Object(
    {key: Number(low=0, high=MAX_WEIGHT, default=value) for key, value in DEFAULT_WEIGHTS.items()},
    unknown=f"poids inconnu (poids possibles : {', '.join(DEFAULT_WEIGHTS)})",
)
CONSTRAINTS = Object(
    {
        "min_priority_share": Object(
            {"min_points": Number(required=True, low=0), "share": _Share()}, unknown=None
        ),
        "territory_quotas": Mapping(wrong='objet territoire → {"max": n} attendu'),
    },
    unknown="contrainte inconnue (possibles : min_priority_share, territory_quotas)",
)
QUOTA_MAX = Integer(required=True)
TERRITORY = {"code": TEXT, "employment_score": SCORE}
HOUSEHOLD_SIZE = {"adults": Integer(required=True), "children": Integer(required=True)}
HOUSEHOLD = {
    "wishes": ListOf(
        Text(non_empty=True),
        wrong="liste de textes attendue",
        partial=True,
        unique="territoire souhaité en double",
    ),
    "refused_units": TEXTS,
    "employment": MapOf(SCORE),
    "head_sex": OneOf(HEAD_SEXES),
    "max_rent": Number(required=True),
    "needs_accessible": Bool(),
    "accepts_shared": Bool(),
    "accepts_mixed_shared": Bool(),
    "waiting_days": Number(low=0),
    "priority_points": Number(low=0),
}


def _unit_fields(typologies):
    return {
        "typology": _Typology(typologies),
        "territory": TEXT,
        "rent": Number(required=True, low=0),
        "charges": Number(low=0),
        "accessible": Bool(),
        "shared": Bool(),
        "shared_gender": OneOf(SHARED_GENDERS),
    }


def _valid_bounds(bounds):
    return (
        isinstance(bounds, list)
        and len(bounds) == 2
        and not any(isinstance(b, bool) or not isinstance(b, int) for b in bounds)
    )


def _occupancy(reader, rules):
    """`rules.occupancy`: typology → (minimum, maximum) persons."""
    raw = rules.get("occupancy")
    if raw is None:
        return DEFAULT_OCCUPANCY
    if not isinstance(raw, dict) or not raw:
        reader.error("rules.occupancy", "objet typologie → [minimum, maximum] attendu")
        raw = {}
    occupancy = {}
    for typology, bounds in raw.items():
        path = f"rules.occupancy.{typology}"
        if not _valid_bounds(bounds):
            reader.error(path, "liste de deux entiers [minimum, maximum] attendue")
        elif not 1 <= bounds[0] <= bounds[1]:
            reader.error(path, "minimum ≥ 1 et minimum ≤ maximum attendus")
        else:
            occupancy[typology] = tuple(bounds)
    return occupancy


def _wishes_mode(reader, rules):
    mode = rules.get("wishes", None)
    if mode is None:
        return "strict"
    if mode not in WISH_MODES:
        reader.error("rules.wishes", "« strict » ou « preferred » attendu")
        return "strict"
    return mode


def _rules(reader, document):
    """(occupancy, wishes mode, weights) of `rules` and `weights`."""
    rules = reader.value(document.get("rules"), Mapping(), "rules") or {}
    occupancy = _occupancy(reader, rules)
    mode = _wishes_mode(reader, rules)
    weights = dict(reader.value(document.get("weights"), WEIGHTS, "weights") or DEFAULT_WEIGHTS)
    return occupancy, mode, weights


def _territory_max(reader, quotas):
    """{territory: max placements} of `constraints.territory_quotas`."""
    territory_max = {}
    for code, quota in quotas.items():
        path = f"constraints.territory_quotas.{code}"
        if not isinstance(quota, dict):
            reader.error(path, 'objet {"max": n} attendu')
            continue
        if set(quota) - {"max"}:
            reader.error(path, "seul le champ « max » est possible")
        territory_max[code] = reader.value(quota.get("max"), QUOTA_MAX, (path, "max"))
    return territory_max


def _constraints(reader, document):
    raw = reader.value(document.get("constraints"), CONSTRAINTS, "constraints")
    constraints = Constraints()
    if raw is None:
        return constraints
    share = raw["min_priority_share"]
    if share is not None and share["share"] is not None:
        exact = _exact_share(share["share"])
        constraints.priority_share = PriorityShare(
            share["min_points"], share["share"], exact.numerator, exact.denominator
        )
    if raw["territory_quotas"] is not None:
        constraints.territory_max = _territory_max(reader, raw["territory_quotas"])
    return constraints


def _sorted_by_ref(reader, document, kind):
    """(index, object) of `kind` with a valid, unique `ref`, in `ref` order; errors for the
    others."""
    seen = {}
    for i, item in reader.objects(document.get(kind), kind, required=True):
        ref = reader.value(item.get("ref"), TEXT, ((kind, i), "ref"))
        if ref is None:
            continue
        if ref in seen:
            reader.error(f"{kind}[{i}].ref", f"référence en double : « {ref} »")
            continue
        seen[ref] = (i, item)
    return [seen[ref] for ref in sorted(seen)]


def _territory_scores(reader, document):
    """{code: employment_score} of `territories`."""
    scores = {}
    for i, item in reader.objects(document.get("territories"), "territories"):
        row = reader.fields(item, TERRITORY, ("territories", i))
        code = row["code"]
        if code is None:
            continue
        if code in scores:
            reader.error(f"territories[{i}].code", f"territoire en double : « {code} »")
        scores[code] = row["employment_score"]
    return scores


def _household(reader, item, path):
    """The fields of one household; at least one person in it."""
    row = reader.fields(item, HOUSEHOLD_SIZE, path)
    persons = (row["adults"] or 0) + (row["children"] or 0)
    if persons == 0 and "adults" in item and "children" in item:
        reader.error((path, "adults"), "un ménage compte au moins une personne")
    row.update(reader.fields(item, HOUSEHOLD, path))
    return row


@dataclass
class _Sections:
    """The checked sections of an instance, households and units in `ref` order."""

    occupancy: dict
    mode: str
    weights: dict
    constraints: Constraints
    households: list  # of dicts, one per household: "ref" and the fields of HOUSEHOLD…
    units: list  # of dicts: "ref" and the fields of `_unit_fields`
    territory_scores: dict


def _read(document):
    """Every section of `document`, read and checked; raises InstanceError."""
    if not isinstance(document, dict):
        raise InstanceError(["le document doit être un objet JSON"])
    reader = Reader(missing="champ obligatoire manquant ({expected})")
    if document.get("format") != FORMAT:
        reader.error("format", f"« {FORMAT} » attendu")
    occupancy, mode, weights = _rules(reader, document)
    constraints = _constraints(reader, document)
    households = _sorted_by_ref(reader, document, "households")
    units = _sorted_by_ref(reader, document, "units")
    scores = _territory_scores(reader, document)
    unit_fields = _unit_fields(sorted(occupancy))
    units = [
        {"ref": item["ref"], **reader.fields(item, unit_fields, ("units", i))} for i, item in units
    ]
    households = [
        {"ref": item["ref"], **_household(reader, item, ("households", i))}
        for i, item in households
    ]
    if reader.errors:
        raise InstanceError(reader.errors.lines())
    return _Sections(occupancy, mode, weights, constraints, households, units, scores)


# ---- building the arrays ------------------------------------------------------------------


def _array(rows, key, dtype):
    return np.array([row[key] for row in rows], dtype=dtype)


def _territories(sections):
    """Sorted codes of the units, wishes, employment maps, quotas and `territories`."""
    codes = set(sections.territory_scores) | {unit["territory"] for unit in sections.units}
    for household in sections.households:
        codes.update(household["wishes"])
        codes.update(household["employment"])
    codes |= set(sections.constraints.territory_max)
    return sorted(codes)


def _household_arrays(households):
    return {
        "household_refs": [h["ref"] for h in households],
        "adults": _array(households, "adults", np.int64),
        "children": _array(households, "children", np.int64),
        "head_sex": _array(households, "head_sex", np.int8),
        "max_rent": _array(households, "max_rent", np.float64),
        "needs_accessible": _array(households, "needs_accessible", bool),
        "accepts_shared": _array(households, "accepts_shared", bool),
        "accepts_mixed_shared": _array(households, "accepts_mixed_shared", bool),
        "waiting_days": _array(households, "waiting_days", np.float64),
        "priority_points": _array(households, "priority_points", np.float64),
        "wish_count": np.array([len(h["wishes"]) for h in households], dtype=np.int64),
    }


def _wish_arrays(households, territory_index):
    """One row per wish: household, territory, 0-based rank."""
    rows = [
        (h, territory_index[code], rank)
        for h, household in enumerate(households)
        for rank, code in enumerate(household["wishes"])
    ]
    return {
        "wish_household": _array(rows, 0, np.int64),
        "wish_territory": _array(rows, 1, np.int64),
        "wish_rank": _array(rows, 2, np.int64),
    }


def _refused_arrays(households, unit_index):
    """One row per refused unit of the instance (units not in it are left out)."""
    rows = sorted(
        {
            (h, unit_index[ref])
            for h, household in enumerate(households)
            for ref in household["refused_units"]
            if ref in unit_index
        }
    )
    return {
        "refused_household": _array(rows, 0, np.int64),
        "refused_unit": _array(rows, 1, np.int64),
    }


def _employment_arrays(households, territory_index):
    """One row per entry of a household's own employment map."""
    rows = [
        (h, territory_index[code], value)
        for h, household in enumerate(households)
        for code, value in household["employment"].items()
    ]
    return {
        "employment_household": _array(rows, 0, np.int64),
        "employment_territory": _array(rows, 1, np.int64),
        "employment_value": _array(rows, 2, np.float64),
    }


def _unit_arrays(units, territory_index):
    return {
        "unit_refs": [u["ref"] for u in units],
        "typology": _array(units, "typology", np.int64),
        "territory": np.array([territory_index[u["territory"]] for u in units], dtype=np.int64),
        "rent": _array(units, "rent", np.float64),
        "charges": _array(units, "charges", np.float64),
        "accessible": _array(units, "accessible", bool),
        "shared": _array(units, "shared", bool),
        "shared_gender": _array(units, "shared_gender", np.int8),
    }


def _rule_arrays(sections, territories):
    typologies = sorted(sections.occupancy)
    occupancy = sections.occupancy
    return {
        "typologies": typologies,
        "occupancy_min": np.array([occupancy[t][0] for t in typologies], dtype=np.int64),
        "occupancy_max": np.array([occupancy[t][1] for t in typologies], dtype=np.int64),
        "territories": territories,
        "employment_score": np.array(
            [sections.territory_scores.get(code, 0.0) for code in territories], dtype=np.float64
        ),
        "wishes_mode": sections.mode,
        "weights": sections.weights,
        "constraints": sections.constraints,
    }


def parse_instance(document):
    """Validate `document` (parsed JSON) and return an `Instance`; raise `InstanceError`."""
    sections = _read(document)
    territories = _territories(sections)
    territory_index = {code: t for t, code in enumerate(territories)}
    unit_index = {unit["ref"]: j for j, unit in enumerate(sections.units)}
    households = sections.households
    return Instance(
        **_household_arrays(households),
        **_wish_arrays(households, territory_index),
        **_refused_arrays(households, unit_index),
        **_employment_arrays(households, territory_index),
        **_unit_arrays(sections.units, territory_index),
        **_rule_arrays(sections, territories),
    )
