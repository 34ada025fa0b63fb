"""Fairness report and plan by territory, given with every result.

A household is described by its own composition — `adults + children` persons, its number
of adults, the sex of its head — and its own priority points; never by one of its members
alone. For each group (`by_size`, `by_adults`, `by_head_sex`, `by_priority_band`):

- `households`: households of the instance in the group; `placed`: those the plan places;
- `placement_rate`: placed / households (null for an empty group);
- `mean_wish_rank`: mean rank (1 = first wish) of the placed households' territory among
  their wishes, over the placed households with wishes placed in one of them (null if none);
  `placed_outside_wishes`: placed households whose territory is not among their wishes
  (possible in `preferred` mode); `placed_without_wishes`: placed households with no wish;
- `mean_score`: mean score of the placed households' pairs (null if none placed).

Groups: size `1` … `5`, `6+`; adults `1`, `2`, `3+`; head sex `F`, `M`, `X`, `unknown`;
priority band relative to `P`, the largest `priority_points` of the instance: `none` (0
points), `low` (below P/3), `medium` (P/3 up to 2P/3), `high` (2P/3 and above). Every group
is listed, empty or not.

`territories` summarises the plan by territory (every territory with a unit or a wish):
`units`, `placements`, `vacant_after` (units left without a household), `wished_by`
(households that name it), `first_wish_of` (households whose first wish it is),
`mean_wish_rank` and `mean_score` of the placements there, and the territory's
`employment_score` (0 when the instance gives none).
"""

import numpy as np

SIZE_GROUPS = ("1", "2", "3", "4", "5", "6+")
ADULT_GROUPS = ("1", "2", "3+")
SEX_GROUPS = ("unknown", "F", "M", "X")  # instance.HEAD_SEXES codes, null as "unknown"
BAND_GROUPS = ("none", "low", "medium", "high")


def _mean(values, digits):
    return round(float(np.mean(values)), digits) if len(values) else None


def _groups(labels, names, placed, score_of, rank_of):
    """Statistics per group; `labels[h]` indexes `names`."""
    table = {}
    for g, name in enumerate(names):
        members = labels == g
        count = int(members.sum())
        here = members & placed
        ranks = rank_of[here]
        table[name] = {
            "households": count,
            "placed": int(here.sum()),
            "placement_rate": round(int(here.sum()) / count, 4) if count else None,
            "mean_wish_rank": _mean(ranks[ranks > 0], 2),
            "placed_outside_wishes": int((ranks == 0).sum()),
            "placed_without_wishes": int((ranks == -1).sum()),
            "mean_score": _mean(score_of[here], 1),
        }
    return table


def priority_bands(points):
    top = points.max() if len(points) else 0.0
    band = np.zeros(len(points), dtype=np.int64)
    if top > 0:
        band[points > 0] = 1
        band[points * 3 >= top] = 2
        band[points * 3 >= 2 * top] = 3
    return band


def fairness_report(inst, household, unit, score, rank):
    """The report for the placed pairs (`rank`: 0-based wish rank, -1 outside the wishes)."""
    count = inst.household_count
    placed = np.zeros(count, dtype=bool)
    placed[household] = True
    score_of = np.zeros(count, dtype=np.int64)
    score_of[household] = score
    # 1-based rank; 0: placed outside its wishes; -1: household without wishes.
    rank_of = np.full(count, -1, dtype=np.int64)
    rank_of[household] = rank + 1
    rank_of[inst.wish_count == 0] = -1

    sizes = np.minimum(inst.persons, 6) - 1
    adults = np.clip(inst.adults, 1, 3) - 1
    placed_count = int(placed.sum())
    return {
        "households": count,
        "placed": placed_count,
        "placement_rate": round(placed_count / count, 4) if count else None,
        "mean_wish_rank": _mean(rank_of[placed & (rank_of > 0)], 2),
        "mean_score": _mean(score, 1),
        "by_size": _groups(sizes, SIZE_GROUPS, placed, score_of, rank_of),
        "by_adults": _groups(adults, ADULT_GROUPS, placed, score_of, rank_of),
        "by_head_sex": _groups(inst.head_sex, SEX_GROUPS, placed, score_of, rank_of),
        "by_priority_band": _groups(
            priority_bands(inst.priority_points), BAND_GROUPS, placed, score_of, rank_of
        ),
    }


def territory_report(inst, household, unit, score, rank):
    """The plan by territory, see the module docstring."""
    size = len(inst.territories)
    units = np.bincount(inst.territory, minlength=size)
    placed_territory = inst.territory[unit]
    placements = np.bincount(placed_territory, minlength=size)
    wished_by = np.bincount(inst.wish_territory, minlength=size)
    first = inst.wish_rank == 0
    first_wish_of = np.bincount(inst.wish_territory[first], minlength=size)
    report = {}
    for t, code in enumerate(inst.territories):
        if units[t] == 0 and wished_by[t] == 0:
            continue
        here = placed_territory == t
        ranks = rank[here]
        report[code] = {
            "units": int(units[t]),
            "placements": int(placements[t]),
            "vacant_after": int(units[t] - placements[t]),
            "wished_by": int(wished_by[t]),
            "first_wish_of": int(first_wish_of[t]),
            "mean_wish_rank": _mean(ranks[ranks >= 0] + 1, 2),
            "mean_score": _mean(score[here], 1),
            "employment_score": float(inst.employment_score[t]),
        }
    return report
