"""Today's optimal plan repaired from yesterday's, instead of solved again from scratch.

The plan of maximum value is a maximum-weight matching: households `h` and units `u`, each
at most once, eligible pairs of value `v(h, u)` (pairs of negative value are never taken).
Its linear-programming dual gives each household a price `p[h] ≥ 0` and each unit a price
`q[u] ≥ 0` with `p[h] + q[u] ≥ v(h, u)` on every pair. A plan is optimal if and only if
some prices prove it (complementary slackness): `p[h] + q[u] = v(h, u)` on every pair it
takes, `p[h] = 0` for a household it leaves unplaced, `q[u] = 0` for a unit it leaves
free. `certify` checks exactly that, over every pair, with numpy: the proof of optimality
of every plan this module returns.

From one day to the next, most of the proof still holds. `repair` keeps yesterday's prices
and the pairs of yesterday's plan that are still eligible and still tight; a household or
unit that is new gets the least price that covers its pairs (a unit `max(0, v − p)` over the
households already priced, then a household `max(0, v − q)`), a household whose pairs are
no longer covered is priced up the same way (and loses its pair if that pair is no longer
tight). What is left wrong is
local: a household unplaced with a positive price (its unit gone, or new and wanted), a unit
free with a positive price (its household gone). Each is fixed by one shortest augmenting
path (Dijkstra on reduced costs `p + q − v ≥ 0`, the Hungarian method's step, stopped as
soon as the path's end is certain) from that household, or from that unit backwards, and
the prices of the nodes the search settled move by their distance: the invariants (every
reduced cost ≥ 0, every taken pair tight, prices ≥ 0) hold after each path, so when no
household nor unit is left wrong the plan is optimal — and `certify` proves it.

Network, as in `flow.py` (node potentials `π`, reduced cost `c + π(tail) − π(head)`):
household → unit (cost −v), household → sink (cost 0: unplaced), unit → sink (cost 0,
capacity 1); `π(h) = p[h]`, `π(u) = −q[u]`, `π(sink) = 0`. A search from a household
reaches the sink through a free unit (`q = 0`) or by unplacing a placed household (cost its
price); a search backwards from a unit reaches it through an unplaced household (`p = 0`)
or by freeing a taken unit (cost its price). Among several optimal plans the one returned
keeps as much of yesterday's as the paths allow: not, in general, the plan a solve from
scratch would give; its value is the same.
"""

import heapq
import time
from dataclasses import dataclass, field

import numpy as np

INF = np.iinfo(np.int64).max


class RepairError(RuntimeError):
    """The repaired plan failed its proof of optimality (a bug: the caller solves from scratch)."""


@dataclass
class RepairStats:
    """What the last `repair` did, for benchmarks (seconds: CPU time of this process)."""

    kept_pairs: int = 0
    households_to_place: int = 0  # unplaced with a positive price at the start
    units_to_free: int = 0  # free with a positive price at the start
    paths: int = 0
    settled: int = 0  # nodes the searches settled, all paths together
    seconds: dict = field(default_factory=dict)


def certify(household, unit, value, chosen, p, q):
    """Whether the prices `p` (per household) and `q` (per unit) prove that the pairs
    `chosen` (indices into the pairs) are a plan of maximum value: a matching, prices ≥ 0,
    every pair covered, every chosen pair tight, every price of an unplaced household or a
    free unit 0."""
    h, u = household[chosen], unit[chosen]
    if len(np.unique(h)) != len(h) or len(np.unique(u)) != len(u):
        return False
    if (p < 0).any() or (q < 0).any():
        return False
    if np.any(p[household] + q[unit] < value):
        return False
    if np.any(p[h] + q[u] != value[chosen]):
        return False
    placed = np.zeros(len(p), dtype=bool)
    placed[h] = True
    taken = np.zeros(len(q), dtype=bool)
    taken[u] = True
    return not (p[~placed].any() or q[~taken].any())


