"""The criteria for choosing a dwelling for a household being settled, for many candidate
dwellings at once. Pure: no Django; plain data in, plain data and an explanation out.

The sources give considerations, not a scoring rule (kristiansund 2.3: "None is a formal scoring
rule"), so this engine does not pick a dwelling: it shows, for each candidate, what the sources
ask the caseworker to weigh, flags what breaks a limit, and sorts the candidates so that those
breaking no limit come first. The caseworker chooses and records why (kristiansund L1429–1431).

* Size: the occupancy norm of the municipality's matching policy (``husly.matching``
  ``OccupancyNorm``, rooms counted with the living room) for the household's size.
* Spread (spredning, kristiansund L76–78, L554–556, L1174–1175): the share of the building's
  homes that are municipal tenancies and that settled refugee households live in, counting this
  household, against the municipality's ``max_refugee_share_building``; the refugee households
  and municipal tenancies in the area (district); and the allocation spread rule of the
  matching policy (``max_heavy_needs_per_building``: tenants with heavy follow-up needs per
  building, oslo L4954–4962, nova L574–577) when the household has heavy needs.
* Rent against the cost frame (kristiansund L1194–1199).
* Distance to school, kindergarten and centre when known (L659–661, L1376–1383).
* Standard: the building's year and the dwelling's category and area as shown (the register
  holds no condition score).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from husly.matching.policy import MatchingPolicy

__all__ = ["Candidates", "Household", "Limits", "assess"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Household:
    persons: int
    children: int
    heavy_needs: bool = False


@dataclass(frozen=True)
class Limits:
    """``cost_frame``: the highest monthly rent (None when the municipality has set none);
    ``max_refugee_share_building``: a ratio; the matching policy gives the norm and spread rule."""

    matching: MatchingPolicy
    cost_frame: int | None
    max_refugee_share_building: float


@dataclass(frozen=True)
class Candidates:
    """One entry per candidate dwelling. Distances are metres, ``nan`` when not known;
    ``building_homes`` is every home in the building (municipal or not), 0 when not known."""

    dwelling_id: IntArray
    rooms: IntArray  # counted with the living room
    rent: IntArray
    building_homes: IntArray
    building_municipal: IntArray  # municipal tenancies (active leases) in the building
    building_refugee: IntArray  # settled refugee households living in the building
    building_heavy_needs: IntArray
    building_heavy_limit: IntArray  # the building's own limit, -1 for the policy's
    area_municipal: IntArray
    area_refugee: IntArray
    school_m: FloatArray
    kindergarten_m: FloatArray
    centre_m: FloatArray

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]]) -> Candidates:
        def ints(key: str, default: int = 0) -> IntArray:
            return np.array([int(r.get(key, default)) for r in rows], dtype=np.int64)

        def metres(key: str) -> FloatArray:
            values = [np.nan if r.get(key) is None else float(r[key]) for r in rows]
            return np.array(values, dtype=np.float64)

        return cls(
            dwelling_id=ints("dwelling_id"),
            rooms=ints("rooms"),
            rent=ints("rent"),
            building_homes=ints("building_homes"),
            building_municipal=ints("building_municipal"),
            building_refugee=ints("building_refugee"),
            building_heavy_needs=ints("building_heavy_needs"),
            building_heavy_limit=ints("building_heavy_limit", -1),
            area_municipal=ints("area_municipal"),
            area_refugee=ints("area_refugee"),
            school_m=metres("school_m"),
            kindergarten_m=metres("kindergarten_m"),
            centre_m=metres("centre_m"),
        )


FLAG_TEXT = {
    "too_few_rooms": "too few rooms for the household under the occupancy norm",
    "too_many_rooms": "more rooms than the occupancy norm gives the household",
    "rent_above_frame": "rent above the cost frame",
    "refugee_share_above_limit": "refugee households would exceed the building's share",
    "heavy_needs_limit": "the building has reached the spread rule's limit of heavy needs",
}


def assess(household: Household, candidates: Candidates, limits: Limits) -> list[dict[str, Any]]:
    """The criteria for each candidate, those breaking no limit first, then by the refugee
    share of the building (lowest first), then rent. Each row carries ``flags`` (codes of
    ``FLAG_TEXT``) and ``trace`` (the numbers each judgement was made from)."""
    n = candidates.dwelling_id.size
    if n == 0:
        return []
    lo, hi = limits.matching.occupancy.bounds(np.array([household.persons], dtype=np.int64))
    min_rooms, max_rooms = int(lo[0]), int(hi[0])
    c = candidates
    too_few = c.rooms < min_rooms
    too_many = c.rooms > max_rooms
    frame = limits.cost_frame
    above = c.rent > frame if frame is not None else np.zeros(n, dtype=bool)
    known_homes = c.building_homes > 0
    homes = np.maximum(c.building_homes, 1)
    refugee_share = np.where(known_homes, (c.building_refugee + 1) / homes, np.nan)
    municipal_share = np.where(known_homes, c.building_municipal / homes, np.nan)
    over_share = known_homes & (refugee_share > limits.max_refugee_share_building + 1e-9)
    rule = limits.matching.max_heavy_needs_per_building
    limit = np.where(
        c.building_heavy_limit >= 0, c.building_heavy_limit, -1 if rule is None else rule
    )
    heavy_full = household.heavy_needs & (limit >= 0) & (c.building_heavy_needs >= limit)
    area_share = np.where(
        c.area_municipal > 0, c.area_refugee / np.maximum(c.area_municipal, 1), np.nan
    )
    flags = np.stack([too_few, too_many, above, over_share, heavy_full])
    codes = list(FLAG_TEXT)
    broken = flags.sum(axis=0)
    sort_share = np.where(np.isnan(refugee_share), 0.0, refugee_share)
    order = np.lexsort((c.dwelling_id, c.rent, sort_share, broken))
    # Plain Python values column by column (one conversion per column, not per cell).
    col = {
        "dwelling_id": c.dwelling_id[order].tolist(),
        "rooms": c.rooms[order].tolist(),
        "rent": c.rent[order].tolist(),
        "building_homes": c.building_homes[order].tolist(),
        "building_municipal": c.building_municipal[order].tolist(),
        "building_refugee": c.building_refugee[order].tolist(),
        "heavy_needs": c.building_heavy_needs[order].tolist(),
        "heavy_limit": limit[order].tolist(),
        "area_municipal": c.area_municipal[order].tolist(),
        "area_refugee": c.area_refugee[order].tolist(),
        "above": above[order].tolist(),
        "municipal_share": _shares(municipal_share[order]),
        "refugee_share": _shares(refugee_share[order]),
        "area_share": _shares(area_share[order]),
        "school_m": _metres(c.school_m[order]),
        "kindergarten_m": _metres(c.kindergarten_m[order]),
        "centre_m": _metres(c.centre_m[order]),
        "flags": flags[:, order].T.tolist(),
    }
    rows = []
    for k in range(n):
        rooms, rent = col["rooms"][k], col["rent"][k]
        rows.append(
            {
                "dwelling_id": col["dwelling_id"][k],
                "rooms": rooms,
                "rooms_norm": [min_rooms, max_rooms],
                "rent": rent,
                "cost_frame": frame,
                "rent_within_frame": None if frame is None else not col["above"][k],
                "building_homes": col["building_homes"][k] or None,
                "building_municipal": col["building_municipal"][k],
                "building_refugee": col["building_refugee"][k],
                "municipal_share": col["municipal_share"][k],
                "refugee_share_after": col["refugee_share"][k],
                "max_refugee_share": limits.max_refugee_share_building,
                "heavy_needs": col["heavy_needs"][k],
                "heavy_needs_limit": None if col["heavy_limit"][k] < 0 else col["heavy_limit"][k],
                "area_municipal": col["area_municipal"][k],
                "area_refugee": col["area_refugee"][k],
                "area_refugee_share": col["area_share"][k],
                "school_m": col["school_m"][k],
                "kindergarten_m": col["kindergarten_m"][k],
                "centre_m": col["centre_m"][k],
                "flags": [code for code, on in zip(codes, col["flags"][k], strict=True) if on],
                "trace": _trace(
                    household, lo=min_rooms, hi=max_rooms, rooms=rooms, frame=frame, rent=rent
                ),
            }
        )
    return rows


def _shares(values: FloatArray) -> list[float | None]:
    rounded = np.round(values, 3).tolist()
    return [None if math.isnan(v) else v for v in rounded]


def _metres(values: FloatArray) -> list[int | None]:
    return [None if math.isnan(v) else int(v) for v in values.tolist()]


def _trace(
    household: Household, *, lo: int, hi: int, rooms: int, frame: int | None, rent: int
) -> list[str]:
    out = [
        f"household of {household.persons} ({household.children} children): "
        f"norm {lo}–{hi} rooms; dwelling has {rooms}",
    ]
    if frame is None:
        out.append("no cost frame set: rent not judged")
    else:
        out.append(f"rent {rent} against cost frame {frame}")
    return out
