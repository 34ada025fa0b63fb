"""Eligible pairs (EXCHANGE.md §3, rules 1–6) as a sparse list, and the excluded pairs counted.

The household × unit product is never enumerated (10^10 pairs at national scale):

- Units fall into *classes* of equal (typology, accessible, shared, shared_gender); rules 1
  (occupancy), 3 (accessible) and 4 (shared) depend on the household and the class only, and
  are evaluated with one vector operation per class over all households.
- Rule 2 compares `rent + charges` with `max_rent`. Both are replaced by their rank among all
  the values of the instance (`np.unique`), so that `<=` on ranks is exactly `<=` on the
  floats. Sorted by (class, rank), the units of a class a household can afford are a prefix;
  sorted by (class, territory, rank), those of one territory are a range: one
  `searchsorted` per household (or per wish) gives its length.
- Rule 5: a household with `strict` wishes gets one range per wished territory, any other
  household one range per class.
- The ranges are expanded into pairs, sorted by (household, unit), and rule 6 removes the
  refused units.

Rule 1 reads "a `room` (a unit with `shared: true`) only for adults = 1, children = 0": the
one-adult condition applies to every unit whose typology is `room` and to every unit with
`shared: true`, on top of the occupancy range of its typology.

Excluded pairs are counted per household and rule, each pair once under the first rule (in
the order occupancy, rent, accessible, shared, wishes, refused) that excludes it: per class, the
whole class when rule 1 fails; else the unaffordable units under rent; of the affordable ones,
all under accessible or shared when those fail; else those outside the wishes; then refused.
"""

from dataclasses import dataclass

import numpy as np

from seuil.matching.instance import RULES, SHARED_GENDERS

GENDER_CODES = {value: code for code, value in enumerate(SHARED_GENDERS)}
HEAD_F, HEAD_M = 1, 2  # codes of instance.HEAD_SEXES


@dataclass
class Eligibility:
    """Eligible pairs sorted by (household, unit); `excluded[h, r]` counts per rule."""

    household: np.ndarray
    unit: np.ndarray
    excluded: np.ndarray  # shape (households, len(RULES))
    unit_count: int

    @property
    def pair_count(self):
        return len(self.household)

    def excluded_pairs_by_rule(self):
        totals = self.excluded.sum(axis=0)
        return {rule: int(totals[r]) for r, rule in enumerate(RULES)}

    def exclusion_rules(self, households):
        """For each household index, the rule that left it no eligible unit (None if any).

        Applying the rules in order, the first one after which no unit is left; `"no_unit"`
        for an instance without units.
        """
        if self.unit_count == 0:
            return ["no_unit"] * len(households)
        remaining = self.unit_count - np.cumsum(self.excluded[households], axis=1)
        first_empty = np.argmax(remaining == 0, axis=1)
        return [
            RULES[rule] if left == 0 else None
            for rule, left in zip(first_empty.tolist(), remaining[:, -1].tolist(), strict=True)
        ]