def repair(
    household,
    unit,
    value,
    households,
    units,
    start,
    p,
    q,
    stats=None,
    max_paths=None,
    max_settled=None,
):
    """(indices of the pairs of an optimal plan, household prices, unit prices).

    `household`, `unit`, `value`: today's eligible pairs, sorted by (household, unit), integer
    values. `start[h]`: the unit yesterday's plan gave household `h` (-1 for none or a new
    household). `p`, `q`: yesterday's prices of today's households and units (-1 for a new
    one). Raises `RepairError` if more than `max_paths` households and units are left to
    place or free (a solve from scratch is then the faster), or once the searches have
    settled more than `max_settled` households, or if the result does not pass `certify`."""
    stats = stats if stats is not None else RepairStats()
    clock = time.process_time()
    value = np.asarray(value, dtype=np.int64)
    p, q = np.asarray(p, dtype=np.int64), np.asarray(q, dtype=np.int64)
    pairs = len(value)
    indptr = np.searchsorted(household, np.arange(households + 1))
    by_unit = _stable_order(unit, units)  # the pairs by unit: pair by_unit[col_ptr[u] + k]
    col_ptr = np.r_[0, np.cumsum(np.bincount(unit, minlength=units))]

    # A new unit at the least price covering its pairs with the households already priced,
    # then every household priced up where its pairs are not covered any more.
    new_unit = np.flatnonzero(q < 0)
    q = np.maximum(q, 0)
    if len(new_unit):
        some = by_unit[_entries(col_ptr, new_unit)]
        known = p[household[some]] >= 0
        surplus = np.where(known, value[some] - p[household[some]], 0)
        q[new_unit] = _least(col_ptr, new_unit, surplus)
    p = np.maximum(np.maximum(p, 0), _least(indptr, None, value - q[unit]))

    # Yesterday's pairs still eligible and tight.
    mate_h = np.full(households, -1, dtype=np.int64)
    mate_u = np.full(units, -1, dtype=np.int64)
    candidates = np.flatnonzero(start >= 0)
    keys = household * units + unit
    if len(candidates) and pairs:
        wanted = candidates * units + start[candidates]
        found = np.minimum(np.searchsorted(keys, wanted), pairs - 1)
        ok = keys[found] == wanted
        ok &= p[candidates] + q[start[candidates]] == value[found]
        ok &= value[found] >= 0
        kept_h, kept_u = candidates[ok], start[candidates[ok]]
        first = np.unique(kept_u, return_index=True)[1]  # a unit once (a corrupt start)
        kept_h, kept_u = kept_h[first], kept_u[first]
        mate_h[kept_h], mate_u[kept_u] = kept_u, kept_h
        stats.kept_pairs = len(kept_h)
    stats.seconds["start"] = round(time.process_time() - clock, 4)
    clock = time.process_time()

    # A free unit's price down to the least that covers its pairs, then an unplaced
    # household's: still feasible, and most of them then need no path.
    free = np.flatnonzero((mate_u < 0) & (q > 0))
    some = by_unit[_entries(col_ptr, free)]
    q[free] = _least(col_ptr, free, value[some] - p[household[some]])
    unplaced = np.flatnonzero((mate_h < 0) & (p > 0))
    some = _entries(indptr, unplaced)
    p[unplaced] = _least(indptr, unplaced, value[some] - q[unit[some]])
    to_place = unplaced[p[unplaced] > 0]
    to_free = free[q[free] > 0]
    stats.households_to_place, stats.units_to_free = len(to_place), len(to_free)
    if max_paths is not None and len(to_place) + len(to_free) > max_paths:
        raise RepairError("too many households and units to place or free")
    stats.seconds["prices"] = round(time.process_time() - clock, 4)
    clock = time.process_time()

    stats.paths = _short_paths(indptr, unit, value, p, q, mate_h, mate_u, to_place)
    search = _Search(indptr, household, unit, value, col_ptr, by_unit, p, q, mate_h, mate_u)
    for h in to_place.tolist():
        if mate_h[h] < 0 and p[h] > 0:
            search.from_household(h)
            if max_settled is not None and search.settled > max_settled:
                raise RepairError("the searches settle too many households")
    for u in to_free.tolist():
        if mate_u[u] < 0 and q[u] > 0:
            search.from_unit(u)
            if max_settled is not None and search.settled > max_settled:
                raise RepairError("the searches settle too many households")
    stats.paths, stats.settled = stats.paths + search.paths, search.settled
    stats.seconds["paths"] = round(time.process_time() - clock, 4)
    clock = time.process_time()

    placed = np.flatnonzero(mate_h >= 0)
    chosen = np.searchsorted(keys, placed * units + mate_h[placed])
    if not certify(household, unit, value, chosen, p, q):
        raise RepairError("the repaired plan is not proved optimal")
    stats.seconds["certify"] = round(time.process_time() - clock, 4)
    return chosen, p, q


