"""The same simulation as :mod:`husly.simulation.engine`, written the plain way: one run, one
dwelling and one household at a time in Python loops.

It draws the same random numbers in the same order (``husly.simulation.common``), so on the
same input it returns exactly the same counters: the test oracle for the vectorised engine, and
the baseline that ``./dev bench simulation`` measures the engine against.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from husly.simulation import common as c
from husly.simulation.engine import LOAN_MAX_SOCIAL
from husly.simulation.model import GROUPS, SimulationInput
from husly.simulation.result import SimulationResult

__all__ = ["simulate_reference"]

TEMPORARY = 4


def simulate_reference(inp: SimulationInput) -> SimulationResult:
    started = time.perf_counter()
    tally = _Reference(inp).run()
    return SimulationResult.from_tally(inp, tally, seconds=time.perf_counter() - started)


@dataclass
class _Slot:
    """One waiting household."""

    size: int
    group: int
    urgency: int
    medical: float
    social: float
    children: float
    wheel: bool
    arrived: int
    in_temp: bool
    temp_since: int
    refusals: int
    origin: int
    offered: bool
    tiebreak: float


class _Reference:
    def __init__(self, inp: SimulationInput) -> None:
        self.inp = inp
        self.rng = np.random.default_rng(inp.seed)
        self.tally = c.Tally(runs=inp.runs, months=inp.horizon_months, initial=len(inp.waiting))
        self.fit = c.fit_matrix(inp.matching_policy)
        self.sizes = c.n_sizes(inp.matching_policy)
        self.policy = inp.levers.priority_policy

    def run(self) -> c.Tally:  # noqa: PLR0912, PLR0915 - the plain way, on purpose
        inp, rng, tally = self.inp, self.rng, self.tally
        runs, horizon, rates, lv = inp.runs, inp.horizon_months, inp.rates, inp.levers
        w = inp.waiting
        n0 = len(w)
        cap = c.initial_capacity(inp)
        tiebreak = rng.random((runs, cap))
        # people[r] is a list of slots; a slot is a dict or None (free)
        people: list[list[_Slot | None]] = []
        for r in range(runs):
            slots: list[_Slot | None] = [None] * cap
            for i in range(n0):
                slots[i] = _Slot(
                    size=int(w.size[i]),
                    group=int(w.group[i]),
                    urgency=int(w.urgency[i]),
                    medical=float(w.medical[i]),
                    social=float(w.social[i]),
                    children=float(w.children[i]),
                    wheel=bool(w.needs_wheelchair[i]),
                    arrived=-round(float(w.waited_days[i]) / c.DAYS_PER_MONTH),
                    in_temp=bool(w.in_temporary[i]),
                    temp_since=0,
                    refusals=int(w.refusals[i]),
                    origin=i,
                    offered=False,
                    tiebreak=float(tiebreak[r, i]),
                )
            people.append(slots)
        tiebreaks = [list(tiebreak[r]) for r in range(runs)]

        st = inp.stock
        d0, dcap = len(st), c.stock_capacity(inp)
        rooms = [int(x) for x in st.rooms] + [0] * (dcap - d0)
        acc = [bool(x) for x in st.wheelchair_accessible] + [False] * (dcap - d0)
        for k in range(dcap - d0):
            rooms[d0 + k], acc[d0 + k] = c.added_dwelling(inp, k)
        dclass = [int(x) for x in c.dwelling_class(np.array(rooms), np.array(acc))]
        exists = [[j < d0 for j in range(dcap)] for _ in range(runs)]
        occupied = [[j < d0 and bool(st.occupied[j]) for j in range(dcap)] for _ in range(runs)]
        lease_end = [
            [int(st.lease_end_month[j]) if j < d0 else -1 for j in range(dcap)] for _ in range(runs)
        ]
        tenant = [
            [int(st.tenant_group[j]) if j < d0 else -1 for j in range(dcap)] for _ in range(runs)
        ]
        ready_at = [
            [int(st.ready_month[j]) if j < d0 else 0 for j in range(dcap)] for _ in range(runs)
        ]
        added = d0
        backlog = [0] * runs
        tpl = inp.templates
        pools = [[t for t in range(len(tpl)) if tpl.group[t] == g] for g in range(len(GROUPS))]
        everyone = list(range(len(tpl)))
        length = lv.lease_length_months
        run_rates = c.draw_run_rates(inp)
        th = c.Thresholds.of(inp, run_rates)

        for m in range(horizon):
            new_end = m + length if length > 0 else -1
            u = c.draw_dwellings(rng, runs, dcap)
            back: list[list[int]] = [[] for _ in range(runs)]
            for r in range(runs):
                for j in range(dcap):
                    if not (exists[r][j] and occupied[r][j]):
                        continue
                    x = float(u[r, j])
                    vacate = False
                    if lease_end[r][j] == m:
                        tally.lease_ends[r] += 1
                        if x < th.leave[r]:
                            tally.left_at_end[r] += 1
                            vacate = True
                        elif x < th.fail[r]:
                            tally.not_renewed[r] += 1
                            if x < th.back_nr[r]:
                                tally.back_after_nonrenewal[r] += 1
                                back[r].append(tenant[r][j])
                            vacate = True
                        else:
                            tally.renewed[r] += 1
                            lease_end[r][j] = new_end
                    elif x < th.evict[r]:
                        tally.exposure[r] += 1
                        tally.evictions[r] += 1
                        if x < th.back_ev[r]:
                            tally.back_after_eviction[r] += 1
                            back[r].append(tenant[r][j])
                        vacate = True
                    elif x < th.move[r]:
                        tally.exposure[r] += 1
                        tally.moved_out[r] += 1
                        vacate = True
                    else:
                        tally.exposure[r] += 1
                    if vacate:
                        occupied[r][j] = False
                        lease_end[r][j] = -1
                        tenant[r][j] = -1
                        ready_at[r][j] = m + rates.turnaround_months

            for _ in range(c.steps(m, lv.bought_per_year + lv.head_leased_per_year)):
                for r in range(runs):
                    exists[r][added] = True
                    ready_at[r][added] = m
                added += 1
            for r in range(runs):
                backlog[r] += c.steps(m, lv.sold_per_year)
                for j in range(dcap):
                    if backlog[r] == 0:
                        break
                    if exists[r][j] and not occupied[r][j] and ready_at[r][j] <= m:
                        exists[r][j] = False
                        backlog[r] -= 1

            counts = c.draw_arrival_counts(rng, run_rates.arrivals)
            lists: list[list[tuple[int, bool]]] = []
            for r in range(runs):
                arrivals = [(g, True) for g in back[r]]
                for g in range(len(GROUPS)):
                    arrivals += [(g, False)] * int(counts[r, g])
                lists.append(arrivals)
            width = max((len(a) for a in lists), default=0)
            if width:
                draws = c.draw_arrivals(rng, runs, width)
                accepted: list[list[tuple[int, bool, int]]] = []
                for r in range(runs):
                    mine = []
                    for pos, (g, is_back) in enumerate(lists[r]):
                        if not is_back:
                            tally.applications[r, g] += 1
                        refused_res = (
                            not is_back
                            and lv.residence_requirement
                            and float(draws[r, pos, 2]) < rates.residence_fail_share[g]
                        )
                        if refused_res:
                            tally.residence_refused[r] += 1
                            tally.residence_refused_by_group[r, g] += 1
                        else:
                            mine.append((g, is_back, pos))
                    accepted.append(mine)
                short = max(len(accepted[r]) - people[r].count(None) for r in range(runs))
                if short > 0:
                    extra = max(short, len(people[0]))
                    more = rng.random((runs, extra))
                    for r in range(runs):
                        people[r] += [None] * extra
                        tiebreaks[r] += list(more[r])
                for r in range(runs):
                    free = [i for i, p in enumerate(people[r]) if p is None]
                    tally.arrivals[r] += len(accepted[r])
                    for k, (g, is_back, pos) in enumerate(accepted[r]):
                        pool = pools[g] or everyone
                        shares = run_rates.mix[g] if run_rates.mix else None
                        if shares is not None:
                            at = c.pick_templates(
                                shares, np.array([r]), np.array([float(draws[r, pos, 0])])
                            )
                            t = pool[int(at[0])]
                        else:
                            t = pool[int(float(draws[r, pos, 0]) * len(pool))]
                        urgency = TEMPORARY if is_back else int(tpl.urgency[t])
                        people[r][free[k]] = _Slot(
                            size=int(tpl.size[t]),
                            group=g,
                            urgency=urgency,
                            medical=float(tpl.medical[t]),
                            social=float(tpl.social[t]),
                            children=float(tpl.children[t]),
                            wheel=bool(tpl.needs_wheelchair[t]),
                            arrived=m,
                            in_temp=urgency == TEMPORARY,
                            temp_since=m,
                            refusals=0,
                            origin=-1,
                            offered=False,
                            tiebreak=float(draws[r, pos, 1]),
                        )

            loans = c.draw_loans(rng, runs, lv.start_loans_per_year)
            for r in range(runs):
                left = int(loans[r])
                for i, p in enumerate(people[r]):
                    if left == 0:
                        break
                    if p is None:
                        continue
                    if int(p.urgency) < TEMPORARY and float(p.social) < LOAN_MAX_SOCIAL:
                        tally.loans[r] += 1
                        self._exit(r, people[r], i, m, temporary_ends=False)
                        left -= 1

            ready = [
                [
                    j
                    for j in range(dcap)
                    if exists[r][j] and not occupied[r][j] and ready_at[r][j] <= m
                ]
                for r in range(runs)
            ]
            settle = c.draw_settlement(
                rng, np.array([len(x) for x in ready], dtype=np.int64), lv.refugee_share
            )
            u_ref = c.draw_refusals(rng, runs, len(people[0]))
            for r in range(runs):
                for j in ready[r][: int(settle[r])]:
                    occupied[r][j] = True
                    lease_end[r][j] = new_end
                    tenant[r][j] = c.REFUGEES
                    tally.settled[r] += 1
                rest = ready[r][int(settle[r]) :]
                vac = [0] * c.N_CLASSES
                for j in rest:
                    vac[dclass[j]] += 1
                taken: list[list[int]] = [[] for _ in range(c.N_CLASSES)]
                for i in self._priority_order(people[r], m):
                    p = people[r][i]
                    assert p is not None  # noqa: S101 - a slot in the order is occupied
                    t = int(
                        c.household_type(np.array([p.size]), np.array([p.wheel]), self.sizes)[0]
                    )
                    best, best_fit = -1, 0.0
                    for k in range(c.N_CLASSES):
                        f = float(self.fit[t, k])
                        if vac[k] > 0 and f > best_fit:
                            best, best_fit = k, f
                    if best < 0:
                        continue
                    self._first_offer(r, p, m)
                    tally.offers[r] += 1
                    if float(u_ref[r, i]) < run_rates.refusal[r]:
                        tally.refusals[r] += 1
                        p.refusals = int(p.refusals) + 1
                        if int(p.refusals) > lv.refusals_allowed:
                            tally.removed_after_refusal[r] += 1
                            self._exit(r, people[r], i, m, temporary_ends=False)
                        continue
                    vac[best] -= 1
                    taken[best].append(int(p.group))
                    tally.housed_by_group[r, int(p.group)] += 1
                    self._exit(r, people[r], i, m, temporary_ends=True)
                for k in range(c.N_CLASSES):
                    same_class = [j for j in rest if dclass[j] == k]
                    for j, g in zip(same_class, taken[k], strict=False):
                        occupied[r][j] = True
                        lease_end[r][j] = new_end
                        tenant[r][j] = g

            for r in range(runs):
                for p in people[r]:
                    if p is None:
                        continue
                    if not p.offered and m - int(p.arrived) == self.inp.promise_months:
                        tally.promise_broken[r] += 1
                tally.queue[r, m] = sum(p is not None for p in people[r])
                tally.in_temporary[r, m] = sum(p is not None and bool(p.in_temp) for p in people[r])
                tally.vacant[r, m] = sum(exists[r][j] and not occupied[r][j] for j in range(dcap))
        for r in range(runs):
            tally.stock_end[r] = sum(exists[r])
        return tally

    def _priority_order(self, slots: list[_Slot | None], m: int) -> list[int]:
        live = [i for i, p in enumerate(slots) if p is not None]
        if not live:
            return []
        ps = [slots[i] for i in live]

        def col(name: str, dtype: type) -> npt.NDArray[Any]:
            return np.array([getattr(p, name) for p in ps if p is not None], dtype=dtype)

        arrived = col("arrived", np.int64)
        total = c.priority_total(
            self.policy,
            col("medical", np.float64),
            col("social", np.float64),
            col("children", np.float64),
            col("urgency", np.int64),
            c.waited_days(m, arrived),
        )
        key = c.sort_key(total, col("tiebreak", np.float64), np.ones(len(live), dtype=np.bool_))
        return [live[k] for k in sorted(range(len(live)), key=lambda k: float(key[k]))]

    def _first_offer(self, r: int, p: _Slot, m: int) -> None:
        if p.offered:
            return
        p.offered = True
        arrived = int(p.arrived)
        wait = m - arrived
        self.tally.wait_hist[r, min(wait, c.MAX_WAIT_MONTHS)] += 1
        deadline = arrived + self.inp.promise_months
        if wait <= self.inp.promise_months and 0 <= deadline < self.inp.horizon_months:
            self.tally.promise_kept[r] += 1
        origin = int(p.origin)
        if origin >= 0:
            self.tally.first_offer[r, origin] = m

    def _exit(
        self,
        r: int,
        slots: list[_Slot | None],
        i: int,
        m: int,
        *,
        temporary_ends: bool,
    ) -> None:
        p = slots[i]
        assert p is not None  # noqa: S101 - a household leaving holds its slot
        self.tally.exits[r] += 1
        self.tally.sojourn_months[r] += m - int(p.arrived)
        if temporary_ends and p.in_temp:
            self.tally.temporary_months[r] += m - int(p.temp_since)
            self.tally.temporary_ended[r] += 1
        slots[i] = None
