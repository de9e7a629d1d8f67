"""Ranked shortlist of compatible households for one vacant dwelling, with reasons.

Ranking: compatible households by priority-weighted fit (priority points × fit, see
``husly.matching.constraints``), highest first; ties in the run's seeded order of households.
This follows Rælingen guideline point 6 (raelingen L5451–5463: the most pressing need first,
given "which types of dwellings are available") and "right dwelling to the right tenant" (oslo
L7677–7678). The decision team still decides: the French allocation commissions examine about
three candidates per dwelling and remain sovereign (peers.md §1.4); the shortlist is a decision
aid.

Why others do not fit: every household is checked against the hard constraints at once; the
highest-priority incompatible households are listed with all their reasons, and counts per reason
cover the whole list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from husly.matching import explain as ex
from husly.matching.constraints import Prepared, prepare
from husly.matching.data import MatchingInput
from husly.matching.explain import Reason
from husly.matching.priority import PriorityBreakdown

__all__ = ["Candidate", "Exclusion", "Shortlist", "shortlist_for_dwelling"]


@dataclass(frozen=True)
class Candidate:
    """A compatible household, its rank, priority breakdown, fit and why it fits."""

    rank: int
    household_id: int
    priority: PriorityBreakdown
    fit: float
    weighted_fit: float
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "household_id": self.household_id,
            "priority": self.priority.to_dict(),
            "fit": self.fit,
            "weighted_fit": self.weighted_fit,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class Exclusion:
    """An incompatible household and every reason it does not fit this dwelling."""

    household_id: int
    priority_points: float
    band: str
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "household_id": self.household_id,
            "priority_points": self.priority_points,
            "band": self.band,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class Shortlist:
    """The shortlist for one dwelling.

    ``excluded`` lists the highest-priority incompatible households (up to the requested number);
    ``excluded_counts`` counts, over all households, how many break each constraint (a household
    can break several).
    """

    dwelling_id: int
    candidates: tuple[Candidate, ...]
    n_compatible: int
    excluded: tuple[Exclusion, ...]
    excluded_counts: dict[str, int]
    priority_policy_version: str
    matching_policy_version: str
    input_digest: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "dwelling_id": self.dwelling_id,
            "candidates": [c.to_dict() for c in self.candidates],
            "n_compatible": self.n_compatible,
            "excluded": [e.to_dict() for e in self.excluded],
            "excluded_counts": dict(self.excluded_counts),
            "priority_policy_version": self.priority_policy_version,
            "matching_policy_version": self.matching_policy_version,
            "input_digest": self.input_digest,
        }


def dwelling_position(prep: Prepared, dwelling_id: int) -> int:
    hits = np.flatnonzero(prep.inp.dwellings.id == dwelling_id)
    if hits.size != 1:
        raise KeyError(f"dwelling {dwelling_id} is not among the vacant dwellings")
    return int(hits[0])


def rank_for_dwelling(prep: Prepared, j: int) -> tuple[np.ndarray[Any, Any], ...]:
    """(order of compatible household positions, their fit, weighted fit, all constraint bits)."""
    n = len(prep.inp.households)
    hi = np.arange(n, dtype=np.int64)
    dj = np.full(n, j, dtype=np.int64)
    bits = prep.pair_reasons(hi, dj)
    ok = np.flatnonzero(bits == 0)
    fit = prep.pair_fit(ok, dj[: ok.size])
    weighted = prep.weighted_fit(ok, fit)
    order = np.lexsort((prep.household_rank[ok], -weighted))
    return ok[order], fit[order], weighted[order], bits


def shortlist_for_dwelling(
    inp: MatchingInput | Prepared,
    dwelling_id: int,
    *,
    limit: int = 10,
    explain_excluded: int = 10,
) -> Shortlist:
    """Ranked compatible households for one vacant dwelling, with reasons, and the reasons the
    highest-priority other households do not fit."""
    prep = inp if isinstance(inp, Prepared) else prepare(inp)
    j = dwelling_position(prep, dwelling_id)
    order, fit, weighted, bits = rank_for_dwelling(prep, j)
    ids = prep.inp.households.id
    candidates = tuple(
        Candidate(
            rank=r + 1,
            household_id=int(ids[i]),
            priority=prep.scores.breakdown(int(i)),
            fit=float(fit[r]),
            weighted_fit=float(weighted[r]),
            reasons=prep.why_fits(int(i), j),
        )
        for r, i in enumerate(order[:limit])
    )
    bad = np.flatnonzero(bits != 0)
    by_priority = bad[np.lexsort((ids[bad], -prep.scores.total[bad]))][:explain_excluded]
    excluded = tuple(
        Exclusion(
            household_id=int(ids[i]),
            priority_points=float(prep.scores.total[i]),
            band=prep.scores.band_name(int(i)),
            reasons=prep.why_not(int(i), j, int(bits[i])),
        )
        for i in by_priority
    )
    counts = {
        code: int(np.count_nonzero(bits & bit))
        for code, bit in ex.CONSTRAINT_BITS.items()
        if np.any(bits & bit)
    }
    return Shortlist(
        dwelling_id=dwelling_id,
        candidates=candidates,
        n_compatible=int(order.size),
        excluded=excluded,
        excluded_counts=counts,
        priority_policy_version=prep.inp.priority_policy.version,
        matching_policy_version=prep.inp.matching_policy.version,
        input_digest=prep.inp.digest(),
    )
