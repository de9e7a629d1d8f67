"""The assignment machinery behind ``husly.matching.batch``: pruned sparse graph, exact solve,
optimality certificate, and the exact spread-rule phase (:func:`solve_spread`: LP by column
generation, integer Lagrangian certificate, branch and bound). No policy lives here; see
``batch`` and ``docs/matching.md``.

Vocabulary: *rows* are vacant dwellings (array positions), *cols* are households (positions).
A pair's *solver weight* is priority × fit in whole steps of the policy grid, plus the top-band
bonus (and, with ``jitter``, an integer-scaled seeded tie-break below one step per proposal).

Pruning with a certificate. Each dwelling keeps every top-band pair and its other pairs down to
its ``k``-th best (ties included), so the kept list is a prefix of its list in weight order;
``bound`` is the largest weight any dropped pair can have. After an exact solve of the kept graph a
dwelling is *certified* when its list is complete, or holds a household left unmatched whose pair
is worth at least ``bound`` (always so without building prices), or its dual price (the greatest
dual value consistent with the solution, by a Bellman-Ford pass) is at least ``bound``. If every
dwelling is certified, the kept graph's dual solution is feasible for every dropped pair (an
unmatched household has dual 0), so by LP duality the solution is optimal for the full graph.
Otherwise the failing dwellings get longer lists and the solve repeats.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import LinearConstraint, linear_sum_assignment, milp
from scipy.optimize._highspy import _core as highspy  # HiGHS as SciPy ships it (see ADR 0006)
from scipy.sparse.csgraph import (
    breadth_first_order,
    connected_components,
    min_weight_full_bipartite_matching,
)

from husly.matching.constraints import Prepared

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

_NEG = -np.inf
#: Weights, prices and bounds are whole numbers of steps: half a step separates them safely.
_HALF_STEP = 0.5
#: An LP value this close to 0 or 1 counts as whole.
_WHOLE = 1e-6
_EMPTY_I: IntArray = np.zeros(0, dtype=np.int64)


@dataclass
class Graph:
    """Kept pairs plus, per dwelling, whether the list is complete and the dropped-pair bound."""

    rows: IntArray
    cols: IntArray
    weight: FloatArray
    complete: BoolArray
    bound: FloatArray
    k: IntArray

    def without(self, drop: BoolArray) -> Graph:
        keep = ~drop
        return Graph(
            self.rows[keep], self.cols[keep], self.weight[keep], self.complete, self.bound, self.k
        )

    def objective(self, match: IntArray) -> float:
        return float(self.weight[match[self.rows] == self.cols].sum())


@dataclass
class _Part:
    rows: IntArray
    cols: IntArray
    weight: FloatArray
    feasible: int
    complete: BoolArray
    bound: FloatArray


class PairBuilder:
    """Builds kept pairs block by block, vectorised with NumPy. A block is one group of dwellings
    with the same district and number of rooms, against the households that accept that district
    and whose occupancy norm allows that many rooms; the remaining constraints (category,
    wheelchair, floor and lift, spread rule) and the fit are computed per cell."""

    def __init__(self, prep: Prepared, *, top_band_first: bool, jitter: bool = False) -> None:
        self.prep = prep
        h, d = prep.inp.households, prep.inp.dwellings
        n_districts = len(prep.inp.vocabulary.districts)
        # households in seeded order, so that every kept list is in that order too (the solver
        # breaks ties between equal pairs by their order)
        by_rank = np.argsort(prep.household_rank)
        self.by_district = [
            by_rank[((h.allowed_districts[by_rank] >> np.int64(t)) & 1) == 1]
            for t in range(n_districts)
        ]
        n_rows = len(d)
        self.resolution = prep.inp.matching_policy.weight_resolution
        # Weights are whole numbers of ``resolution`` steps (stored as float64, exact below 2**53),
        # so objective values, bounds and gaps are exact integers.
        top = float(np.round(prep.scores.total.max() / self.resolution)) if len(h) else 0.0
        # lexicographic top band: the bonus exceeds any possible total of weighted fit
        self.bonus = (n_rows * top + 1.0) if top_band_first else 0.0
        # Seeded jitter, integer-scaled: weight × scale + t with 0 <= t < span and
        # span × (n_rows + 1) <= scale, so the jitter of a whole proposal is below one step of
        # weight and can only choose among proposals of equal weight (lexicographic, exact).
        biggest = max(float(n_rows) * (self.bonus + top + 1.0), 1.0)
        scale = 2.0 ** max(int(np.floor(np.log2(2.0**52 / biggest))), 0) if jitter else 1.0
        self.scale = scale
        self.tie_span = float(np.floor(scale / (n_rows + 1))) if jitter else 0.0
        self.barred = np.zeros(n_rows, dtype=np.bool_)  # closed to heavy-needs households
        self.building_full = prep.building_room[prep.dwelling_building] <= 0
        self.floor_levels = np.unique(h.max_floor_without_lift)

    def _group_columns(self, t: int, rooms: int) -> IntArray:
        p = self.prep
        cols = self.by_district[t]
        out: IntArray = cols[(p.min_rooms[cols] <= rooms) & (p.max_rooms[cols] >= rooms)]
        return out

    def _signatures(self, group: IntArray) -> tuple[IntArray, IntArray]:
        """Rows of one (district, rooms) group with equal signature are interchangeable: same
        category, wheelchair access, reachable floor class, and open or closed to heavy needs."""
        p = self.prep
        d = p.inp.dwellings
        floor_class = np.where(
            d.has_lift[group], -1, np.searchsorted(self.floor_levels, d.floor[group], side="left")
        )
        closed = self.building_full[group] | self.barred[group]
        key = np.stack(
            [d.category[group], d.wheelchair_accessible[group], floor_class, closed], axis=1
        ).astype(np.int64)
        _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        return np.asarray(first, dtype=np.int64), np.asarray(inverse, dtype=np.int64).ravel()

    def _block(self, rows: IntArray, cols: IntArray, t: int) -> tuple[BoolArray, FloatArray]:
        """Feasibility and weight (no tie-break) of dwellings ``rows`` (one group) × ``cols``.
        Must agree with ``Prepared.pair_reasons`` and ``Prepared.pair_fit`` (tested)."""
        p = self.prep
        h, d = p.inp.households, p.inp.dwellings
        fw = p.inp.matching_policy.fit
        wc = h.needs_wheelchair[cols]
        acc = d.wheelchair_accessible[rows][:, None]
        ok = ((h.categories[cols][None, :] >> d.category[rows][:, None]) & 1) == 1
        ok &= acc | ~wc[None, :]
        reachable = d.floor[rows][:, None] <= h.max_floor_without_lift[cols][None, :]
        ok &= reachable | d.has_lift[rows][:, None]
        closed = (self.building_full[rows] | self.barred[rows])[:, None]
        ok &= ~(closed & h.heavy_needs[cols][None, :])
        pref = h.preferred_district[cols]
        rooms = int(d.rooms[rows[0]])
        pen = fw.extra_room_penalty * np.maximum(rooms - p.min_rooms[cols], 0) + np.where(
            (pref >= 0) & (pref != t), fw.outside_preferred_district_penalty, 0.0
        )
        points = p.scores.total[cols]
        bonus = np.where(p.top_band[cols], self.bonus, 0.0) if self.bonus else 0.0
        res = self.resolution
        plain = np.round(points * np.maximum(fw.minimum_fit, 1.0 - pen) / res) + bonus
        pen_acc = pen + np.where(wc, 0.0, fw.unneeded_accessible_penalty)
        accessible = np.round(points * np.maximum(fw.minimum_fit, 1.0 - pen_acc) / res)
        weight = np.where(acc, (accessible + bonus)[None, :], plain[None, :])
        return ok, np.where(ok, weight, _NEG)

    def _group(self, group: IntArray, t: int, n_rooms: int, kk: int) -> _Part | None:
        """Kept pairs of one group of dwellings (same district, rooms and ``k``)."""
        cols = self._group_columns(t, n_rooms)
        if cols.size == 0:
            return None
        first, inverse = self._signatures(group)
        ok, s = self._block(group[first], cols, t)
        feasible = int(ok.sum(axis=1)[inverse].sum())
        top = self.prep.top_band[cols] if self.bonus else np.zeros(cols.size, np.bool_)
        rest = s[:, ~top]
        full = (rest > _NEG).sum(axis=1) <= kk
        keep = ok
        bound = np.full(first.size, _NEG)
        if not full.all():
            kth = [kk - 1, kk] if kk < rest.shape[1] else [kk - 1]
            part = -np.partition(-rest, kth, axis=1)  # those positions in descending order
            tau = np.where(full, _NEG, part[:, kk - 1])
            keep = ok & ((s >= tau[:, None]) | top[None, :])
            if kk < rest.shape[1]:  # the (k+1)-th best bounds every dropped pair
                bound = np.where(full, _NEG, part[:, kk])
        counts = keep.sum(axis=1)
        rr, cc = np.nonzero(keep)
        # expand: each dwelling of the group gets its signature's kept pairs
        n_each = counts[inverse]
        owner = np.repeat(np.arange(group.size), n_each)
        offset = np.arange(owner.size) - np.repeat(np.cumsum(n_each) - n_each, n_each)
        src = (np.cumsum(counts) - counts)[inverse][owner] + offset
        return _Part(
            rows=group[owner],
            cols=cols[cc[src]],
            weight=s[rr[src], cc[src]],
            feasible=feasible,
            complete=full[inverse],
            bound=bound[inverse],
        )

    def build(self, rows: IntArray, k: IntArray) -> tuple[Graph, int]:
        """Kept pairs for dwellings ``rows``: every top-band pair (its bonus puts it ahead of any
        other pair) and the other pairs down to the ``k[j]``-th best (ties included), so each kept
        list is a prefix of the dwelling's list in weight order. Also counts feasible pairs.
        Identical dwellings of a group (same signature, see :meth:`_signatures`) share one
        computed row."""
        d = self.prep.inp.dwellings
        complete = np.zeros(len(d), dtype=np.bool_)
        bound = np.full(len(d), _NEG)
        parts: list[_Part] = []
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return Graph(_EMPTY_I, _EMPTY_I, np.zeros(0), complete, bound, k.copy()), 0
        keys = np.stack([d.district[rows], d.rooms[rows], k[rows]], axis=1)
        order = np.lexsort((rows, keys[:, 2], keys[:, 1], keys[:, 0]))
        rows, keys = rows[order], keys[order]
        cuts = np.flatnonzero(np.any(keys[1:] != keys[:-1], axis=1)) + 1
        for group, key in zip(np.split(rows, cuts), keys[np.r_[0, cuts]], strict=True):
            part = self._group(group, int(key[0]), int(key[1]), int(key[2]))
            complete[group] = True if part is None else part.complete
            if part is not None:
                bound[group] = part.bound
                parts.append(part)
        r = np.concatenate([x.rows for x in parts]) if parts else np.zeros(0, np.int64)
        c = np.concatenate([x.cols for x in parts]) if parts else np.zeros(0, np.int64)
        weight = np.concatenate([x.weight for x in parts]) if parts else np.zeros(0)
        if self.tie_span:
            ties = np.floor(self.tie_span * self.prep.jitter(c, r))
            weight = weight * self.scale + ties
            sel = np.isfinite(bound)
            bound[sel] = bound[sel] * self.scale + self.tie_span
        feasible = sum(x.feasible for x in parts)
        return Graph(r, c, weight, complete, bound, k.copy()), feasible

    def heavy_barred_pairs(self, g: Graph) -> BoolArray:
        return self.barred[g.rows] & self.prep.inp.households.heavy_needs[g.cols]


# --- exact assignment on a (pruned) sparse graph -------------------------------------------------


def _compress(keys: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """Like ``np.unique(keys, return_inverse=True)`` for keys in ``range(size)``, in O(n)."""
    used = np.zeros(size, dtype=np.bool_)
    used[keys] = True
    present = np.flatnonzero(used)
    index = np.cumsum(used) - 1
    return present, index[keys]


def _solve_block(
    ri: IntArray, ci: IntArray, w: FloatArray, *, n_r: int, n_c: int, method: str, vacant: bool
) -> tuple[IntArray, IntArray]:
    """One component: local row and column indices of the chosen pairs. With ``vacant`` each row
    gets a private "leave vacant" column; without, every row must be matched (``ValueError`` from
    SciPy when that is impossible)."""
    if method == "components":
        width = n_c + (n_r if vacant else 0)
        dense = np.full((n_r, width), -1.0 if vacant else -np.inf)
        dense[:, n_c:] = 0.0
        dense[ri, ci] = w
        rr, cc = linear_sum_assignment(dense, maximize=True)
    else:
        big = float(w.max()) + 1.0
        if vacant:
            data = np.concatenate([big - w, np.full(n_r, big)])
            r_idx = np.concatenate([ri, np.arange(n_r)])
            c_idx = np.concatenate([ci, n_c + np.arange(n_r)])
        else:
            data, r_idx, c_idx = big - w, ri, ci
        cost = sp.csr_matrix((data, (r_idx, c_idx)), shape=(n_r, n_c + (n_r if vacant else 0)))
        rr, cc = min_weight_full_bipartite_matching(cost)
    real = cc < n_c
    return rr[real], cc[real]


def assign(
    g: Graph, prep: Prepared, method: str = "sparse", *, duals: bool = True
) -> tuple[IntArray, FloatArray | None]:
    """Maximum-weight matching (dwellings may stay vacant) of the kept graph, exact.

    The graph is split into connected components; each is solved with LAPJVsp
    (``min_weight_full_bipartite_matching``) on compressed columns, or with dense
    ``linear_sum_assignment`` (``method="components"``). A component is first solved as if every
    dwelling must be filled (about twice as fast); that answer is kept only if dual prices prove
    it is also optimal when dwellings may stay vacant (every dwelling's price is non-negative),
    otherwise the component is solved again with a private "leave vacant" column per dwelling.

    Dwellings and households are handed to the solver in an order fixed by their weights and
    priorities, ties in their seeded order (``Prepared.dwelling_rank``/``household_rank``), so
    among equally good proposals the one returned depends only on the content, the seed and the
    ids, never on the order of the input arrays.
    """
    n_rows = len(prep.inp.dwellings)
    match = np.full(n_rows, -1, dtype=np.int64)
    if g.rows.size == 0:
        return match, np.zeros(n_rows)
    # Solver order: dwellings by their best pair, lowest first; households by priority, highest
    # first (measured about a third faster than a random order); ties in the seeded order.
    best = np.full(n_rows, -np.inf)
    np.maximum.at(best, g.rows, g.weight)
    row_order = np.lexsort((prep.dwelling_rank, best))
    col_order = np.lexsort((prep.household_rank, -prep.scores.total))
    row_rank = np.empty(n_rows, dtype=np.int64)
    row_rank[row_order] = np.arange(n_rows)
    col_rank = np.empty(col_order.size, dtype=np.int64)
    col_rank[col_order] = np.arange(col_order.size)
    rows_u, rinv = _compress(row_rank[g.rows], n_rows)
    cols_u, cinv = _compress(col_rank[g.cols], col_order.size)
    row_of, col_of = row_order, col_order
    nr, nc = rows_u.size, cols_u.size
    adj = sp.coo_matrix((np.ones(rinv.size), (rinv, nr + cinv)), shape=(nr + nc, nr + nc))
    _, label = connected_components(adj, directed=False)
    edge_label = label[rinv]
    order = np.argsort(edge_label, kind="stable")
    sorted_labels = edge_label[order]
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
    ends = np.r_[starts[1:], order.size]

    def solve(idx: IntArray, vacant: bool) -> None:
        r_loc, ri = _compress(rinv[idx], nr)
        c_loc, ci = _compress(cinv[idx], nc)
        rr, cc = _solve_block(
            ri, ci, g.weight[idx], n_r=r_loc.size, n_c=c_loc.size, method=method, vacant=vacant
        )
        rows = row_of[rows_u[r_loc]]
        match[rows] = -1
        match[rows[rr]] = col_of[cols_u[c_loc[cc]]]

    filled: list[IntArray] = []
    for s, e in zip(starts, ends, strict=True):
        idx = order[s:e]
        if not duals:
            solve(idx, vacant=True)
            continue
        try:
            solve(idx, vacant=False)
            filled.append(idx)
        except ValueError:  # some dwelling cannot be filled: vacancy is part of the answer
            solve(idx, vacant=True)
    if not duals:
        return match, None
    u = max_dual_prices(g, match)
    scale = max(float(np.abs(g.weight).max()), 1.0)
    redone = False
    for idx in filled:
        if u is None or np.any(u[g.rows[idx]] < -1e-9 * scale):
            solve(idx, vacant=True)
            redone = True
    if redone:
        u = max_dual_prices(g, match)
    return match, u


def _edge_slot(prep: Prepared, g: Graph, slot: IntArray) -> IntArray:
    """Per kept pair: its building's position among the watched buildings if the household has
    heavy needs and the building is watched, else -1."""
    s = slot[prep.dwelling_building[g.rows]]
    out: IntArray = np.where(prep.inp.households.heavy_needs[g.cols], s, -1)
    return out


def _n_cols(g: Graph, match: IntArray) -> int:
    """Size for per-household scratch arrays: every household in the graph or the matching."""
    top = max(int(g.cols.max()) if g.cols.size else -1, int(match.max()) if match.size else -1)
    return top + 1


def max_dual_prices(g: Graph, match: IntArray, max_iter: int = 1000) -> FloatArray | None:
    """Greatest dwelling duals consistent with ``match`` being optimal on ``g`` (vacant: 0).

    Upper bounds: u[j] <= w(i, j) for the household i matched at j (its dual stays >= 0) and
    u[j] <= u[j'] + w(i, j) - w(i, j') for every other kept dwelling j' of i. A vectorised
    Bellman-Ford pass from u[j] = w(i, j) converges to the greatest solution; returns ``None`` if it
    does not converge within ``max_iter`` passes (then only the other certificates are used).
    """
    n_rows = match.size
    on_match = match[g.rows] == g.cols
    w_match = np.zeros(n_rows)
    w_match[g.rows[on_match]] = g.weight[on_match]
    owner = np.full(_n_cols(g, match), -1, dtype=np.int64)
    js = np.flatnonzero(match >= 0)
    if js.size == 0:
        return np.zeros(n_rows)
    owner[match[js]] = js
    src = owner[g.cols]
    sel = (src >= 0) & (src != g.rows)
    src, dst = src[sel], g.rows[sel]
    delta = w_match[src] - g.weight[sel]
    u = np.where(match >= 0, w_match, 0.0)
    if src.size == 0:
        return u
    order = np.argsort(src, kind="stable")
    src, dst, delta = src[order], dst[order], delta[order]
    starts = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
    heads = src[starts]
    for _ in range(max_iter):
        mins = np.minimum.reduceat(u[dst] + delta, starts)
        lower = mins < u[heads]
        if not lower.any():
            return u
        u[heads[lower]] = mins[lower]
    return None


def failing_rows(g: Graph, match: IntArray, u: FloatArray | None) -> IntArray:
    """Dwellings whose kept list does not yet prove optimality (see the module docstring)."""
    n_rows = match.size
    n_cols = _n_cols(g, match)
    matched = np.zeros(n_cols, dtype=np.bool_)
    matched[match[match >= 0]] = True
    # an unmatched household worth at least the best dropped pair (always so without building
    # prices, as kept lists are prefixes; with them, a priced pair may fall below the bound)
    free = ~matched[g.cols] & (g.weight >= g.bound[g.rows])
    has_free = np.zeros(n_rows, dtype=np.bool_)
    has_free[g.rows[free]] = True
    open_rows = ~(g.complete | has_free)
    if not open_rows.any():
        return np.zeros(0, dtype=np.int64)
    if u is not None:
        scale = max(float(np.abs(g.weight).max()), 1.0)
        open_rows &= ~(u >= g.bound + 1e-9 * scale)
    return np.flatnonzero(open_rows)


def solve_certified(
    builder: PairBuilder, g: Graph, method: str, growth: int = 4
) -> tuple[IntArray, Graph, int]:
    """Solve the kept graph; widen failing dwellings until the certificate holds everywhere."""
    solves = 0
    while True:
        match, u = assign(g, builder.prep, method)
        solves += 1
        failing = failing_rows(g, match, u)
        if failing.size == 0:
            return match, g, solves
        k = g.k.copy()
        k[failing] *= growth
        extra, _ = builder.build(failing, k)
        keep = ~np.isin(g.rows, failing)
        if builder.barred.any():
            extra = extra.without(builder.heavy_barred_pairs(extra))
        complete, bound = g.complete.copy(), g.bound.copy()
        complete[failing] = extra.complete[failing]
        bound[failing] = extra.bound[failing]
        g = Graph(
            np.concatenate([g.rows[keep], extra.rows]),
            np.concatenate([g.cols[keep], extra.cols]),
            np.concatenate([g.weight[keep], extra.weight]),
            complete,
            bound,
            k,
        )


def focus(g: Graph, match: IntArray, r: int = 4) -> Graph:
    """A smaller graph for re-solving after a small change: each dwelling keeps the households
    matched in ``match`` and its ``r`` best unmatched ones (ties included); the weight of what is
    dropped raises the dwelling's bound, so the certificate stays valid."""
    matched = np.zeros(_n_cols(g, match), dtype=np.bool_)
    matched[match[match >= 0]] = True
    free = np.flatnonzero(~matched[g.cols])
    order = free[np.lexsort((-g.weight[free], g.rows[free]))]  # free pairs by dwelling, best first
    rows_o, w_o = g.rows[order], g.weight[order]
    seg = np.flatnonzero(np.r_[True, rows_o[1:] != rows_o[:-1]])
    seg_len = np.diff(np.r_[seg, rows_o.size])
    rank = np.arange(rows_o.size) - np.repeat(seg, seg_len)
    cutoff = np.full(seg.size, -np.inf)  # the r-th best free weight (ties kept)
    has_r = seg_len >= r
    cutoff[has_r] = w_o[seg[has_r] + r - 1]
    drop_o = (rank >= r) & (w_o < np.repeat(cutoff, seg_len))
    bound = g.bound.copy()
    complete = g.complete.copy()
    dropped = np.flatnonzero(drop_o)
    if dropped.size:
        first = dropped[np.r_[True, rows_o[dropped][1:] != rows_o[dropped][:-1]]]
        touched = rows_o[first]  # the first dropped pair of a row is its best dropped pair
        bound[touched] = np.maximum(bound[touched], w_o[first])
        complete[touched] = False
    keep = np.ones(g.rows.size, dtype=np.bool_)
    keep[order[drop_o]] = False
    return Graph(g.rows[keep], g.cols[keep], g.weight[keep], complete, bound, g.k)


# --- the spread rule -----------------------------------------------------------------------------


def heavy_load(prep: Prepared, match: IntArray) -> IntArray:
    """Heavy-needs households proposed per building (building positions)."""
    js = np.flatnonzero(match >= 0)
    heavy = prep.inp.households.heavy_needs[match[js]]
    return np.bincount(prep.dwelling_building[js[heavy]], minlength=len(prep.inp.buildings))


def watched_buildings(prep: Prepared) -> IntArray:
    """Buildings where the spread rule can bind in this round: some room left, but less room
    than vacancies (full buildings are handled as a hard constraint per pair)."""
    vacancies = np.bincount(prep.dwelling_building, minlength=len(prep.inp.buildings))
    return np.flatnonzero((prep.building_room > 0) & (prep.building_room < vacancies)).astype(
        np.int64
    )


def designate(
    prep: Prepared, builder: PairBuilder, g: Graph, match: IntArray, buildings: IntArray
) -> None:
    """Repair step: in each of ``buildings``, keep only ``room`` of its vacant dwellings open to
    heavy-needs households and close the others (``builder.barred``), so the next solve cannot
    break the rule there. Kept open: dwellings the current solution gives a heavy-needs household
    (highest weight first), then those heavy-needs households want most (highest kept weight)."""
    heavy = prep.inp.households.heavy_needs
    on_match = match[g.rows] == g.cols
    w_at = np.zeros(match.size)
    w_at[g.rows[on_match]] = g.weight[on_match]
    demand = np.full(match.size, _NEG)
    h_edge = heavy[g.cols]
    np.maximum.at(demand, g.rows[h_edge], g.weight[h_edge])
    ids = prep.inp.dwellings.id
    for b in buildings:
        js = np.flatnonzero((prep.dwelling_building == b) & ~builder.barred)
        m = match[js]
        has_heavy = (m >= 0) & heavy[np.maximum(m, 0)]
        group = np.where(has_heavy, 0, 1)
        within = np.where(has_heavy, -w_at[js], -demand[js])
        order = js[np.lexsort((ids[js], within, group))]
        builder.barred[order[int(prep.building_room[b]) :]] = True


def rebuild_barred(builder: PairBuilder, g: Graph) -> Graph:
    """Drop pairs the repair step barred; rebuild the lists of the dwellings that lost pairs,
    with the same ``k``, so they stay long enough for the certificate."""
    drop = builder.heavy_barred_pairs(g)
    if not drop.any():
        return g
    touched = np.unique(g.rows[drop])
    extra, _ = builder.build(touched, g.k)
    keep = ~np.isin(g.rows, touched)
    complete, bound = g.complete.copy(), g.bound.copy()
    complete[touched] = extra.complete[touched]
    bound[touched] = extra.bound[touched]
    return Graph(
        np.concatenate([g.rows[keep], extra.rows]),
        np.concatenate([g.cols[keep], extra.cols]),
        np.concatenate([g.weight[keep], extra.weight]),
        complete,
        bound,
        g.k,
    )


def _widen(builder: PairBuilder, g: Graph, rows: IntArray, growth: int = 4) -> Graph:
    """Longer kept lists for ``rows`` (``k`` times ``growth``); the other rows keep theirs."""
    k = g.k.copy()
    k[rows] *= growth
    extra, _ = builder.build(rows, k)
    if builder.barred.any():
        extra = extra.without(builder.heavy_barred_pairs(extra))
    keep = ~np.isin(g.rows, rows)
    complete, bound = g.complete.copy(), g.bound.copy()
    complete[rows] = extra.complete[rows]
    bound[rows] = extra.bound[rows]
    return Graph(
        np.concatenate([g.rows[keep], extra.rows]),
        np.concatenate([g.cols[keep], extra.cols]),
        np.concatenate([g.weight[keep], extra.weight]),
        complete,
        bound,
        k,
    )


def household_duals(g: Graph, u: FloatArray, penalty: FloatArray, n_cols: int) -> FloatArray:
    """The least household duals that make (``u``, v, building prices) dual feasible on every kept
    pair: v[i] = max(0, max over i's pairs of w - u[j] - penalty)."""
    v = np.zeros(n_cols)
    np.maximum.at(v, g.cols, g.weight - u[g.rows] - penalty)
    return v


@dataclass
class SpreadSolution:
    """Result of :func:`solve_spread`: a proposal that respects the rule, an upper bound on the
    optimum computed in this run (solver units, a whole number), and how it was obtained:
    ``"exact_lp"`` (the linear relaxation had a whole-number optimum), ``"exact_milp"`` (closed
    by branch and bound) or ``"bounded"`` (the best proposal found in time, with the bound)."""

    match: IntArray
    graph: Graph
    bound: float
    how: str
    solves: int


def _rows_for(
    prep: Prepared,
    g: Graph,
    idx: IntArray,
    slot_of_edge: IntArray,
    watched: IntArray,
    *,
    room: FloatArray | None = None,
) -> tuple[sp.csr_matrix, FloatArray, IntArray, IntArray, IntArray]:
    """Constraint matrix of the pairs ``idx``: one row per dwelling, household and watched
    building they touch (capacity 1, 1 and the building's room), in a canonical order."""
    rows, cols, slots = g.rows[idx], g.cols[idx], slot_of_edge[idx]
    m = idx.size
    e = np.arange(m)
    r_u, r_i = np.unique(rows, return_inverse=True)
    c_u, c_i = np.unique(cols, return_inverse=True)
    hv = np.flatnonzero(slots >= 0)
    b_u, b_i = np.unique(slots[hv], return_inverse=True)
    a = sp.vstack(
        [
            sp.csr_matrix((np.ones(m), (r_i, e)), shape=(r_u.size, m)),
            sp.csr_matrix((np.ones(m), (c_i, e)), shape=(c_u.size, m)),
            sp.csr_matrix((np.ones(hv.size), (b_i, hv)), shape=(b_u.size, m)),
        ]
    ).tocsr()
    if room is None:
        room = prep.building_room[watched].astype(np.float64)
    upper = np.r_[np.ones(r_u.size + c_u.size), room[b_u]]
    return a, upper, r_u, c_u, b_u


def _dual_bound(
    g: Graph, u: FloatArray, *, pen: FloatArray, lam: FloatArray, room: FloatArray, n_cols: int
) -> tuple[FloatArray, FloatArray, float]:
    """An upper bound on every proposal that respects the rule, from whole-step prices: dwelling
    prices ``u`` (raised to 0, and to the best dropped pair where a list is incomplete),
    building prices ``lam`` >= 0 (``pen``: each kept pair's λ if it counts in a building), and
    the least household prices that make every kept pair dual feasible. By LP duality the sum
    Σu + Σv + Σλ·room bounds the LP relaxation over all pairs, kept or dropped. Every number
    is a whole number below 2**53, so the sum is exact."""
    incomplete = ~g.complete & np.isfinite(g.bound)
    u_safe = np.maximum(u, 0.0)
    u_safe = np.where(incomplete, np.maximum(u_safe, g.bound), u_safe)
    v_safe = household_duals(g, u_safe, pen, n_cols)
    total = math.fsum(u_safe) + math.fsum(v_safe) + math.fsum(lam * room)
    return u_safe, v_safe, total


def _is_feasible(prep: Prepared, match: IntArray, watched: IntArray) -> bool:
    hs = match[match >= 0]
    if np.unique(hs).size != hs.size:
        return False
    load = heavy_load(prep, match)
    return bool(np.all(load[watched] <= prep.building_room[watched]))


class _Master:
    """The LP relaxation over a growing set of pairs (columns), warm-started by HiGHS: rows are
    every dwelling and household (capacity 1) and every watched building (its room)."""

    def __init__(self, prep: Prepared, watched: IntArray, n_cols: int) -> None:
        self.n_rows = len(prep.inp.dwellings)
        self.n_cols = n_cols
        self.n_watched = watched.size
        n_all = self.n_rows + n_cols + watched.size
        self.highs = highspy._Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("random_seed", 0)
        lp = highspy.HighsLp()
        lp.num_col_ = 0
        lp.num_row_ = n_all
        lp.row_lower_ = np.full(n_all, -highspy.kHighsInf)
        lp.row_upper_ = np.r_[
            np.ones(self.n_rows + n_cols), prep.building_room[watched].astype(np.float64)
        ]
        self.highs.passModel(lp)
        self.highs.setOptionValue("simplex_strategy", 1)  # dual simplex from scratch
        self.rows: IntArray = _EMPTY_I
        self.cols: IntArray = _EMPTY_I
        self.slots: IntArray = _EMPTY_I
        self.weight: FloatArray = np.zeros(0)

    def add(self, rows: IntArray, cols: IntArray, slots: IntArray, weight: FloatArray) -> None:
        count = np.where(slots >= 0, 3, 2)
        starts = np.r_[0, np.cumsum(count)[:-1]].astype(np.int32)
        index = np.empty(int(count.sum()), dtype=np.int32)
        index[starts] = rows
        index[starts + 1] = self.n_rows + cols
        heavy = np.flatnonzero(slots >= 0)
        index[starts[heavy] + 2] = self.n_rows + self.n_cols + slots[heavy]
        self.highs.addCols(
            rows.size,
            -weight,
            np.zeros(rows.size),
            np.full(rows.size, highspy.kHighsInf),
            index.size,
            starts,
            index,
            np.ones(index.size),
        )
        self.rows = np.r_[self.rows, rows]
        self.cols = np.r_[self.cols, cols]
        self.slots = np.r_[self.slots, slots]
        self.weight = np.r_[self.weight, weight]

    def start_from(self, match: IntArray, u: FloatArray, v: FloatArray) -> bool:
        """Hand HiGHS an optimal basis of the LP *without* the building rows, built from the
        optimum ``match`` and its duals (``u``, ``v``), so the dual simplex starts dual feasible
        and only has to repair the building rows the optimum breaks (instead of solving the
        whole LP from scratch). Every column added so far must have zero reduced cost.

        The basis is a spanning forest of tight pairs (LP bases of bipartite matching are
        forests): every matched pair is basic, matched pairs and single nodes are joined by
        tight unmatched pairs, and each tree is rooted at a row whose dual is zero (its slack is
        basic). The duals this basis implies are then exactly ``u`` and ``v``, dual feasible.
        Returns False (nothing set, HiGHS starts cold) if some tree has no zero-dual row."""
        n_r, n_c = self.n_rows, self.n_cols
        rows, cols = self.rows, self.cols
        owner = np.full(n_c, -1, dtype=np.int64)
        js = np.flatnonzero(match >= 0)
        owner[match[js]] = js
        # super-nodes: a matched pair is one node (its dwelling's number), others stand alone
        node_of_col = np.where(owner >= 0, owner, n_r + np.arange(n_c))
        n_nodes = n_r + n_c
        zero = np.zeros(n_nodes, dtype=np.bool_)
        zero[:n_r] = u <= 0.0
        zero[node_of_col] |= v <= 0.0
        free_dwelling = match < 0  # a vacant dwelling is its own node; it has no household part
        on_match = match[rows] == cols
        a, b = rows[~on_match], node_of_col[cols[~on_match]]
        root = n_nodes  # virtual root joined to every node with a zero-dual row
        zs = np.flatnonzero(zero)
        graph = sp.csr_matrix(
            (np.ones(a.size + zs.size), (np.r_[a, zs], np.r_[b, np.full(zs.size, root)])),
            shape=(n_nodes + 1, n_nodes + 1),
        )
        _, pred = breadth_first_order(graph, root, directed=False, return_predecessors=True)
        pred = pred[:n_nodes]
        used = np.zeros(n_nodes, dtype=np.bool_)
        used[js] = True
        used[n_r + np.flatnonzero(owner < 0)] = True
        used[np.flatnonzero(free_dwelling)] = True
        if np.any(used & (pred < 0)):
            return False
        col_basic = on_match.copy()
        row_basic = np.zeros(n_r + n_c + self.n_watched, dtype=np.bool_)
        row_basic[n_r + n_c :] = True  # building rows: slack basic (price 0)
        nodes = np.flatnonzero(used)
        at_root = nodes[pred[nodes] == root]
        # the root's zero-dual row: the dwelling's if its dual is 0, else the household's
        dw = at_root[at_root < n_r]
        dwelling_zero = (u[dw] <= 0.0) | free_dwelling[dw]
        row_basic[dw[dwelling_zero]] = True
        row_basic[n_r + match[dw[~dwelling_zero]]] = True
        row_basic[at_root[at_root >= n_r]] = True  # a lone household: node number = its row
        # tree pairs: the tight pair joining each other node to its predecessor
        child = nodes[pred[nodes] != root]
        key_tree = np.minimum(child, pred[child]) * (n_nodes + 1) + np.maximum(child, pred[child])
        key_pair = np.minimum(a, b) * (n_nodes + 1) + np.maximum(a, b)
        order = np.argsort(key_pair, kind="stable")
        at = np.searchsorted(key_pair[order], key_tree)
        col_basic[np.flatnonzero(~on_match)[order[at]]] = True
        basis = highspy.HighsBasis()
        status = highspy.HighsBasisStatus
        basis.col_status = [status.kBasic if x else status.kLower for x in col_basic]
        basis.row_status = [status.kBasic if x else status.kUpper for x in row_basic]
        basis.valid = True
        ok = self.highs.setBasis(basis) == highspy.HighsStatus.kOk
        return bool(ok)

    def solve(self, seconds: float) -> bool:
        self.highs.setOptionValue("time_limit", max(seconds, 0.01))
        self.highs.run()
        # later solves only add columns: the basis stays primal feasible, primal simplex resumes
        self.highs.setOptionValue("simplex_strategy", 4)
        return bool(self.highs.getModelStatus() == highspy.HighsModelStatus.kOptimal)

    def duals(self, n_watched: int) -> tuple[FloatArray, FloatArray, FloatArray]:
        y = np.maximum(-np.asarray(self.highs.getSolution().row_dual), 0.0)
        a, b = self.n_rows, self.n_rows + self.n_cols
        return y[:a], y[a:b], y[b : b + n_watched]

    def values(self) -> FloatArray:
        return np.asarray(self.highs.getSolution().col_value)


def _milp(
    prep: Prepared,
    *,
    rows: IntArray,
    cols: IntArray,
    slots: IntArray,
    weight: FloatArray,
    watched: IntArray,
    seconds: float,
    room: FloatArray | None = None,
    fixed: IntArray | None = None,
) -> tuple[IntArray | None, float]:
    """Branch and bound (HiGHS via ``scipy.optimize.milp``) on the given pairs; the proposal
    (or ``None``) and its proven bound for these pairs (``inf`` if not proven). With ``fixed``
    (a partial proposal on other dwellings and households) and ``room`` (what it leaves of each
    watched building's room), the proposal returned includes the fixed pairs."""
    n_rows = len(prep.inp.dwellings)
    g = Graph(rows, cols, weight, np.zeros(0, np.bool_), np.zeros(0), _EMPTY_I)
    a, upper, _, _, _ = _rows_for(prep, g, np.arange(rows.size), slots, watched, room=room)
    res = milp(
        c=-weight,
        integrality=np.ones(rows.size),
        bounds=(0, 1),
        constraints=LinearConstraint(a, -np.inf, upper),
        options={"mip_rel_gap": 0.0, "disp": False, "time_limit": max(seconds, 0.01)},
    )
    if res.x is None:
        return None, np.inf
    chosen = np.flatnonzero(np.round(res.x) == 1)
    match = np.full(n_rows, -1, dtype=np.int64) if fixed is None else fixed.copy()
    match[rows[chosen]] = cols[chosen]
    if not _is_feasible(prep, match, watched):
        return None, np.inf
    proven = float(np.floor(-res.fun + 0.25)) if res.status == 0 else np.inf
    return match, proven


def _around_fractional(
    prep: Prepared,
    master: _Master,
    x: FloatArray,
    *,
    u_safe: FloatArray,
    v_safe: FloatArray,
    lam: FloatArray,
    watched: IntArray,
    room: FloatArray,
    limit: int = 4000,
) -> tuple[IntArray, IntArray, IntArray, FloatArray, IntArray, FloatArray] | None:
    """A small branch-and-bound problem around the LP optimum's fractional pairs: a proposal
    worth the bound uses only pairs of zero reduced cost (value = bound − Σ reduced costs −
    slack terms), so the free pairs are the LP's tight pairs among the dwellings and households
    within a few tight steps of the fractional part; the LP's whole pairs elsewhere stay fixed
    and use up their buildings' room. Returns the free pairs, the fixed partial proposal and the
    room left, or ``None`` when the LP is whole or the neighbourhood grows past ``limit`` pairs.
    It is a search only: its result counts as optimal only if it reaches the bound."""
    frac = np.minimum(x, 1.0 - x) >= _WHOLE
    if not frac.any():
        return None
    rows, cols, slots, weight = master.rows, master.cols, master.slots, master.weight
    pen = np.where(slots >= 0, lam[np.maximum(slots, 0)], 0.0)
    tight = u_safe[rows] + v_safe[cols] + pen - weight <= _HALF_STEP
    one = x > 1.0 - _WHOLE
    in_r = np.zeros(master.n_rows, dtype=np.bool_)
    in_c = np.zeros(master.n_cols, dtype=np.bool_)
    in_r[rows[frac]] = True
    in_c[cols[frac]] = True
    free = tight & in_r[rows] & in_c[cols]
    for _ in range(3):
        # close over the LP's whole pairs, then one more tight step out
        touch = tight & (in_r[rows] | in_c[cols])
        if np.count_nonzero(touch) > limit:
            break
        in_r[rows[touch]] = True
        in_c[cols[touch]] = True
        partner = one & (in_r[rows] | in_c[cols])
        in_r[rows[partner]] = True
        in_c[cols[partner]] = True
        free = tight & in_r[rows] & in_c[cols]
    fixed_pairs = np.flatnonzero(one & ~in_r[rows] & ~in_c[cols])
    fixed = np.full(master.n_rows, -1, dtype=np.int64)
    fixed[rows[fixed_pairs]] = cols[fixed_pairs]
    used = np.bincount(slots[fixed_pairs][slots[fixed_pairs] >= 0], minlength=watched.size).astype(
        np.float64
    )
    sel = np.flatnonzero(free)
    return rows[sel], cols[sel], slots[sel], weight[sel], fixed, room - used


def lagrangian_bound(
    builder: PairBuilder, g: Graph, lam: FloatArray, watched: IntArray, slot: IntArray
) -> tuple[float, Graph, int]:
    """Upper bound on every proposal that respects the rule, in exact integer arithmetic:
    L(λ) = max over matchings (no rule) of Σ (w − λ_b·[heavy in b]) + Σ λ_b·room_b, for whole
    building prices λ >= 0 (Lagrangian relaxation of the building rows; weak duality). The inner
    maximum is solved exactly and certified as in :func:`solve_certified` (penalties only lower
    weights, so each dwelling's dropped-pair bound still holds)."""
    prep = builder.prep
    room = prep.building_room[watched].astype(np.float64)
    lam = np.maximum(lam, 0.0)
    solves = 0
    while True:
        es = _edge_slot(prep, g, slot)
        pen = np.where(es >= 0, lam[np.maximum(es, 0)], 0.0)
        gp = Graph(g.rows, g.cols, g.weight - pen, g.complete, g.bound, g.k)
        match, u = assign(gp, prep)
        solves += 1
        failing = failing_rows(gp, match, u)
        if failing.size == 0:
            return gp.objective(match) + float((lam * room).sum()), g, solves
        g = _widen(builder, g, failing)


def solve_spread(  # noqa: PLR0911, PLR0912, PLR0915 - one proof, read top to bottom
    builder: PairBuilder, g: Graph, match0: IntArray, watched: IntArray, deadline: float
) -> SpreadSolution | None:
    """Exact optimum with the per-building heavy-needs limits, with a bound computed in the run.

    1. *LP by column generation.* The LP relaxation (dwellings and households capacity 1, one row
       per watched building with its room) starts from the pairs of zero reduced cost for the
       optimum without the rule, and HiGHS starts from that optimum's basis
       (:meth:`_Master.start_from`), so the dual simplex only repairs the broken buildings. Its
       dual prices (u per dwelling, v per household, λ per
       building) price every kept pair, reduced cost u + v + λ·[heavy] − w; the most negative
       pair of each household (at most 2,000 a round) joins, and HiGHS resumes from its basis.
       A dwelling whose price is below its best dropped pair gets a longer list. When nothing
       prices out, the LP optimum over all pairs is reached.
    2. *Bound.* The dual prices rounded to whole steps, made feasible on every pair (kept or
       dropped) and summed (Σu + Σv + Σλ·room), bound every proposal (LP duality); all in exact
       integer arithmetic (:func:`_dual_bound`). If a whole LP optimum falls short of it, the
       greatest dwelling prices for that proposal under the same λ, then the Lagrangian bound
       (:func:`lagrangian_bound`), may close it.
    3. If the LP optimum is a whole proposal reaching the bound, it is optimal (``exact_lp``).
       Otherwise branch and bound, first only around the LP's fractional pairs with the rest of
       the LP's proposal fixed (:func:`_around_fractional`: proven only if it reaches the bound),
       then on the LP's pairs; a proposal using another pair is worth at most bound − its
       reduced cost, so if the result falls short the pairs with reduced cost up to the
       shortfall join and branch and bound runs again (``exact_milp`` when proven).
    4. Past ``deadline``: the best proposal found with the bound proven so far (``bounded``), or
       ``None`` if there is none (the caller repairs).
    """
    prep = builder.prep
    n_cols = len(prep.inp.households)
    slot = np.full(len(prep.inp.buildings), -1, dtype=np.int64)
    slot[watched] = np.arange(watched.size)
    room = prep.building_room[watched].astype(np.float64)
    u0 = max_dual_prices(g, match0)
    master = _Master(prep, watched, n_cols)
    es = _edge_slot(prep, g, slot)
    if u0 is None:
        start = np.arange(g.rows.size)
    else:
        v0 = household_duals(g, u0, np.zeros(g.rows.size), n_cols)
        start = np.flatnonzero(u0[g.rows] + v0[g.cols] - g.weight <= _HALF_STEP)
    master.add(g.rows[start], g.cols[start], es[start], g.weight[start])
    inside = np.zeros(g.rows.size, dtype=np.bool_)  # which kept pairs the LP has
    inside[start] = True
    if u0 is not None:
        master.start_from(match0, u0, v0)
    solves = 0
    tol = 1e-7 * max(float(np.abs(g.weight).max()) if g.weight.size else 1.0, 1.0)
    while True:
        if time.perf_counter() >= deadline:
            return None
        if not master.solve(deadline - time.perf_counter()):
            return None
        solves += 1
        u, v, lam = master.duals(watched.size)
        pen = np.where(es >= 0, lam[np.maximum(es, 0)], 0.0)
        rc = u[g.rows] + v[g.cols] + pen - g.weight
        entering = np.flatnonzero((rc < -tol) & ~inside)
        if entering.size == 0:
            # the kept pairs price out; dropped pairs too unless a price is below its bound
            incomplete = ~g.complete & np.isfinite(g.bound)
            weak = np.flatnonzero(incomplete & (u < g.bound - tol))
            if weak.size == 0:
                break
            g = _widen(builder, g, weak)
            es = _edge_slot(prep, g, slot)
            inside = np.isin(g.rows * n_cols + g.cols, master.rows * n_cols + master.cols)
            continue
        order = entering[np.lexsort((g.rows[entering], rc[entering], g.cols[entering]))]
        first = order[np.r_[True, g.cols[order][1:] != g.cols[order][:-1]]]
        pick = np.sort(first[np.lexsort((g.rows[first], g.cols[first], rc[first]))][:2000])
        master.add(g.rows[pick], g.cols[pick], es[pick], g.weight[pick])
        inside[pick] = True
    # bound: the LP's prices rounded to whole steps, made feasible on every pair (kept or
    # dropped) and summed, all in exact integer arithmetic
    lam = np.round(lam)
    pen = np.where(es >= 0, lam[np.maximum(es, 0)], 0.0)
    u_safe, v_safe, dual = _dual_bound(g, np.round(u), pen=pen, lam=lam, room=room, n_cols=n_cols)
    bound = dual
    x = master.values()
    if np.all(np.minimum(x, 1.0 - x) < _WHOLE):
        chosen = np.flatnonzero(x > _HALF_STEP)
        match = np.full(len(prep.inp.dwellings), -1, dtype=np.int64)
        match[master.rows[chosen]] = master.cols[chosen]
        if _is_feasible(prep, match, watched):
            value = g.objective(match)
            if value < bound:  # the tightest dwelling prices for this proposal, same λ
                gp = Graph(g.rows, g.cols, g.weight - pen, g.complete, g.bound, g.k)
                u_m = max_dual_prices(gp, match)
                if u_m is not None:
                    bound = min(
                        bound, _dual_bound(g, u_m, pen=pen, lam=lam, room=room, n_cols=n_cols)[2]
                    )
            if value < bound:  # the exact Lagrangian bound (one certified assignment solve)
                exact, g, calls = lagrangian_bound(builder, g, lam, watched, slot)
                solves += calls
                bound = min(bound, exact)
                es = _edge_slot(prep, g, slot)
                pen = np.where(es >= 0, lam[np.maximum(es, 0)], 0.0)
            if value >= bound:
                return SpreadSolution(match, g, bound, "exact_lp", solves)
    incomplete = ~g.complete & np.isfinite(g.bound)
    # a proposal worth the bound is optimal, wherever it comes from: first branch and bound
    # only around the LP's fractional part, the rest of the LP's proposal kept
    local = _around_fractional(
        prep, master, x, u_safe=u_safe, v_safe=v_safe, lam=lam, watched=watched, room=room
    )
    if local is not None:
        l_rows, l_cols, l_slots, l_weight, fixed, room_left = local
        found, _ = _milp(
            prep,
            rows=l_rows,
            cols=l_cols,
            slots=l_slots,
            weight=l_weight,
            watched=watched,
            seconds=deadline - time.perf_counter(),
            room=room_left,
            fixed=fixed,
        )
        solves += 1
        if found is not None and g.objective(found) >= bound:
            return SpreadSolution(found, g, bound, "exact_milp", solves)
    # branch and bound on the LP's pairs, then on every pair that could still matter
    best, _ = _milp(
        prep,
        rows=master.rows,
        cols=master.cols,
        slots=master.slots,
        weight=master.weight,
        watched=watched,
        seconds=deadline - time.perf_counter(),
    )
    solves += 1
    if best is None:
        return None
    rc_safe = u_safe[g.rows] + v_safe[g.cols] + pen - g.weight
    for _ in range(2):
        value = g.objective(best)
        shortfall = bound - value
        if shortfall <= 0:
            return SpreadSolution(best, g, bound, "exact_milp", solves)
        weak = np.flatnonzero(incomplete & (u_safe - g.bound <= shortfall))
        if weak.size and time.perf_counter() < deadline:
            g = _widen(builder, g, weak)
            es = _edge_slot(prep, g, slot)
            incomplete = ~g.complete & np.isfinite(g.bound)
            pen = np.where(es >= 0, lam[np.maximum(es, 0)], 0.0)
            v_safe = household_duals(g, u_safe, pen, n_cols)
            dual = math.fsum(u_safe) + math.fsum(v_safe) + math.fsum(lam * room)
            rc_safe = u_safe[g.rows] + v_safe[g.cols] + pen - g.weight
        pool = rc_safe <= shortfall + _HALF_STEP
        outside = float(rc_safe[~pool].min()) if not pool.all() else np.inf
        if incomplete.any():
            outside = min(outside, float((u_safe - g.bound)[incomplete].min()))
        sel = np.flatnonzero(pool)
        found, proven = _milp(
            prep,
            rows=g.rows[sel],
            cols=g.cols[sel],
            slots=es[sel],
            weight=g.weight[sel],
            watched=watched,
            seconds=deadline - time.perf_counter(),
        )
        solves += 1
        if found is not None and g.objective(found) > value:
            best = found
        # a proposal using a pair outside the pool is worth at most dual - outside
        bound = min(bound, max(proven, float(np.floor(dual - outside + 0.25))))
    how = "exact_milp" if g.objective(best) >= bound else "bounded"
    return SpreadSolution(best, g, bound, how, solves)