def _expand(households, starts, lengths, order):
    """Pairs (household, order[start + k]) for k < length, for every range."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pair_households = np.repeat(households, lengths)
    offsets = np.cumsum(lengths) - lengths
    positions = np.arange(total, dtype=np.int64) - np.repeat(offsets - starts, lengths)
    return pair_households, order[positions]


def _shared_ok(inst, gender):
    """Rule 4 for a shared unit of `shared_gender` code `gender`, over all households."""
    ok = inst.accepts_shared.copy()
    if gender == GENDER_CODES["mixed"]:
        ok &= inst.accepts_mixed_shared
    elif gender == GENDER_CODES["F"]:
        ok &= inst.head_sex == HEAD_F
    elif gender == GENDER_CODES["M"]:
        ok &= inst.head_sex == HEAD_M
    return ok


def build_eligibility(inst):
    """The `Eligibility` of an `Instance`."""
    households, units = inst.household_count, inst.unit_count
    excluded = np.zeros((households, len(RULES)), dtype=np.int64)
    if households == 0 or units == 0:
        empty = np.zeros(0, np.int64)
        return Eligibility(empty, empty.copy(), excluded, units)

    cost = inst.unit_cost
    values = np.unique(np.concatenate([cost, inst.max_rent]))
    ranks = len(values) + 1
    unit_rank = np.searchsorted(values, cost)
    afford_rank = np.searchsorted(values, inst.max_rent)

    class_of = ((inst.typology * 2 + inst.accessible) * 2 + inst.shared) * 4 + inst.shared_gender
    class_keys, unit_class = np.unique(class_of, return_inverse=True)
    unit_class = unit_class.astype(np.int64)
    territories = max(len(inst.territories), 1)
    key_b = unit_class * ranks + unit_rank
    order_b = np.argsort(key_b, kind="stable")
    sorted_b = key_b[order_b]
    key_a = (unit_class * territories + inst.territory) * ranks + unit_rank
    order_a = np.argsort(key_a, kind="stable")
    sorted_a = key_a[order_a]
    class_size = np.bincount(unit_class, minlength=len(class_keys))
    class_start = np.searchsorted(sorted_b, np.arange(len(class_keys)) * ranks)

    persons = inst.persons
    single_adult = (inst.adults == 1) & (inst.children == 0)
    room = inst.typologies.index("room") if "room" in inst.typologies else -1
    strict = (inst.wish_count > 0) & (inst.wishes_mode == "strict")
    strict_wish = strict[inst.wish_household]
    wish_household = inst.wish_household[strict_wish]
    wish_territory = inst.wish_territory[strict_wish]

    ranges_a, ranges_b = [], []
    for c, key in enumerate(class_keys.tolist()):
        gender, shared = key % 4, (key // 4) % 2
        accessible, typology = (key // 8) % 2, key // 16
        size = int(class_size[c])
        ok = (persons >= inst.occupancy_min[typology]) & (persons <= inst.occupancy_max[typology])
        if shared or typology == room:
            ok &= single_adult
        excluded[~ok, 0] += size
        affordable = np.searchsorted(sorted_b, c * ranks + afford_rank, side="right")
        affordable -= class_start[c]
        excluded[ok, 1] += size - affordable[ok]
        if not accessible:
            failing = ok & inst.needs_accessible
            excluded[failing, 2] += affordable[failing]
            ok &= ~inst.needs_accessible
        if shared:
            shared_ok = _shared_ok(inst, gender)
            failing = ok & ~shared_ok
            excluded[failing, 3] += affordable[failing]
            ok &= shared_ok
        ok &= affordable > 0

        anywhere = np.flatnonzero(ok & ~strict)
        ranges_b.append((anywhere, np.full(len(anywhere), class_start[c]), affordable[anywhere]))

        selected = ok[wish_household]
        wish_h, wish_t = wish_household[selected], wish_territory[selected]
        base = (c * territories + wish_t) * ranks
        start = np.searchsorted(sorted_a, base, side="left")
        length = np.searchsorted(sorted_a, base + afford_rank[wish_h], side="right") - start
        in_wishes = np.bincount(wish_h, weights=length, minlength=households).astype(np.int64)
        wishing = ok & strict
        excluded[wishing, 4] += affordable[wishing] - in_wishes[wishing]
        kept = length > 0
        ranges_a.append((wish_h[kept], start[kept], length[kept]))

    pair_keys = []
    for ranges, order in ((ranges_a, order_a), (ranges_b, order_b)):
        h, u = _expand(*(np.concatenate(parts) for parts in zip(*ranges, strict=True)), order)
        pair_keys.append(h * units + u)
    keys = np.sort(np.concatenate(pair_keys))
    del pair_keys

    refused_keys = np.unique(inst.refused_household * units + inst.refused_unit)
    if len(refused_keys):
        position = np.searchsorted(keys, refused_keys)
        found = position < len(keys)
        found[found] = keys[position[found]] == refused_keys[found]
        excluded[:, 5] = np.bincount(refused_keys[found] // units, minlength=households)
        keep = np.ones(len(keys), dtype=bool)
        keep[position[found]] = False
        keys = keys[keep]
    return Eligibility(keys // units, keys % units, excluded, units)
