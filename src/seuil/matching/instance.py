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

from seuil.matching.validation import FieldChecker, InstanceError

__all__ = ["Instance", "InstanceError", "load_instance", "parse_instance"]

FORMAT = "seuil-matching-instance/1"
RULES = ("occupancy", "rent", "accessible", "shared", "wishes", "refused")
COMPONENTS = ("wish", "employment", "priority", "waiting", "size_fit")
DEFAULT_OCCUPANCY = {
    "room": (1, 1),
    "T1": (1, 2),
    "T2": (1, 3),
    "T3": (2, 5),
    "T4": (3, 7),
    "T5": (4, 9),
    "T6": (5, 99),
}
DEFAULT_WEIGHTS = {"wish": 400, "employment": 400, "priority": 200, "waiting": 100, "size_fit": 50}
WISH_MODES = ("strict", "preferred")
HEAD_SEXES = (None, "F", "M", "X")  # codes 0..3
SHARED_GENDERS = (None, "mixed", "F", "M")  # codes 0..3
SHARE_DENOMINATOR_LIMIT = 1000
MAX_WEIGHT = 1_000_000  # keeps the flow's integer costs far from overflow


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


def _sorted_by_ref(check, items, kind):
    """Items with a valid, unique `ref`, in `ref` order; errors for the others."""
    seen = {}
    for i, item in items:
        ref = check.text(item, "ref", f"{kind}[{i}]")
        if ref is None:
            continue
        if ref in seen:
            check.error(f"{kind}[{i}].ref", f"référence en double : « {ref} »")
            continue
        seen[ref] = (i, item)
    return [seen[ref] for ref in sorted(seen)]


def _rules(check, document):
    rules = check.mapping(document, "rules", "")
    occupancy = DEFAULT_OCCUPANCY
    if rules.get("occupancy") is not None:
        raw = rules["occupancy"]
        if not isinstance(raw, dict) or not raw:
            check.error("rules.occupancy", "objet typologie → [minimum, maximum] attendu")
            raw = {}
        occupancy = {}
        for typology, bounds in raw.items():
            path = f"rules.occupancy.{typology}"
            if (
                not isinstance(bounds, list)
                or len(bounds) != 2
                or any(isinstance(b, bool) or not isinstance(b, int) for b in bounds)
            ):
                check.error(path, "liste de deux entiers [minimum, maximum] attendue")
            elif not 1 <= bounds[0] <= bounds[1]:
                check.error(path, "minimum ≥ 1 et minimum ≤ maximum attendus")
            else:
                occupancy[typology] = tuple(bounds)
    mode = rules.get("wishes", None)
    if mode is None:
        mode = "strict"
    elif mode not in WISH_MODES:
        check.error("rules.wishes", "« strict » ou « preferred » attendu")
        mode = "strict"
    weights = dict(DEFAULT_WEIGHTS)
    given = check.mapping(document, "weights", "")
    for key in given:
        if key not in DEFAULT_WEIGHTS:
            shown = ", ".join(DEFAULT_WEIGHTS)
            check.error(f"weights.{key}", f"poids inconnu (poids possibles : {shown})")
    for key in DEFAULT_WEIGHTS:
        if given.get(key) is not None:
            weights[key] = check.number(given, key, "weights", low=0, high=MAX_WEIGHT)
    return occupancy, mode, weights


def _constraints(check, document):
    raw = check.mapping(document, "constraints", "")
    constraints = Constraints()
    for key in raw:
        if key not in ("min_priority_share", "territory_quotas"):
            check.error(
                f"constraints.{key}",
                "contrainte inconnue (possibles : min_priority_share, territory_quotas)",
            )
    share = raw.get("min_priority_share")
    if share is not None:
        if not isinstance(share, dict):
            check.error("constraints.min_priority_share", "objet attendu")
        else:
            path = "constraints.min_priority_share"
            min_points = check.number(share, "min_points", path, required=True, low=0)
            value = check.number(share, "share", path, required=True, low=0, high=1)
            exact = Fraction(repr(value)).limit_denominator(SHARE_DENOMINATOR_LIMIT)
            if abs(float(exact) - value) > 1e-12:
                check.error(f"{path}.share", "part avec au plus trois décimales attendue")
            constraints.priority_share = PriorityShare(
                min_points, value, exact.numerator, exact.denominator
            )
    quotas = raw.get("territory_quotas")
    if quotas is not None:
        if not isinstance(quotas, dict):
            check.error("constraints.territory_quotas", 'objet territoire → {"max": n} attendu')
        else:
            for code, quota in quotas.items():
                path = f"constraints.territory_quotas.{code}"
                if not isinstance(quota, dict):
                    check.error(path, 'objet {"max": n} attendu')
                    continue
                if set(quota) - {"max"}:
                    check.error(path, "seul le champ « max » est possible")
                constraints.territory_max[code] = check.integer(quota, "max", path, required=True)
    return constraints


