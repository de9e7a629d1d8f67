"""Seeded synthetic instances for benchmarks and tests (no real people in them).

Shape is loosely Oslo's: 15 districts (oslo L4279–4281), a stock with too few small flats and
"few but large rooms" (oslo L4950–4952, raelingen L1832–1834), households mostly applying in their
own district (oslo L6537–6539), some accepting neighbouring districts or any district, a minority
needing wheelchair access or a lift, and about one in ten with heavy follow-up needs. All numbers
are invented for testing; none are statistics.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from husly.matching.data import (
    ANY_DISTRICT,
    NO_FLOOR_LIMIT,
    Buildings,
    Dwellings,
    Households,
    MatchingInput,
    Vocabulary,
)
from husly.matching.policy import MatchingPolicy
from husly.matching.priority import PriorityPolicy

__all__ = ["CATEGORIES", "OSLO_DISTRICTS", "synthetic_instance"]

_TWO = 2

OSLO_DISTRICTS: tuple[str, ...] = (
    "Gamle Oslo",
    "Grünerløkka",
    "Sagene",
    "St. Hanshaugen",
    "Frogner",
    "Ullern",
    "Vestre Aker",
    "Nordre Aker",
    "Bjerke",
    "Grorud",
    "Stovner",
    "Alna",
    "Østensjø",
    "Nordstrand",
    "Søndre Nordstrand",
)

#: Dwelling categories (glossary §4 identifiers).
CATEGORIES: tuple[str, ...] = (
    "ordinary",
    "transitional",
    "care",
    "small_house",
    "hard_use",
    "training",
)


def synthetic_instance(
    n_dwellings: int,
    n_households: int,
    *,
    seed: int = 0,
    n_districts: int = 15,
    priority_policy: PriorityPolicy | None = None,
    matching_policy: MatchingPolicy | None = None,
) -> MatchingInput:
    """A random but realistic-looking round: ``n_dwellings`` vacancies, ``n_households`` waiting.

    Same ``seed``, same instance (NumPy ``default_rng``).
    """
    rng = np.random.default_rng(seed)
    nd = min(n_districts, len(OSLO_DISTRICTS))
    vocab = Vocabulary(districts=OSLO_DISTRICTS[:nd], categories=CATEGORIES)

    def share(n: int, p: float) -> NDArray[np.bool_]:
        return rng.random(n) < p

    # buildings: about two vacancies each, some with heavy-needs tenants already
    n_b = max(1, n_dwellings // 2)
    b_district = rng.integers(0, nd, n_b)
    b_lift = share(n_b, 0.55)
    b_floors = rng.integers(1, 8, n_b)
    buildings = Buildings(
        id=np.arange(1, n_b + 1) * 10,
        heavy_needs_tenants=rng.poisson(0.9, n_b),
        heavy_needs_limit=np.where(share(n_b, 0.05), 1, -1),
    )

    b = rng.integers(0, n_b, n_dwellings)
    floor = (rng.random(n_dwellings) * b_floors[b]).astype(np.int64)
    dwellings = Dwellings(
        id=np.arange(1, n_dwellings + 1) * 7 + 100_000,
        building_id=buildings.id[b],
        district=b_district[b],
        rooms=rng.choice([1, 2, 3, 4, 5], n_dwellings, p=[0.12, 0.33, 0.32, 0.17, 0.06]),
        category=rng.choice(len(CATEGORIES), n_dwellings, p=[0.72, 0.1, 0.08, 0.04, 0.03, 0.03]),
        floor=floor,
        has_lift=b_lift[b],
        wheelchair_accessible=share(n_dwellings, 0.1) & ((floor == 0) | b_lift[b]),
    )

    n = n_households
    size = rng.choice([1, 2, 3, 4, 5, 6], n, p=[0.48, 0.2, 0.13, 0.1, 0.06, 0.03])
    home = rng.integers(0, nd, n)
    neighbours = rng.choice([0, 1, 2], n, p=[0.35, 0.45, 0.2])
    mask = np.left_shift(np.int64(1), home)
    mask |= np.where(neighbours >= 1, np.left_shift(np.int64(1), (home + 1) % nd), 0)
    mask |= np.where(neighbours == _TWO, np.left_shift(np.int64(1), (home + nd - 1) % nd), 0)
    mask = np.where(share(n, 0.08), ANY_DISTRICT, mask)

    # approved categories: ordinary (sometimes also transitional), care, robust units, training
    kind = rng.choice(4, n, p=[0.8, 0.08, 0.08, 0.04])
    cats = np.select(
        [kind == 0, kind == 1, kind == _TWO],
        [1 | np.where(share(n, 0.2), 1 << 1, 0), 1 << 2, (1 << 3) | (1 << 4)],
        (1 << 5) | 1,
    )
    heavy = share(n, 0.1) | ((kind == _TWO) & share(n, 0.6))
    wheelchair = share(n, 0.04)
    max_floor = np.where(share(n, 0.15), rng.integers(0, 3, n), NO_FLOOR_LIMIT)
    level_p = [0.5, 0.25, 0.15, 0.1]
    manual_on = share(n, 0.02)
    households = Households(
        id=np.arange(1, n + 1) * 3 + 1_000_000,
        size=size,
        medical=rng.choice(4, n, p=level_p).astype(np.float64),
        social=rng.choice(4, n, p=level_p).astype(np.float64),
        children=np.where(size > 1, rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1]), 0).astype(np.float64),
        urgency=rng.choice(6, n, p=[0.35, 0.25, 0.15, 0.05, 0.12, 0.08]),
        waited_days=rng.integers(0, 540, n),
        manual_points=np.where(manual_on, rng.choice([-1.0, 5.0, 10.0, 15.0], n), 0.0),
        manual_reasons=tuple(
            "Samlet vurdering i vedtaksteamet (syntetisk)" if on else "" for on in manual_on
        ),
        allowed_districts=mask,
        preferred_district=np.where(share(n, 0.85), home, -1),
        categories=cats,
        needs_wheelchair=wheelchair,
        max_floor_without_lift=np.where(wheelchair, 0, max_floor),
        heavy_needs=heavy,
    )
    return MatchingInput(
        households=households,
        dwellings=dwellings,
        buildings=buildings,
        vocabulary=vocab,
        priority_policy=priority_policy or PriorityPolicy(version="synthetic-1"),
        matching_policy=matching_policy or MatchingPolicy(version="synthetic-1"),
        seed=seed,
    )
