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
soon as the path's end is certain) from that household, or from that unit (the same search
with the sides' roles swapped: `_Side`, `_Search.augment`), and the prices of the nodes
the search settled move by their distance: the invariants (every reduced cost ≥ 0, every
taken pair tight, prices ≥ 0) hold after each path, so when no household nor unit is left
wrong the plan is optimal — and `certify` proves it.

Network, as in `flow.py` (node potentials `π`, reduced cost `c + π(tail) − π(head)`):
household → unit (cost −v), household → sink (cost 0: unplaced), unit → sink (cost 0,
capacity 1); `π(h) = p[h]`, `π(u) = −q[u]`, `π(sink) = 0`. A search from a household
reaches the sink through a free unit (`q = 0`) or by unplacing a placed household (cost its
price); a search from a unit, on the reversed network, reaches the source through an
unplaced household (`p = 0`) or by freeing a taken unit (cost its price). Among several
optimal plans the one returned keeps as much of yesterday's as the paths allow: not, in
general, the plan a solve from scratch would give; its value is the same.
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
    settled more than `max_settled` households and units, or if the result does not pass
    `certify`."""
    stats = stats if stats is not None else RepairStats()
    clock = time.process_time()
    value = np.asarray(value, dtype=np.int64)
    p, q = np.asarray(p, dtype=np.int64), np.asarray(q, dtype=np.int64)
    pairs = len(value)
    indptr = np.searchsorted(household, np.arange(households + 1))
    by_unit = _stable_order(unit, units)  # the pairs by unit, households in order
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
    households_side = _Side(indptr, None, unit, value, p, mate_h)
    units_side = _Side(col_ptr, by_unit, household, value, q, mate_u)
    stats.seconds["start"] = round(time.process_time() - clock, 4)
    clock = time.process_time()

    # A free unit's price down to the least that covers its pairs, then an unplaced
    # household's: still feasible, and most of them then need no path.
    to_free = _lowered(units_side, households_side)
    to_place = _lowered(households_side, units_side)
    stats.households_to_place, stats.units_to_free = len(to_place), len(to_free)
    if max_paths is not None and len(to_place) + len(to_free) > max_paths:
        raise RepairError("too many households and units to place or free")
    stats.seconds["prices"] = round(time.process_time() - clock, 4)
    clock = time.process_time()

    stats.paths = _short_paths(indptr, unit, value, p, q, mate_h, mate_u, to_place)
    search = _Search()
    for a, b, sources in (
        (households_side, units_side, to_place),
        (units_side, households_side, to_free),
    ):
        for source in sources.tolist():
            if a.mate[source] < 0 and a.price[source] > 0:
                search.augment(a, b, source)
                if max_settled is not None and search.settled > max_settled:
                    raise RepairError("the searches settle too many households and units")
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


def _lowered(a, b):
    """The nodes of side `a` alone with a positive price, each price lowered to the least
    that covers its pairs (still feasible, and most of them then need no path): those still
    above 0, which a path must pair or bring down."""
    alone = np.flatnonzero((a.mate < 0) & (a.price > 0))
    some = a.pairs(_entries(a.indptr, alone))
    a.price[alone] = _least(a.indptr, alone, a.value[some] - b.price[a.other[some]])
    return alone[a.price[alone] > 0]


class _Side:
    """The pairs seen from one side (households, or units), compressed by node: the pairs
    of node `i` are the pairs `order[indptr[i]:indptr[i + 1]]` (`order` None: the pairs are
    in this side's order); `other` gives each pair's node on the other side, `value` its
    value. `price` and `mate` (-1: alone) are shared with `repair` (changed in place)."""

    def __init__(self, indptr, order, other, value, price, mate):
        self.indptr, self.order, self.other, self.value = indptr, order, other, value
        self.price, self.mate = price, mate
        self.dist = np.full(len(price), INF, dtype=np.int64)

    def pairs(self, entries):
        """The pairs at these entries (a slice or positions) of the compressed layout."""
        return entries if self.order is None else self.order[entries]


class _Search:
    """The shortest augmenting paths of `repair`. A search from a node of one side (an
    unplaced household, or a free unit) is the same search whichever the side: `a` is the
    side of its start, `b` the other."""

    def __init__(self):
        self.paths = self.settled = 0

    def augment(self, a, b, source):
        """A node of `a` alone with a positive price: paired, or its price down to 0."""
        price_a, price_b, mate_a, mate_b, dist = a.price, b.price, a.mate, b.mate, a.dist
        # best: (distance, node of `a` at the end, node of `b` it takes or -1 for alone)
        best = (int(price_a[source]), source, -1)
        dist[source] = 0
        touched, settled = [source], []
        via = {}  # node of `a` reached → the node of `a` before it
        heap = [(0, source)]
        while heap:
            d, x = heapq.heappop(heap)
            if d >= best[0]:
                break
            if d > dist[x]:
                continue
            settled.append(x)
            lo, hi = a.indptr[x], a.indptr[x + 1]
            some = a.pairs(slice(lo, hi))
            others = a.other[some]
            reach = (d + int(price_a[x])) + price_b[others] - a.value[some]
            if reach.min(initial=d) < d:
                raise RepairError("a pair is priced below its value")
            holder = mate_b[others]
            alone = holder < 0
            through_alone = np.where(alone, reach, INF)
            k = through_alone.argmin() if hi > lo else 0
            if hi > lo and through_alone[k] < best[0]:
                best = (int(reach[k]), x, int(others[k]))
            # A node of `b` that is paired (not with `x`): its mate, reached shorter.
            better = np.flatnonzero(
                ~alone & (holder != x) & (reach < np.minimum(dist[holder], best[0]))
            )
            for nxt, nd in zip(holder[better].tolist(), reach[better].tolist(), strict=True):
                if dist[nxt] == INF:
                    touched.append(nxt)
                dist[nxt] = nd
                via[nxt] = x
                heapq.heappush(heap, (nd, nxt))
            if x != source and d + price_a[x] < best[0]:  # leave a paired node alone
                best = (int(d + price_a[x]), x, -1)
        total, end, take = best
        for x in settled:
            drop = total - int(dist[x])
            price_a[x] -= drop
            if x != source:
                price_b[mate_a[x]] += drop
        # Along the path, each node of `a` takes the mate of the next.
        x = end
        for _ in range(len(settled) + 1):
            previous = int(mate_a[x])
            mate_a[x] = take
            if take >= 0:
                mate_b[take] = x
            if x == source:
                break
            take, x = previous, via[x]
        else:
            raise RepairError("an augmenting path does not lead back to its start")
        dist[touched] = INF
        self.paths += 1
        self.settled += len(settled)
