"""The municipality's matching rules as configuration: occupancy norm, fit and the spread rule.

Pure data, loaded from a plain mapping or YAML text, versioned like the priority policy. Each rule
names its source; the default numbers are design defaults for a municipality to replace.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray

__all__ = [
    "FitWeights",
    "MatchingPolicy",
    "OccupancyNorm",
    "load_matching_policy",
]

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class OccupancyNorm:
    """Rooms a household of a given size may be offered: ``min_rooms[n-1]``–``max_rooms[n-1]``.

    Rooms are counted the Norwegian way (living room included: a "2-roms" has one bedroom). The last
    entry applies to all larger households.

    Sources: the lower bound follows SSB's crowding definition, fewer rooms than persons (oslo
    L2464–2470, used in the report L2755–2757); the upper bound keeps scarce large flats for larger
    households (Rælingen's shortage of 1–2-room flats, raelingen L1832–1834, and guideline point 6:
    weight is given to "which types of dwellings are available", L5451–5463). The defaults
    (1–2 rooms for one person, 2–3 for two, ...) are a design default, set per municipality.
    """

    min_rooms: tuple[int, ...] = (1, 2, 2, 3, 4, 4)
    max_rooms: tuple[int, ...] = (2, 3, 4, 5, 6, 7)

    def __post_init__(self) -> None:
        if not self.min_rooms or len(self.min_rooms) != len(self.max_rooms):
            raise ValueError("min_rooms and max_rooms need the same, non-zero length")
        if any(lo < 1 or lo > hi for lo, hi in zip(self.min_rooms, self.max_rooms, strict=True)):
            raise ValueError("each household size needs 1 <= min_rooms <= max_rooms")

    def bounds(self, persons: IntArray) -> tuple[IntArray, IntArray]:
        """(minimum rooms, maximum rooms) per household, vectorised."""
        index = np.clip(np.asarray(persons, dtype=np.int64) - 1, 0, len(self.min_rooms) - 1)
        lo = np.asarray(self.min_rooms, dtype=np.int64)[index]
        hi = np.asarray(self.max_rooms, dtype=np.int64)[index]
        return lo, hi


@dataclass(frozen=True)
class FitWeights:
    """How well a compatible dwelling fits, from 1.0 (ideal) down to ``minimum_fit``.

    fit = max(``minimum_fit``, 1 − ``extra_room_penalty`` × rooms above the norm's minimum
    − ``outside_preferred_district_penalty`` (if not in the preferred district)
    − ``unneeded_accessible_penalty`` (wheelchair-accessible dwelling, household does not need it)).

    Sources: "right dwelling to the right tenant" as governing principle (oslo L7677–7678); the
    household applies to its own district, and allocation outside it is considered so that children
    can stay at their school (oslo L6537–6539, L7679–7681); accessible and universally designed
    dwellings are a scarce, recorded attribute (raelingen L3336–3349). The numbers are a design
    default.
    """

    extra_room_penalty: float = 0.15
    outside_preferred_district_penalty: float = 0.25
    unneeded_accessible_penalty: float = 0.2
    minimum_fit: float = 0.1

    def __post_init__(self) -> None:
        values = (
            self.extra_room_penalty,
            self.outside_preferred_district_penalty,
            self.unneeded_accessible_penalty,
        )
        if any(not np.isfinite(v) or v < 0 for v in values):
            raise ValueError("fit penalties must be finite and non-negative")
        if not 0 < self.minimum_fit <= 1:
            raise ValueError("minimum_fit must be in (0, 1]: a compatible pair is worth housing")


def _default_norm() -> OccupancyNorm:
    return OccupancyNorm()


def _default_fit() -> FitWeights:
    return FitWeights()


@dataclass(frozen=True)
class MatchingPolicy:
    """Hard constraints and objective settings for matching; one version.

    * ``occupancy``: :class:`OccupancyNorm`.
    * ``fit``: :class:`FitWeights`.
    * ``max_heavy_needs_per_building``: the spread rule, at most this many tenants with heavy
      follow-up needs per building, counting those already living there (``None`` switches it off;
      a building may carry its own limit). Sources: avoid clustering and unfortunate resident
      compositions, e.g. children in the same stairwell as people with substance problems (oslo
      L4954–4962, kommuneplan goal L7758–7764); dispersal is "broad consensus" (kristiansund
      L76–78, L1368–1370); consider the concentration of vulnerable tenants when allocating (nova
      L574–577, L4016–4021).
    * ``top_band_first``: the batch solver first houses as many top-band households as possible,
      then maximises priority-weighted fit (lexicographic). Source: "the districts must prioritise
      strictly between the disadvantaged" (oslo L4353–4355) and Rælingen point 6 "most pressing
      housing need" first (raelingen L5451–5463). See ``docs/matching.md``.
    * ``weight_resolution``: priority-weighted fit is rounded to this grid before solving, so that
      the seeded tie-break (smaller than one grid step in total) can never beat a real difference.
    """

    version: str
    occupancy: OccupancyNorm = field(default_factory=_default_norm)
    fit: FitWeights = field(default_factory=_default_fit)
    max_heavy_needs_per_building: int | None = 2
    top_band_first: bool = True
    weight_resolution: float = 1e-3

    def __post_init__(self) -> None:
        if self.max_heavy_needs_per_building is not None and self.max_heavy_needs_per_building < 0:
            raise ValueError("max_heavy_needs_per_building cannot be negative")
        if not 0 < self.weight_resolution <= 1:
            raise ValueError("weight_resolution must be in (0, 1]")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> MatchingPolicy:
        """Build from plain configuration data (YAML/JSON); nested ``occupancy`` and ``fit``."""
        known = {
            "version",
            "occupancy",
            "fit",
            "max_heavy_needs_per_building",
            "top_band_first",
            "weight_resolution",
        }
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown matching policy keys: {sorted(unknown)}")
        occ = dict(data.get("occupancy", {}))
        norm = OccupancyNorm(
            min_rooms=tuple(int(x) for x in occ.get("min_rooms", OccupancyNorm.min_rooms)),
            max_rooms=tuple(int(x) for x in occ.get("max_rooms", OccupancyNorm.max_rooms)),
        )
        fit_data = {k: float(v) for k, v in dict(data.get("fit", {})).items()}
        limit = data.get("max_heavy_needs_per_building", 2)
        return cls(
            version=str(data["version"]),
            occupancy=norm,
            fit=FitWeights(**fit_data),
            max_heavy_needs_per_building=None if limit is None else int(limit),
            top_band_first=bool(data.get("top_band_first", True)),
            weight_resolution=float(data.get("weight_resolution", 1e-3)),
        )

    def to_mapping(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "occupancy": {
                "min_rooms": list(self.occupancy.min_rooms),
                "max_rooms": list(self.occupancy.max_rooms),
            },
            "fit": {
                "extra_room_penalty": self.fit.extra_room_penalty,
                "outside_preferred_district_penalty": self.fit.outside_preferred_district_penalty,
                "unneeded_accessible_penalty": self.fit.unneeded_accessible_penalty,
                "minimum_fit": self.fit.minimum_fit,
            },
            "max_heavy_needs_per_building": self.max_heavy_needs_per_building,
            "top_band_first": self.top_band_first,
            "weight_resolution": self.weight_resolution,
        }

    def digest(self) -> str:
        text = json.dumps(self.to_mapping(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_matching_policy(text: str) -> MatchingPolicy:
    """Load a :class:`MatchingPolicy` from YAML text."""
    data = yaml.safe_load(text)
    if not isinstance(data, Mapping):
        raise ValueError("a matching policy must be a YAML mapping")
    return MatchingPolicy.from_mapping(data)