def parse_instance(document):
    """Validate `document` (parsed JSON) and return an `Instance`; raise `InstanceError`."""
    if not isinstance(document, dict):
        raise InstanceError(["le document doit être un objet JSON"])
    check = FieldChecker()
    if document.get("format") != FORMAT:
        check.error("format", f"« {FORMAT} » attendu")
    occupancy, mode, weights = _rules(check, document)
    constraints = _constraints(check, document)
    households = _sorted_by_ref(check, check.objects(document, "households"), "households")
    units = _sorted_by_ref(check, check.objects(document, "units"), "units")

    territory_scores = {}
    for i, item in check.objects(document, "territories", required=False):
        code = check.text(item, "code", f"territories[{i}]")
        score = check.number(item, "employment_score", f"territories[{i}]", low=0, high=1)
        if code is None:
            continue
        if code in territory_scores:
            check.error(f"territories[{i}].code", f"territoire en double : « {code} »")
        territory_scores[code] = score

    typologies = sorted(occupancy)
    unit_rows = []
    for i, item in units:
        path = f"units[{i}]"
        typology = check.text(item, "typology", path)
        if typology is not None and typology not in occupancy:
            check.error(
                f"{path}.typology",
                f"typologie inconnue « {typology} » (absente de rules.occupancy)",
            )
            typology = None
        unit_rows.append(
            (
                item["ref"],
                typologies.index(typology) if typology is not None else 0,
                check.text(item, "territory", path) or "",
                check.number(item, "rent", path, required=True, low=0),
                check.number(item, "charges", path, default=0.0, low=0),
                check.boolean(item, "accessible", path),
                check.boolean(item, "shared", path),
                check.choice(item, "shared_gender", path, SHARED_GENDERS),
            )
        )
    unit_index = {row[0]: j for j, row in enumerate(unit_rows)}

    household_rows, wishes, refused, employment = [], [], [], []
    for h, (i, item) in enumerate(households):
        path = f"households[{i}]"
        adults = check.integer(item, "adults", path, required=True)
        children = check.integer(item, "children", path, required=True)
        if adults + children == 0 and "adults" in item and "children" in item:
            check.error(f"{path}.adults", "un ménage compte au moins une personne")
        own_wishes = check.text_list(item, "wishes", path)
        if len(set(own_wishes)) != len(own_wishes):
            check.error(f"{path}.wishes", "territoire souhaité en double")
            own_wishes = list(dict.fromkeys(own_wishes))
        wishes.extend((h, code, rank) for rank, code in enumerate(own_wishes))
        for ref in check.text_list(item, "refused_units", path):
            if ref in unit_index:
                refused.append((h, unit_index[ref]))
        own_employment = check.mapping(item, "employment", path)
        for code in own_employment:
            value = check.number(own_employment, code, f"{path}.employment", low=0, high=1)
            employment.append((h, code, value))
        household_rows.append(
            (
                adults,
                children,
                check.choice(item, "head_sex", path, HEAD_SEXES),
                check.number(item, "max_rent", path, required=True),
                check.boolean(item, "needs_accessible", path),
                check.boolean(item, "accepts_shared", path),
                check.boolean(item, "accepts_mixed_shared", path),
                check.number(item, "waiting_days", path, default=0.0, low=0),
                check.number(item, "priority_points", path, default=0.0, low=0),
                len(own_wishes),
            )
        )
    if check.errors:
        raise InstanceError(check.errors)

    codes = set(territory_scores) | {row[2] for row in unit_rows}
    codes |= {code for _, code, _ in wishes} | {code for _, code, _ in employment}
    codes |= set(constraints.territory_max)
    territories = sorted(codes)
    territory_index = {code: t for t, code in enumerate(territories)}

    def column(rows, k, dtype):
        return np.array([row[k] for row in rows], dtype=dtype)

    refused = sorted(set(refused))
    return Instance(
        household_refs=[item["ref"] for _, item in households],
        adults=column(household_rows, 0, np.int64),
        children=column(household_rows, 1, np.int64),
        head_sex=column(household_rows, 2, np.int8),
        max_rent=column(household_rows, 3, np.float64),
        needs_accessible=column(household_rows, 4, bool),
        accepts_shared=column(household_rows, 5, bool),
        accepts_mixed_shared=column(household_rows, 6, bool),
        waiting_days=column(household_rows, 7, np.float64),
        priority_points=column(household_rows, 8, np.float64),
        wish_count=column(household_rows, 9, np.int64),
        wish_household=column(wishes, 0, np.int64),
        wish_territory=np.array([territory_index[w[1]] for w in wishes], dtype=np.int64),
        wish_rank=column(wishes, 2, np.int64),
        refused_household=column(refused, 0, np.int64),
        refused_unit=column(refused, 1, np.int64),
        employment_household=column(employment, 0, np.int64),
        employment_territory=np.array([territory_index[e[1]] for e in employment], dtype=np.int64),
        employment_value=column(employment, 2, np.float64),
        unit_refs=[row[0] for row in unit_rows],
        typology=column(unit_rows, 1, np.int64),
        territory=np.array([territory_index[row[2]] for row in unit_rows], dtype=np.int64),
        rent=column(unit_rows, 3, np.float64),
        charges=column(unit_rows, 4, np.float64),
        accessible=column(unit_rows, 5, bool),
        shared=column(unit_rows, 6, bool),
        shared_gender=column(unit_rows, 7, np.int8),
        typologies=typologies,
        occupancy_min=np.array([occupancy[t][0] for t in typologies], dtype=np.int64),
        occupancy_max=np.array([occupancy[t][1] for t in typologies], dtype=np.int64),
        territories=territories,
        employment_score=np.array(
            [territory_scores.get(code, 0.0) for code in territories], dtype=np.float64
        ),
        wishes_mode=mode,
        weights=weights,
        constraints=constraints,
    )
