"""What a simulation returns: per-run counters, figures with bands across runs, and each waiting
household's chance of an offer within N months."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from husly.simulation.model import GROUPS

if TYPE_CHECKING:
    from husly.simulation.common import Tally
    from husly.simulation.model import SimulationInput

__all__ = ["BAND", "FIGURES", "Band", "SimulationResult", "compare"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Percentiles of the band reported across runs.
BAND: tuple[float, float] = (10.0, 90.0)

#: The figures, in the order shown (name → unit).
FIGURES: tuple[tuple[str, str], ...] = (
    ("wait_median", "months"),
    ("wait_p90", "months"),
    ("wait_mean", "months"),
    ("promise_kept_share", "share"),
    ("housed_per_year", "households"),
    ("settled_per_year", "households"),
    ("loans_per_year", "households"),
    ("queue_mean", "households"),
    ("queue_end", "households"),
    ("vacant_mean", "dwellings"),
    ("in_temporary_mean", "households"),
    ("temporary_months_mean", "months"),
    ("evictions_per_year", "households"),
    ("refusals_per_year", "offers"),
    ("removed_after_refusal_per_year", "households"),
    ("stock_end", "dwellings"),
)


@dataclass(frozen=True)
class Band:
    low: float
    median: float
    high: float

    def to_dict(self) -> dict[str, float]:
        return {"low": self.low, "median": self.median, "high": self.high}


def _band(values: FloatArray) -> Band:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        nan = float("nan")
        return Band(nan, nan, nan)
    lo, mid, hi = np.percentile(finite, [BAND[0], 50.0, BAND[1]])
    return Band(float(lo), float(mid), float(hi))


def hist_percentile(hist: IntArray, q: float) -> FloatArray:
    """Per run, the ``q``-th percentile (0–100) of waits given as a histogram by month."""
    total = hist.sum(axis=1)
    cum = np.cumsum(hist, axis=1)
    target = np.ceil(total * q / 100.0)
    out = np.argmax(cum >= np.maximum(target, 1)[:, None], axis=1).astype(np.float64)
    out[total == 0] = np.nan
    result: FloatArray = out
    return result


def _ratio(a: Any, b: Any) -> FloatArray:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)
    return out


@dataclass(frozen=True)
class SimulationResult:
    """Per-run counters (``counters``, plain lists) with the input's identity."""

    input_digest: str
    runs: int
    horizon_months: int
    household_ids: tuple[int, ...]
    counters: Mapping[str, Any]
    seconds: float = 0.0

    FORMAT = "husly.simulation.result/1"

    @classmethod
    def from_tally(cls, inp: SimulationInput, tally: Tally, *, seconds: float) -> SimulationResult:
        return cls(
            input_digest=inp.digest(),
            runs=inp.runs,
            horizon_months=inp.horizon_months,
            household_ids=tuple(int(x) for x in inp.waiting.id),
            counters=tally.to_dict(),
            seconds=seconds,
        )

    def array(self, name: str) -> NDArray[Any]:
        return np.asarray(self.counters[name], dtype=np.float64)

    def per_run(self) -> dict[str, FloatArray]:
        """Each figure, one value per run."""
        years = self.horizon_months / 12.0
        hist = np.asarray(self.counters["wait_hist"], dtype=np.int64)
        months = np.arange(hist.shape[1], dtype=np.float64)
        housed = self.array("housed_by_group")
        return {
            "wait_median": hist_percentile(hist, 50.0),
            "wait_p90": hist_percentile(hist, 90.0),
            "wait_mean": _ratio((hist * months).sum(axis=1), hist.sum(axis=1)),
            "promise_kept_share": _ratio(
                self.array("promise_kept"),
                self.array("promise_kept") + self.array("promise_broken"),
            ),
            "housed_per_year": housed.sum(axis=1) / years,
            "settled_per_year": self.array("settled") / years,
            "loans_per_year": self.array("loans") / years,
            "queue_mean": self.array("queue").mean(axis=1),
            "queue_end": self.array("queue")[:, -1],
            "vacant_mean": self.array("vacant").mean(axis=1),
            "in_temporary_mean": self.array("in_temporary").mean(axis=1),
            "temporary_months_mean": _ratio(
                self.array("temporary_months"), self.array("temporary_ended")
            ),
            "evictions_per_year": self.array("evictions") / years,
            "refusals_per_year": self.array("refusals") / years,
            "removed_after_refusal_per_year": self.array("removed_after_refusal") / years,
            "stock_end": self.array("stock_end"),
            "exits_per_month": self.array("exits") / self.horizon_months,
            "sojourn_mean": _ratio(self.array("sojourn_months"), self.array("exits")),
        }

    def figures(self) -> dict[str, Band]:
        """Each figure's band across runs (10th, 50th and 90th percentile)."""
        per_run = self.per_run()
        return {name: _band(per_run[name]) for name, _ in FIGURES}

    def housed_by_group(self) -> dict[str, Band]:
        """Share of those housed from the list, by group, banded across runs."""
        housed = self.array("housed_by_group")
        share = _ratio(housed, housed.sum(axis=1, keepdims=True))
        return {g: _band(share[:, k]) for k, g in enumerate(GROUPS)}

    def queue_bands(self) -> list[Band]:
        """Waiting-list length at the end of each month, banded across runs."""
        queue = self.array("queue")
        return [_band(queue[:, m]) for m in range(queue.shape[1])]

    def offer_within(self, months: Sequence[int] = (3, 6, 12)) -> dict[int, list[float]]:
        """Household id → share of runs in which it had an offer within each number of months."""
        first = np.asarray(self.counters["first_offer"], dtype=np.int64)
        if first.size == 0:
            return {}
        shares = [((first >= 0) & (first < n)).mean(axis=0) for n in months]
        return {hid: [float(s[k]) for s in shares] for k, hid in enumerate(self.household_ids)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.FORMAT,
            "input_digest": self.input_digest,
            "runs": self.runs,
            "horizon_months": self.horizon_months,
            "household_ids": list(self.household_ids),
            "counters": dict(self.counters),
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SimulationResult:
        if data.get("format") != cls.FORMAT:
            raise ValueError(f"not a {cls.FORMAT} result: {data.get('format')!r}")
        return cls(
            input_digest=str(data["input_digest"]),
            runs=int(data["runs"]),
            horizon_months=int(data["horizon_months"]),
            household_ids=tuple(int(x) for x in data["household_ids"]),
            counters=dict(data["counters"]),
            seconds=float(data.get("seconds", 0.0)),
        )

    def same_outcome(self, other: SimulationResult) -> bool:
        """Identical input and identical counters (time taken aside)."""
        return (
            self.input_digest == other.input_digest
            and self.household_ids == other.household_ids
            and dict(self.counters) == dict(other.counters)
        )


def compare(baseline: SimulationResult, scenario: SimulationResult) -> list[dict[str, Any]]:
    """Rows for a side-by-side table: each figure's band under today's policy and the scenario."""
    a, b = baseline.figures(), scenario.figures()
    return [
        {
            "name": name,
            "unit": unit,
            "baseline": a[name].to_dict(),
            "scenario": b[name].to_dict(),
            "change": b[name].median - a[name].median,
        }
        for name, unit in FIGURES
    ]
