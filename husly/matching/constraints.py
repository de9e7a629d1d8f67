"""Hard constraints and fit for (household, dwelling) pairs, vectorised over many pairs at once.

Hard constraints (a pair breaking any of them is never proposed):

* **Size**: the dwelling's rooms must lie within the occupancy norm for the household's size
  (:class:`~husly.matching.policy.OccupancyNorm`; oslo L2464–2470, raelingen L1832–1834).
* **Wheelchair**: a household needing a wheelchair-accessible dwelling gets only such dwellings
  (required dwelling characteristics on the waiting-list entry, raelingen L3336–3349).
* **Floor and lift**: without a lift, the dwelling's floor may not exceed the highest floor the
  household can reach by stairs (same source; mobility flags, oslo L1791, L1797).
* **Category**: the dwelling's category (ordinary, with services, care, ...) must be one the
  household's decision approves (Rælingen's separate guidelines and decision teams for dwellings
  with and without services, raelingen §2.2–2.3, L2299–2305, L2389–2393; category dwellings,
  nova L565–578).
* **Area limits**: the dwelling's district must be one the household accepts (apply to own
  district, oslo L6537–6539; allocation outside it considered, L7679–7681; "location constraints"
  on the waiting-list entry, raelingen L2872–2898).
* **Spread rule** (tenants with heavy follow-up needs per building, see
  :class:`~husly.matching.policy.MatchingPolicy`): for one dwelling, a heavy-needs household is
  incompatible once the building has reached its limit. In a batch several dwellings of a building
  can fill the remaining room at once; ``husly.matching.batch`` handles that as a side constraint.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from husly.matching import explain as ex
from husly.matching.data import MatchingInput
from husly.matching.explain import Reason, reason
from husly.matching.priority import PriorityScores, score_priority

__all__ = ["Prepared", "prepare"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: A building limit meaning "no limit".
UNLIMITED = np.int64(1) << 40

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _splitmix(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    x = x + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


def _seeded_rank(seed: int, ids: IntArray, salt: int) -> IntArray:
    """Rank of each id in an order that depends only on (seed, id), not on array positions."""
    key = np.uint64((seed * 2 + salt) & 0xFFFFFFFFFFFFFFFF)
    x = _splitmix(_splitmix(ids.astype(np.uint64) ^ key))
    order = np.lexsort((ids, x))
    rank = np.empty(ids.size, dtype=np.int64)
    rank[order] = np.arange(ids.size, dtype=np.int64)
    return rank


@dataclass(frozen=True, eq=False)
class Prepared:
    """Per-run arrays derived once from a :class:`MatchingInput`: priorities, norm bounds, building
    capacities for the spread rule, and the top-band flag."""

    inp: MatchingInput
    scores: PriorityScores
    min_rooms: IntArray
    max_rooms: IntArray
    dwelling_building: IntArray
    building_limit: IntArray
    building_current: IntArray
    building_room: IntArray
    top_band: BoolArray

    # --- vectorised pair evaluation -------------------------------------------------------------

    def pair_reasons(self, hi: IntArray, dj: IntArray) -> NDArray[np.uint8]:
        """Constraint bits (``explain.CONSTRAINT_BITS``) per pair; 0 means compatible.

        ``hi`` (household positions) and ``dj`` (dwelling positions) broadcast against each other.
        """
        h, d = self.inp.households, self.inp.dwellings
        rooms = d.rooms[dj]
        bits = np.where(rooms < self.min_rooms[hi], ex.TOO_FEW_ROOMS, 0).astype(np.uint8)
        bits |= np.where(rooms > self.max_rooms[hi], ex.TOO_MANY_ROOMS, 0).astype(np.uint8)
        bits |= np.where(
            h.needs_wheelchair[hi] & ~d.wheelchair_accessible[dj], ex.NOT_WHEELCHAIR_ACCESSIBLE, 0
        ).astype(np.uint8)
        bits |= np.where(
            (d.floor[dj] > h.max_floor_without_lift[hi]) & ~d.has_lift[dj], ex.FLOOR_WITHOUT_LIFT, 0
        ).astype(np.uint8)
        bits |= np.where(
            (h.categories[hi] >> d.category[dj]) & 1 == 0, ex.CATEGORY_NOT_APPROVED, 0
        ).astype(np.uint8)
        bits |= np.where(
            (h.allowed_districts[hi] >> d.district[dj]) & 1 == 0, ex.OUTSIDE_AREA, 0
        ).astype(np.uint8)
        full = self.building_room[self.dwelling_building[dj]] <= 0
        bits |= np.where(h.heavy_needs[hi] & full, ex.BUILDING_HEAVY_NEEDS_LIMIT, 0).astype(
            np.uint8
        )
        return bits

    def pair_fit(self, hi: IntArray, dj: IntArray) -> FloatArray:
        """Fit in [``minimum_fit``, 1] per pair (meaningful for compatible pairs)."""
        h, d = self.inp.households, self.inp.dwellings
        fw = self.inp.matching_policy.fit
        extra = np.maximum(d.rooms[dj] - self.min_rooms[hi], 0)
        pref = h.preferred_district[hi]
        penalty = fw.extra_room_penalty * extra
        penalty = penalty + np.where(
            (pref >= 0) & (pref != d.district[dj]), fw.outside_preferred_district_penalty, 0.0
        )
        unneeded = d.wheelchair_accessible[dj] & ~h.needs_wheelchair[hi]
        penalty = penalty + np.where(unneeded, fw.unneeded_accessible_penalty, 0.0)
        fit: FloatArray = np.maximum(fw.minimum_fit, 1.0 - penalty)
        return fit

    def weighted_fit(self, hi: IntArray, fit: FloatArray) -> FloatArray:
        """Priority points × fit, rounded to the policy's ``weight_resolution`` grid."""
        res = self.inp.matching_policy.weight_resolution
        return np.round(self.scores.total[hi] * fit / res) * res

    @cached_property
    def household_rank(self) -> IntArray:
        """Seeded order of households (0 first): the tie-break between equal candidates."""
        return _seeded_rank(self.inp.seed, self.inp.households.id, 1)

    @cached_property
    def dwelling_rank(self) -> IntArray:
        """Seeded order of dwellings (0 first)."""
        return _seeded_rank(self.inp.seed, self.inp.dwellings.id, 2)

    def jitter(self, hi: IntArray, dj: IntArray) -> FloatArray:
        """Seeded tie-break in [0, 1) per pair, from (seed, household id, dwelling id) only, so it
        does not depend on the order of the input arrays."""
        seed = np.uint64(self.inp.seed & 0xFFFFFFFFFFFFFFFF)
        hid = self.inp.households.id[hi].astype(np.uint64)
        did = self.inp.dwellings.id[dj].astype(np.uint64)
        x = _splitmix(_splitmix(_splitmix(np.broadcast_to(seed, hid.shape) ^ hid)) ^ did)
        return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)

    # --- explanations for single pairs ----------------------------------------------------------

    def why_not(self, i: int, j: int, bits: int) -> tuple[Reason, ...]:
        """Norwegian reasons for every constraint set in ``bits`` for household ``i``, dwelling
        ``j`` (array positions)."""
        h, d, vocab = self.inp.households, self.inp.dwellings, self.inp.vocabulary
        b = int(self.dwelling_building[j])
        out: list[Reason] = []
        for code in ex.constraint_codes(bits):
            if code in ("too_few_rooms", "too_many_rooms"):
                out.append(
                    reason(
                        code,
                        rooms=int(d.rooms[j]),
                        persons=int(h.size[i]),
                        min_rooms=int(self.min_rooms[i]),
                        max_rooms=int(self.max_rooms[i]),
                    )
                )
            elif code == "floor_without_lift":
                out.append(
                    reason(code, floor=int(d.floor[j]), max_floor=int(h.max_floor_without_lift[i]))
                )
            elif code == "category_not_approved":
                out.append(reason(code, category=vocab.categories[int(d.category[j])]))
            elif code == "outside_area":
                out.append(reason(code, district=vocab.districts[int(d.district[j])]))
            elif code == "building_heavy_needs_limit":
                out.append(
                    reason(
                        code,
                        current=int(self.building_current[b]),
                        limit=int(self.building_limit[b]),
                    )
                )
            else:
                out.append(reason(code))
        return tuple(out)

    def why_fits(self, i: int, j: int) -> tuple[Reason, ...]:
        """Norwegian reasons a compatible pair fits, ending with the fit arithmetic."""
        h, d, vocab = self.inp.households, self.inp.dwellings, self.inp.vocabulary
        hi, dj = np.array([i]), np.array([j])
        out = [
            reason(
                "rooms_within_norm",
                rooms=int(d.rooms[j]),
                persons=int(h.size[i]),
                min_rooms=int(self.min_rooms[i]),
                max_rooms=int(self.max_rooms[i]),
            ),
            reason("category_approved", category=vocab.categories[int(d.category[j])]),
        ]
        district = vocab.districts[int(d.district[j])]
        if int(h.preferred_district[i]) == int(d.district[j]):
            out.append(reason("preferred_district", district=district))
        else:
            out.append(reason("accepted_district", district=district))
        if bool(h.needs_wheelchair[i]) or int(h.max_floor_without_lift[i]) < int(d.floor[j]):
            out.append(reason("accessibility_met"))
        if bool(d.wheelchair_accessible[j]) and not bool(h.needs_wheelchair[i]):
            out.append(reason("accessible_unit_not_needed"))
        rule_on = self.inp.matching_policy.max_heavy_needs_per_building is not None
        if bool(h.heavy_needs[i]) and rule_on:
            b = int(self.dwelling_building[j])
            out.append(
                reason(
                    "spread_rule_ok",
                    current=int(self.building_current[b]),
                    limit=int(self.building_limit[b]),
                )
            )
        fit = float(self.pair_fit(hi, dj)[0])
        out.append(
            reason(
                "fit_score",
                fit=fit,
                points=float(self.scores.total[i]),
                weighted=float(self.weighted_fit(hi, np.array([fit]))[0]),
            )
        )
        return tuple(out)


def prepare(inp: MatchingInput) -> Prepared:
    """Score priorities and derive the per-run arrays (vectorised)."""
    scores = score_priority(inp.priority_policy, inp.households)
    lo, hi = inp.matching_policy.occupancy.bounds(inp.households.size)
    order = np.argsort(inp.buildings.id, kind="stable")
    pos = np.searchsorted(inp.buildings.id, inp.dwellings.building_id, sorter=order)
    dwelling_building = order[pos].astype(np.int64)
    rule = inp.matching_policy.max_heavy_needs_per_building
    own = inp.buildings.heavy_needs_limit
    limit = np.where(own >= 0, own, UNLIMITED if rule is None else rule).astype(np.int64)
    current = inp.buildings.heavy_needs_tenants.astype(np.int64)
    return Prepared(
        inp=inp,
        scores=scores,
        min_rooms=lo,
        max_rooms=hi,
        dwelling_building=dwelling_building,
        building_limit=limit,
        building_current=current,
        building_room=np.maximum(limit - current, 0),
        top_band=scores.band == 0,
    )
