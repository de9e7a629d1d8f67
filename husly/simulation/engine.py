"""The policy simulation, vectorised over runs with NumPy.

All ``runs`` futures are advanced together, month by month: arrays of shape (runs, households)
and (runs, dwellings). Each month (see ``docs/leaders-guide.md`` and ADR 0019):

1. leases ending this month are renewed or not (leaving, the renewal test); other tenancies
   end by moving out or eviction (monthly hazards); some of those who lose the dwelling come
   back onto the list in a temporary place;
2. dwellings are bought, head-leased or sold (evenly over the year);
3. new households arrive by group (Poisson), the residence requirement refuses a share;
4. start loans take households off the list;
5. vacancies ready to let: a share goes to refugee settlement, the rest are offered highest
   priority first (``husly.matching.score_priority``) to the best-fitting compatible class
   (occupancy norm and fit from ``husly.matching``), as ``husly.matching.propose_greedy`` does;
   an offer may be refused, and the refusal policy decides whether the household keeps its
   place.

Only the offer loop runs over households one rank at a time, and each step is vectorised over
all runs at once.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray

from husly.simulation import common as c
from husly.simulation.model import GROUPS, SimulationInput
from husly.simulation.result import SimulationResult

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

TEMPORARY = 4  # husly.matching.Urgency.TEMPORARY_ACCOMMODATION
LOAN_MAX_SOCIAL = 2
"""A start loan goes to a household not in a temporary place and with social need below this
level (a design default: those who can carry a loan)."""


class _People:
    """Waiting households, (runs, capacity) columns; free slots are reused."""

    names = (
        "active",
        "size",
        "group",
        "urgency",
        "medical",
        "social",
        "children",
        "wheel",
        "arrived",
        "in_temp",
        "temp_since",
        "refusals",
        "origin",
        "offered",
        "tiebreak",
        "profile",
        "htype",
    )

    def __init__(
        self, inp: SimulationInput, runs: int, cap: int, tiebreak: FloatArray, sizes: int
    ) -> None:
        w = inp.waiting
        n0 = len(w)
        self.active = np.zeros((runs, cap), dtype=np.bool_)
        self.size = np.ones((runs, cap), dtype=np.int64)
        self.group = np.zeros((runs, cap), dtype=np.int64)
        self.urgency = np.zeros((runs, cap), dtype=np.int64)
        self.medical = np.zeros((runs, cap))
        self.social = np.zeros((runs, cap))
        self.children = np.zeros((runs, cap))
        self.wheel = np.zeros((runs, cap), dtype=np.bool_)
        self.arrived = np.zeros((runs, cap), dtype=np.int64)
        self.in_temp = np.zeros((runs, cap), dtype=np.bool_)
        self.temp_since = np.zeros((runs, cap), dtype=np.int64)
        self.refusals = np.zeros((runs, cap), dtype=np.int64)
        self.origin = np.full((runs, cap), -1, dtype=np.int64)
        self.offered = np.zeros((runs, cap), dtype=np.bool_)
        self.tiebreak = tiebreak
        self.active[:, :n0] = True
        self.size[:, :n0] = w.size
        self.group[:, :n0] = w.group
        self.urgency[:, :n0] = w.urgency
        self.medical[:, :n0] = w.medical
        self.social[:, :n0] = w.social
        self.children[:, :n0] = w.children
        self.wheel[:, :n0] = w.needs_wheelchair
        self.arrived[:, :n0] = -np.rint(w.waited_days / c.DAYS_PER_MONTH).astype(np.int64)
        self.in_temp[:, :n0] = w.in_temporary
        self.refusals[:, :n0] = w.refusals
        self.origin[:, :n0] = np.arange(n0)
        self.sizes = sizes
        self.profile = np.zeros((runs, cap), dtype=np.int64)
        self.htype = np.zeros((runs, cap), dtype=np.int64)
        self.profile[:, :n0] = c.profile_code(w.medical, w.social, w.children, w.urgency)
        self.htype[:, :n0] = c.household_type(w.size, w.needs_wheelchair, sizes)

    def grow(self, extra: int, tiebreak: FloatArray) -> None:
        for name in self.names:
            if name == "tiebreak":
                continue
            a = getattr(self, name)
            fill = -1 if name == "origin" else 0
            pad = np.full((a.shape[0], extra), fill, dtype=a.dtype)
            if name == "size":
                pad[:] = 1
            setattr(self, name, np.concatenate([a, pad], axis=1))
        self.tiebreak = np.concatenate([self.tiebreak, tiebreak], axis=1)


def _nonzero(mask: BoolArray) -> tuple[IntArray, IntArray]:
    """``np.nonzero`` of a 2-D mask, in the same (row-major) order, several times faster."""
    rows, cols = np.divmod(np.flatnonzero(mask), mask.shape[1])
    return rows, cols


def _rank_in_row(rows: IntArray, runs: int) -> IntArray:
    """Position of each entry within its row, for ``rows`` sorted ascending."""
    counts = np.bincount(rows, minlength=runs)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out: IntArray = np.arange(rows.shape[0]) - starts[rows]
    return out


def simulate(inp: SimulationInput) -> SimulationResult:
    """Run ``inp.runs`` seeded futures of ``inp.horizon_months`` months (vectorised)."""
    started = time.perf_counter()
    tally = _run(inp)
    return SimulationResult.from_tally(inp, tally, seconds=time.perf_counter() - started)


def _run(inp: SimulationInput) -> c.Tally:  # noqa: PLR0912, PLR0915 - one month, read top to bottom
    rng = np.random.default_rng(inp.seed)
    runs, horizon = inp.runs, inp.horizon_months
    rates, lv = inp.rates, inp.levers
    table = c.priority_table(lv.priority_policy, _longest_wait(inp))
    mpolicy = inp.matching_policy
    fit = c.fit_matrix(mpolicy)
    compat = (fit > 0).astype(np.int64)
    sizes = c.n_sizes(mpolicy)
    n0 = len(inp.waiting)
    tally = c.Tally(runs=runs, months=horizon, initial=n0)
    rows = np.arange(runs)

    cap = c.initial_capacity(inp)
    people = _People(inp, runs, cap, rng.random((runs, cap)), sizes)

    # stock, (runs, dwellings)
    st = inp.stock
    d0, dcap = len(st), c.stock_capacity(inp)
    exists = np.zeros((runs, dcap), dtype=np.bool_)
    exists[:, :d0] = True
    rooms = np.full(dcap, 1, dtype=np.int64)
    acc = np.zeros(dcap, dtype=np.bool_)
    rooms[:d0] = st.rooms
    acc[:d0] = st.wheelchair_accessible
    for k in range(dcap - d0):
        rooms[d0 + k], acc[d0 + k] = c.added_dwelling(inp, k)
    dclass = c.dwelling_class(rooms, acc)
    occupied = np.zeros((runs, dcap), dtype=np.bool_)
    occupied[:, :d0] = st.occupied
    lease_end = np.full((runs, dcap), -1, dtype=np.int32)
    lease_end[:, :d0] = st.lease_end_month
    tenant = np.full((runs, dcap), -1, dtype=np.int64)
    tenant[:, :d0] = st.tenant_group
    ready_at = np.zeros((runs, dcap), dtype=np.int32)
    ready_at[:, :d0] = st.ready_month
    added = d0
    sold_backlog = np.zeros(runs, dtype=np.int64)

    tpl = inp.templates
    tpl_by_group = [np.flatnonzero(tpl.group == g) for g in range(len(GROUPS))]
    all_tpl = np.arange(len(tpl))
    length = lv.lease_length_months
    run_rates = c.draw_run_rates(inp)
    th = c.Thresholds.of(inp, run_rates)
    move32 = c.float32_bound(th.move)[:, None]
    refusal = run_rates.refusal
    residence = np.asarray(rates.residence_fail_share)

    for m in range(horizon):
        new_end = m + length if length > 0 else -1
        # 1. tenancies
        u = c.draw_dwellings(rng, runs, dcap)
        # only dwellings with an event can change: lease at its end, or u below the hazards
        hit_r, hit_c = _nonzero(occupied & ((u < move32) | (lease_end == m)))
        x = u[hit_r, hit_c]
        end_now = lease_end[hit_r, hit_c] == m
        t_leave, t_fail, t_evict = th.leave[hit_r], th.fail[hit_r], th.evict[hit_r]
        moved_end = end_now & (x < t_leave)
        refused = end_now & (x >= t_leave) & (x < t_fail)
        back_nr = refused & (x < th.back_nr[hit_r])
        renewed = end_now & (x >= t_fail)
        evicted = ~end_now & (x < t_evict)
        back_ev = evicted & (x < th.back_ev[hit_r])
        moved = ~end_now & (x >= t_evict) & (x < th.move[hit_r])
        vacated = moved_end | refused | evicted | moved
        n_ending = np.bincount(hit_r[end_now], minlength=runs)
        tally.lease_ends += n_ending
        tally.left_at_end += np.bincount(hit_r[moved_end], minlength=runs)
        tally.exposure += occupied.sum(axis=1) - n_ending
        tally.moved_out += np.bincount(hit_r[moved], minlength=runs)
        tally.back_after_nonrenewal += np.bincount(hit_r[back_nr], minlength=runs)
        tally.back_after_eviction += np.bincount(hit_r[back_ev], minlength=runs)
        tally.renewed += np.bincount(hit_r[renewed], minlength=runs)
        tally.not_renewed += np.bincount(hit_r[refused], minlength=runs)
        tally.evictions += np.bincount(hit_r[evicted], minlength=runs)
        lease_end[hit_r[renewed], hit_c[renewed]] = new_end
        back = back_nr | back_ev
        br, bc = hit_r[back], hit_c[back]
        back_group = tenant[br, bc]
        vr, vc = hit_r[vacated], hit_c[vacated]
        occupied[vr, vc] = False
        lease_end[vr, vc] = -1
        tenant[vr, vc] = -1
        ready_at[vr, vc] = m + rates.turnaround_months

        # 2. stock
        for _ in range(c.steps(m, lv.bought_per_year + lv.head_leased_per_year)):
            exists[:, added] = True
            ready_at[:, added] = m
            added += 1
        sold_backlog += c.steps(m, lv.sold_per_year)
        if sold_backlog.any():
            free_now = exists & ~occupied & (ready_at <= m)
            rank = np.cumsum(free_now, axis=1)
            sell = free_now & (rank <= sold_backlog[:, None])
            exists[sell] = False
            sold_backlog -= sell.sum(axis=1)

        # 3. arrivals: those coming back first (dwelling order), then each group in turn
        counts = c.draw_arrival_counts(rng, run_rates.arrivals)
        n_back = np.bincount(br, minlength=runs)
        n_new = counts.sum(axis=1)
        width = int((n_back + n_new).max(initial=0))
        if width:
            draws = c.draw_arrivals(rng, runs, width)
            a_row = np.concatenate([br, np.repeat(rows, n_new)])
            a_group = np.concatenate(
                [back_group, np.tile(np.arange(len(GROUPS)), runs).repeat(counts.ravel())]
            )
            a_back = np.concatenate([np.ones(br.size, bool), np.zeros(int(n_new.sum()), bool)])
            pos_new = _rank_in_row(np.repeat(rows, n_new), runs) + np.repeat(n_back, n_new)
            a_pos = np.concatenate([_rank_in_row(br, runs), pos_new])
            d = draws[a_row, a_pos]
            refused_res = (
                ~a_back & lv.residence_requirement & (d[:, 2] < residence[a_group])
                if lv.residence_requirement
                else np.zeros(a_row.size, bool)
            )
            tally.residence_refused += np.bincount(a_row[refused_res], minlength=runs)
            np.add.at(tally.applications, (a_row[~a_back], a_group[~a_back]), 1)
            np.add.at(
                tally.residence_refused_by_group, (a_row[refused_res], a_group[refused_res]), 1
            )
            keep = ~refused_res
            a_row, a_group, a_back, a_pos, d = (
                a_row[keep],
                a_group[keep],
                a_back[keep],
                a_pos[keep],
                d[keep],
            )
            order = np.lexsort((a_pos, a_row))
            a_row, a_group, a_back, d = a_row[order], a_group[order], a_back[order], d[order]
            n_in = np.bincount(a_row, minlength=runs)
            tally.arrivals += n_in
            free = ~people.active
            short = int((n_in - free.sum(axis=1)).max(initial=0))
            if short > 0:
                extra = max(short, people.active.shape[1])
                people.grow(extra, rng.random((runs, extra)))
                free = ~people.active
            _fr, fc = _nonzero(free)
            starts = np.concatenate([[0], np.cumsum(free.sum(axis=1))[:-1]])
            slot = fc[starts[a_row] + _rank_in_row(a_row, runs)]
            t_index = np.empty(a_row.size, dtype=np.int64)
            for g in range(len(GROUPS)):
                mine = a_group == g
                pool = tpl_by_group[g] if tpl_by_group[g].size else all_tpl
                shares = run_rates.mix[g] if run_rates.mix else None
                if shares is not None:
                    t_index[mine] = pool[c.pick_templates(shares, a_row[mine], d[mine, 0])]
                else:
                    t_index[mine] = pool[(d[mine, 0] * pool.size).astype(np.int64)]
            people.active[a_row, slot] = True
            people.size[a_row, slot] = tpl.size[t_index]
            people.group[a_row, slot] = a_group
            urg = np.where(a_back, TEMPORARY, tpl.urgency[t_index])
            people.urgency[a_row, slot] = urg
            people.medical[a_row, slot] = tpl.medical[t_index]
            people.social[a_row, slot] = tpl.social[t_index]
            people.children[a_row, slot] = tpl.children[t_index]
            people.wheel[a_row, slot] = tpl.needs_wheelchair[t_index]
            people.arrived[a_row, slot] = m
            people.in_temp[a_row, slot] = urg == TEMPORARY
            people.temp_since[a_row, slot] = m
            people.refusals[a_row, slot] = 0
            people.origin[a_row, slot] = -1
            people.offered[a_row, slot] = False
            people.tiebreak[a_row, slot] = d[:, 1]
            people.profile[a_row, slot] = c.profile_code(
                tpl.medical[t_index], tpl.social[t_index], tpl.children[t_index], urg
            )
            people.htype[a_row, slot] = c.household_type(
                tpl.size[t_index], tpl.needs_wheelchair[t_index], sizes
            )

        # 4. start loans
        loans = c.draw_loans(rng, runs, lv.start_loans_per_year)
        if loans.any():
            eligible = (
                people.active & (people.urgency < TEMPORARY) & (people.social < LOAN_MAX_SOCIAL)
            )
            rank = np.cumsum(eligible, axis=1)
            take = eligible & (rank <= loans[:, None])
            tally.loans += take.sum(axis=1)
            _exit(tally, people, *_nonzero(take), m)

        # 5. vacancies: settlement, then offers by priority
        ready = exists & ~occupied & (ready_at <= m)
        rr, rc = _nonzero(ready)
        settle = c.draw_settlement(rng, np.bincount(rr, minlength=runs), lv.refugee_share)
        to_settle = _rank_in_row(rr, runs) < settle[rr]
        sr, sc = rr[to_settle], rc[to_settle]
        occupied[sr, sc] = True
        lease_end[sr, sc] = new_end
        tenant[sr, sc] = c.REFUGEES
        tally.settled += np.bincount(sr, minlength=runs)
        rr, rc = rr[~to_settle], rc[~to_settle]
        vac = np.zeros((runs, c.N_CLASSES), dtype=np.int64)
        np.add.at(vac, (rr, dclass[rc]), 1)

        active = people.active
        months_waited = np.clip(m - people.arrived, 0, table.shape[1] - 1)
        total = table[people.profile, months_waited]
        order = np.argsort(c.sort_key(total, people.tiebreak, active), axis=1)
        u_ref = c.draw_refusals(rng, runs, active.shape[1])
        htype = people.htype
        # Greedy, highest priority first (as husly.matching.propose_greedy). A household whose
        # type fits no vacancy left would get nothing, so each run jumps straight to the next
        # household whose type still fits a vacancy: per type, a queue in priority order.
        width = active.shape[1]
        n_types = compat.shape[0]
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(width)[None, :], axis=1)
        kind = np.where(active, htype, n_types).astype(np.int16)
        by_kind = np.argsort(np.take_along_axis(kind, order, axis=1), axis=1, kind="stable")
        grouped = np.take_along_axis(order, by_kind, axis=1)
        counts_t = np.bincount(
            (rows[:, None] * (n_types + 1) + kind).ravel(), minlength=runs * (n_types + 1)
        ).reshape(runs, n_types + 1)
        ptr = np.concatenate([np.zeros((runs, 1), np.int64), np.cumsum(counts_t, 1)], 1)[:, :-2]
        end = ptr + counts_t[:, :n_types]
        safe = np.minimum(ptr, width - 1)
        head = np.where(ptr < end, rank[rows[:, None], grouped[rows[:, None], safe]], width)
        seen_r: list[IntArray] = []
        seen_i: list[IntArray] = []
        seen_c: list[IntArray] = []
        while True:
            fits_type = ((vac > 0).astype(np.int64) @ compat.T) > 0
            best = np.where(fits_type, head, width)
            t = np.argmin(best, axis=1)
            ok = best[rows, t] < width
            if not ok.any():
                break
            r_ok, t_ok = rows[ok], t[ok]
            i_ok = grouped[r_ok, ptr[r_ok, t_ok]]
            ptr[r_ok, t_ok] += 1
            nxt = ptr[r_ok, t_ok]
            head[r_ok, t_ok] = np.where(
                nxt < end[r_ok, t_ok],
                rank[r_ok, grouped[r_ok, np.minimum(nxt, width - 1)]],
                width,
            )
            c_ok = np.argmax(np.where(vac[r_ok] > 0, fit[t_ok], -1.0), axis=1)
            yes = u_ref[r_ok, i_ok] >= refusal[r_ok]
            vac[r_ok[yes], c_ok[yes]] -= 1  # one household per run per step
            seen_r.append(r_ok)
            seen_i.append(i_ok)
            seen_c.append(c_ok)
        taken_r: list[IntArray] = []
        taken_c: list[IntArray] = []
        taken_g: list[IntArray] = []
        if seen_r:
            # the month's offers, in the order made: accounting once, vectorised
            r_ok, i_ok, c_ok = (
                np.concatenate(seen_r),
                np.concatenate(seen_i),
                np.concatenate(seen_c),
            )
            first = ~people.offered[r_ok, i_ok]
            _first_offer(tally, people, r_ok[first], i_ok[first], m, horizon, inp.promise_months)
            tally.offers += np.bincount(r_ok, minlength=runs)
            no = u_ref[r_ok, i_ok] < refusal[r_ok]
            yes = ~no
            ra, ia, ca = r_ok[yes], i_ok[yes], c_ok[yes]
            taken_r.append(ra)
            taken_c.append(ca)
            taken_g.append(people.group[ra, ia])
            np.add.at(tally.housed_by_group, (ra, people.group[ra, ia]), 1)
            _exit(tally, people, ra, ia, m, temporary_ends=True)
            rn, in_ = r_ok[no], i_ok[no]
            people.refusals[rn, in_] += 1
            tally.refusals += np.bincount(rn, minlength=runs)
            lapse = people.refusals[rn, in_] > lv.refusals_allowed
            if lapse.any():
                tally.removed_after_refusal += np.bincount(rn[lapse], minlength=runs)
                _exit(tally, people, rn[lapse], in_[lapse], m)
        if taken_r:
            t_r = np.concatenate(taken_r)
            t_c = np.concatenate(taken_c)
            t_g = np.concatenate(taken_g)
            o = np.argsort(t_r * c.N_CLASSES + t_c, kind="stable")
            t_r, t_c, t_g = t_r[o], t_c[o], t_g[o]
            key = rr * c.N_CLASSES + dclass[rc]
            o2 = np.argsort(key, kind="stable")
            dr, dc, dkey = rr[o2], rc[o2], key[o2]
            first_of = np.searchsorted(dkey, t_r * c.N_CLASSES + t_c)
            nth = np.arange(t_r.size) - np.searchsorted(
                t_r * c.N_CLASSES + t_c, t_r * c.N_CLASSES + t_c
            )
            pick = first_of + nth
            occupied[dr[pick], dc[pick]] = True
            lease_end[dr[pick], dc[pick]] = new_end
            tenant[dr[pick], dc[pick]] = t_g

        # 6. the six-month promise broken this month, and month-end counts
        act = people.active
        due = act & ~people.offered & (m - people.arrived == inp.promise_months)
        tally.promise_broken += due.sum(axis=1)
        tally.queue[:, m] = act.sum(axis=1)
        tally.in_temporary[:, m] = (act & people.in_temp).sum(axis=1)
        tally.vacant[:, m] = (exists & ~occupied).sum(axis=1)
    tally.stock_end[:] = exists.sum(axis=1)
    return tally


def _longest_wait(inp: SimulationInput) -> int:
    """Months waited the priority table must cover."""
    waited = inp.waiting.waited_days
    before = int(np.ceil(waited.max() / c.DAYS_PER_MONTH)) if waited.size else 0
    return before + inp.horizon_months + 1


def _first_offer(  # noqa: PLR0917
    tally: c.Tally,
    people: _People,
    r: IntArray,
    i: IntArray,
    m: int,
    horizon: int,
    promise: int,
) -> None:
    people.offered[r, i] = True
    arrived = people.arrived[r, i]
    wait = m - arrived
    np.add.at(tally.wait_hist, (r, np.minimum(wait, c.MAX_WAIT_MONTHS)), 1)
    deadline = arrived + promise
    kept = (wait <= promise) & (deadline >= 0) & (deadline < horizon)
    tally.promise_kept += np.bincount(r[kept], minlength=tally.runs)
    origin = people.origin[r, i]
    known = origin >= 0
    tally.first_offer[r[known], origin[known]] = m


def _exit(
    tally: c.Tally,
    people: _People,
    r: IntArray,
    i: IntArray,
    m: int,
    *,
    temporary_ends: bool = False,
) -> None:
    runs = tally.runs
    tally.exits += np.bincount(r, minlength=runs)
    tally.sojourn_months += np.bincount(r, weights=m - people.arrived[r, i], minlength=runs).astype(
        np.int64
    )
    if temporary_ends:
        was = people.in_temp[r, i]
        tally.temporary_months += np.bincount(
            r[was], weights=m - people.temp_since[r[was], i[was]], minlength=runs
        ).astype(np.int64)
        tally.temporary_ended += np.bincount(r[was], minlength=runs)
    people.active[r, i] = False
    people.in_temp[r, i] = False