def _short_paths(indptr, unit, value, p, q, mate_h, mate_u, to_place):
    """The searches from `to_place` that settle their household alone, done at once: those
    whose cheapest way out (a free unit, or its price down to 0) costs no more than reaching
    any taken unit. Each takes that free unit, its price lowered by the pair's reduced cost,
    or stays unplaced at price 0 — what its search would do; a free unit wanted by several
    goes to the first, the others search. Returns how many paths were done."""
    if len(to_place) == 0:
        return 0
    lengths = indptr[to_place + 1] - indptr[to_place]
    starts = np.cumsum(lengths) - lengths
    some = _entries(indptr, to_place)
    owner = np.repeat(np.arange(len(to_place)), lengths)
    units_ = unit[some]
    reach = p[to_place][owner] + q[units_] - value[some]
    free = mate_u[units_] < 0
    to_free_unit = np.minimum.reduceat(np.where(free, reach, INF), starts)
    to_taken = np.minimum.reduceat(np.where(free, INF, reach), starts)
    price = p[to_place]
    best = np.minimum(price, to_free_unit)
    alone = to_taken >= best
    take = alone & (to_free_unit < price)
    # Each household that takes one: a free unit at its least reduced cost, the first still
    # free by index, in rounds (households wanting the same unit: the first gets it).
    offer = np.flatnonzero(free & take[owner] & (reach == to_free_unit[owner]))
    done = 0
    while len(offer):
        first = offer[np.unique(owner[offer], return_index=True)[1]]
        first = first[np.unique(units_[first], return_index=True)[1]]
        taker = to_place[owner[first]]
        p[taker] -= reach[first]
        mate_h[taker], mate_u[units_[first]] = units_[first], taker
        done += len(first)
        offer = offer[(mate_h[to_place[owner[offer]]] < 0) & (mate_u[units_[offer]] < 0)]
    left = to_place[alone & ~take]
    p[left] = 0
    return done + len(left)


def _stable_order(keys, size):
    """`np.argsort(keys, kind="stable")` for integers in `[0, size)`, by numpy's radix sort
    on 16-bit digits (several times faster than its merge sort on millions of pairs)."""
    if size <= 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    high = (keys[order] >> 16).astype(np.uint32 if size > 1 << 32 else np.uint16)
    return order[np.argsort(high, kind="stable")]


def _entries(indptr, rows):
    """Positions of the entries of `rows` (sorted) in a compressed sparse layout."""
    starts, lengths = indptr[rows], indptr[rows + 1] - indptr[rows]
    offsets = np.cumsum(lengths) - lengths
    return np.arange(int(lengths.sum())) + np.repeat(starts - offsets, lengths)


def _least(indptr, rows, surplus):
    """`max(0, largest surplus of the row)` for each of `rows` (all rows when None) of a
    compressed sparse layout, `surplus` given at the rows' entries, row after row."""
    if rows is None:
        rows = np.arange(len(indptr) - 1)
    lengths = indptr[rows + 1] - indptr[rows]
    least = np.zeros(len(rows), dtype=np.int64)
    filled = lengths > 0
    if filled.any():
        starts = (np.cumsum(lengths) - lengths)[filled]
        least[filled] = np.maximum(np.maximum.reduceat(surplus, starts), 0)
    return least


