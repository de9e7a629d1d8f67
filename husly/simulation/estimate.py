"""Rates from counted history (plain numbers in, :class:`Rates` out; no Django).

The Django side (``husly.policy.inputs``) counts events in the database over a window of months;
the back-tests count them in a synthetic history. Each rate is the plain ratio of events to
exposure (maximum likelihood for a Poisson arrival rate and for Bernoulli shares and monthly
hazards); the counts the arrivals, the hazards and the refusal share rest on go with them, so
that each run can draw its rates from their uncertainty (see :class:`Rates`). A ratio with no
exposure falls back to the default in :class:`Rates`, and the fallback is listed so the page
can say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from husly.simulation.model import GROUPS, Rates

__all__ = ["HistoryCounts", "estimate_rates"]


@dataclass(frozen=True)
class HistoryCounts:
    """Events counted over ``months`` months of history.

    ``applications`` and ``residence_refused`` by group (:data:`GROUPS`); ``exposure``:
    tenancy-months at risk of a move or an eviction (leases in force, not at their end);
    ``vacancy_months``: months from a move-out to the next lease, summed over ``relets``.
    """

    months: int
    applications: Sequence[int]
    residence_refused: Sequence[int]
    offers: int = 0
    refusals: int = 0
    exposure: int = 0
    moved_out: int = 0
    evictions: int = 0
    lease_ends: int = 0
    left_at_end: int = 0
    not_renewed: int = 0
    back_after_nonrenewal: int = 0
    back_after_eviction: int = 0
    vacancy_months: float = 0.0
    relets: int = 0
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.months < 1:
            raise ValueError("at least one month of history is needed")
        if len(self.applications) != len(GROUPS) or len(self.residence_refused) != len(GROUPS):
            raise ValueError("applications and residence_refused need one count per group")

    def to_dict(self) -> dict[str, Any]:
        return {
            "months": self.months,
            "applications": list(self.applications),
            "residence_refused": list(self.residence_refused),
            "offers": self.offers,
            "refusals": self.refusals,
            "exposure": self.exposure,
            "moved_out": self.moved_out,
            "evictions": self.evictions,
            "lease_ends": self.lease_ends,
            "left_at_end": self.left_at_end,
            "not_renewed": self.not_renewed,
            "back_after_nonrenewal": self.back_after_nonrenewal,
            "back_after_eviction": self.back_after_eviction,
            "vacancy_months": self.vacancy_months,
            "relets": self.relets,
        }


def _share(events: float, exposure: float, default: float, name: str, fell: list[str]) -> float:
    if exposure <= 0:
        fell.append(name)
        return default
    return min(1.0, max(0.0, events / exposure))


def estimate_rates(counts: HistoryCounts) -> tuple[Rates, tuple[str, ...]]:
    """Rates from the counts, and the names of rates that fell back to a default."""
    d = Rates(arrivals_per_month=(0.0,) * len(GROUPS), residence_fail_share=(0.0,) * len(GROUPS))
    fell: list[str] = []
    arrivals = tuple(a / counts.months for a in counts.applications)
    residence = tuple(
        _share(r, a, 0.0, f"residence_fail_share.{g}", fell)
        for g, r, a in zip(GROUPS, counts.residence_refused, counts.applications, strict=True)
    )
    leave = _share(counts.left_at_end, counts.lease_ends, d.leave_at_lease_end, "leave", fell)
    fail = _share(counts.not_renewed, counts.lease_ends, d.renewal_test_fail_share, "fail", fell)
    if leave + fail > 1:
        fail = 1 - leave
    move = _share(counts.moved_out, counts.exposure, d.move_out_per_month, "move_out", fell)
    evict = _share(counts.evictions, counts.exposure, d.eviction_per_month, "eviction", fell)
    turnaround = (
        round(counts.vacancy_months / counts.relets) if counts.relets else d.turnaround_months
    )
    if not counts.relets:
        fell.append("turnaround_months")
    rates = Rates(
        arrivals_per_month=arrivals,
        residence_fail_share=residence,
        refusal_share=_share(counts.refusals, counts.offers, d.refusal_share, "refusal", fell),
        move_out_per_month=move,
        eviction_per_month=evict,
        leave_at_lease_end=leave,
        renewal_test_fail_share=fail,
        return_after_nonrenewal=_share(
            counts.back_after_nonrenewal,
            counts.not_renewed,
            d.return_after_nonrenewal,
            "return_after_nonrenewal",
            fell,
        ),
        return_after_eviction=_share(
            counts.back_after_eviction,
            counts.evictions,
            d.return_after_eviction,
            "return_after_eviction",
            fell,
        ),
        turnaround_months=int(turnaround),
        # what they were read from: each run draws its rates from their uncertainty (Rates)
        arrivals_observed=tuple(int(a) for a in counts.applications),
        ends_observed=counts.moved_out + counts.evictions if counts.exposure > 0 else None,
        offers_observed=counts.offers if counts.offers > 0 else None,
    )
    return rates, tuple(fell)


def counts_from_tally(counters: Mapping[str, Any], run: int, months: int) -> HistoryCounts:
    """History counts from one run of a simulation (the synthetic history of the back-tests)."""

    def one(name: str) -> Any:
        return counters[name][run]

    return HistoryCounts(
        months=months,
        applications=[int(x) for x in one("applications")],
        residence_refused=[int(x) for x in one("residence_refused_by_group")],
        offers=int(one("offers")),
        refusals=int(one("refusals")),
        exposure=int(one("exposure")),
        moved_out=int(one("moved_out")),
        evictions=int(one("evictions")),
        lease_ends=int(one("lease_ends")),
        left_at_end=int(one("left_at_end")),
        not_renewed=int(one("not_renewed")),
        back_after_nonrenewal=int(one("back_after_nonrenewal")),
        back_after_eviction=int(one("back_after_eviction")),
    )