class _Search:
    """The shortest augmenting paths of `repair`, on the arrays it shares (changed in place)."""

    def __init__(self, indptr, household, unit, value, col_ptr, by_unit, p, q, mh, mu):
        self.indptr, self.household, self.unit, self.value = indptr, household, unit, value
        self.col_ptr, self.by_unit = col_ptr, by_unit
        self.p, self.q, self.mate_h, self.mate_u = p, q, mh, mu
        self.dist = np.full(len(p), INF, dtype=np.int64)
        self.paths = self.settled = 0

    def from_household(self, source):
        """An unplaced household with a positive price: placed, or its price down to 0."""
        p, q, mate_h, mate_u, dist = self.p, self.q, self.mate_h, self.mate_u, self.dist
        indptr, unit, value = self.indptr, self.unit, self.value
        # best: (distance, household at the end, unit it takes or -1 for unplaced)
        best = (int(p[source]), source, -1)
        dist[source] = 0
        touched, settled = [source], []
        via = {}  # household reached → (household before it)
        heap = [(0, source)]
        while heap:
            d, h = heapq.heappop(heap)
            if d >= best[0]:
                break
            if d > dist[h]:
                continue
            settled.append(h)
            a, b = indptr[h], indptr[h + 1]
            units_h = unit[a:b]
            reach = (d + int(p[h])) + q[units_h] - value[a:b]
            if reach.min() < d:
                raise RepairError("a pair is priced below its value")
            holder = mate_u[units_h]
            free = holder < 0
            through_free = np.where(free, reach, INF)
            k = through_free.argmin()
            if through_free[k] < best[0]:
                best = (int(reach[k]), h, int(units_h[k]))
            # A taken unit (not its own): its holder, reached shorter than before.
            better = np.flatnonzero(
                ~free & (holder != h) & (reach < np.minimum(dist[holder], best[0]))
            )
            for nxt, nd in zip(holder[better].tolist(), reach[better].tolist(), strict=True):
                if dist[nxt] == INF:
                    touched.append(nxt)
                dist[nxt] = nd
                via[nxt] = h
                heapq.heappush(heap, (nd, nxt))
            if h != source and d + p[h] < best[0]:  # unplace a placed household
                best = (int(d + p[h]), h, -1)
        total, end, take = best
        for h in settled:
            drop = total - int(dist[h])
            p[h] -= drop
            if h != source:
                q[mate_h[h]] += drop
        # Along the path, each household takes the unit of the next.
        h = end
        for _ in range(len(settled) + 1):
            previous = int(mate_h[h])
            mate_h[h] = take
            if take >= 0:
                mate_u[take] = h
            if h == source:
                break
            take, h = previous, via[h]
        else:
            raise RepairError("an augmenting path does not lead back to its start")
        dist[touched] = INF
        self.paths += 1
        self.settled += len(settled)

    def from_unit(self, source):
        """A free unit with a positive price: taken, or its price down to 0."""
        p, q, mate_h, mate_u, dist = self.p, self.q, self.mate_h, self.mate_u, self.dist
        col_ptr, by_unit, household, value = self.col_ptr, self.by_unit, self.household, self.value
        # Searched over households: a household reached at d lets go its unit at d.
        # best: (distance, household that takes the last unit or -1, the unit left free)
        best = (int(q[source]), -1, source)
        touched, settled = [], []
        via = {}  # household reached → the unit it takes
        heap = [(0, -1, source)]  # (distance, household, unit to expand)
        while heap:
            d, h, u = heapq.heappop(heap)
            if d >= best[0]:
                break
            if h >= 0:
                if d > dist[h]:
                    continue
                settled.append(h)
                if d + q[u] < best[0]:  # free the unit this household lets go
                    best = (int(d + q[u]), h, u)
            column = by_unit[col_ptr[u] : col_ptr[u + 1]]
            households_u = household[column]
            reach = (d + int(q[u])) + p[households_u] - value[column]
            if reach.min(initial=d) < d:
                raise RepairError("a pair is priced below its value")
            mates = mate_h[households_u]
            unplaced = mates < 0
            through_unplaced = np.where(unplaced, reach, INF)
            k = through_unplaced.argmin() if len(column) else 0
            if len(column) and through_unplaced[k] < best[0]:
                best = (int(reach[k]), int(households_u[k]), -1)
                via[int(households_u[k])] = u
            better = np.flatnonzero(
                ~unplaced & (mates != u) & (reach < np.minimum(dist[households_u], best[0]))
            )
            for nxt, nd in zip(households_u[better].tolist(), reach[better].tolist(), strict=True):
                if dist[nxt] == INF:
                    touched.append(nxt)
                dist[nxt] = nd
                via[nxt] = u
                heapq.heappush(heap, (nd, nxt, int(mate_h[nxt])))
        total, end, freed = best
        q[source] -= total
        for h in settled:
            rise = total - int(dist[h])
            p[h] += rise
            q[mate_h[h]] -= rise
        # Along the path back to the source, each household takes the unit it was reached by.
        h = end
        if h >= 0 and freed >= 0:  # `end` lets its unit go free
            mate_u[freed] = -1
        for _ in range(len(settled) + 1):
            if h < 0:
                break
            u = via[h]
            previous = int(mate_u[u])
            mate_h[h], mate_u[u] = u, h
            if u == source:
                break
            h = previous
        else:
            raise RepairError("an augmenting path does not lead back to its start")
        dist[touched] = INF
        self.paths += 1
        self.settled += len(settled)
