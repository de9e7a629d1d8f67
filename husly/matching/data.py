"""Plain input data for matching: waiting households, vacant dwellings, buildings (no Django).

Everything is column-oriented: one NumPy array per attribute, one entry per household or dwelling,
so constraints and scores are computed for thousands of pairs at once. The ``*Record`` classes and
``from_records`` builders are the convenient way in for callers holding one object per row (the
Django adapter); names (districts, categories) are turned into small integer codes through a
:class:`Vocabulary`.

:class:`MatchingInput` bundles the data with both policies and the tie-break seed. It serialises to
plain JSON-able data (:meth:`MatchingInput.to_dict`) and back, and has a content digest, so any
proposal can be stored, replayed and explained later.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from husly.matching.policy import MatchingPolicy
from husly.matching.priority import PriorityPolicy, Urgency

__all__ = [
    "ANY_DISTRICT",
    "NO_FLOOR_LIMIT",
    "BuildingRecord",
    "Buildings",
    "DwellingRecord",
    "Dwellings",
    "HouseholdRecord",
    "Households",
    "MatchingInput",
    "Vocabulary",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Bit mask meaning "every district" in ``Households.allowed_districts``.
ANY_DISTRICT = np.int64(-1)
#: ``max_floor_without_lift`` for a household that can use stairs to any floor.
NO_FLOOR_LIMIT = 999
_MAX_CODES = 63


@dataclass(frozen=True)
class Vocabulary:
    """Names behind the integer codes: districts (areas) and dwelling categories (max 63 each)."""

    districts: tuple[str, ...]
    categories: tuple[str, ...]

    def __post_init__(self) -> None:
        for name, values in (("districts", self.districts), ("categories", self.categories)):
            if len(values) > _MAX_CODES:
                raise ValueError(f"at most {_MAX_CODES} {name} are supported")
            if len(set(values)) != len(values):
                raise ValueError(f"{name} must be unique")

    def district_code(self, name: str) -> int:
        return self.districts.index(name)

    def category_code(self, name: str) -> int:
        return self.categories.index(name)

    def district_mask(self, names: Iterable[str] | None) -> int:
        if names is None:
            return int(ANY_DISTRICT)
        return _mask(self.district_code(n) for n in names)

    def category_mask(self, names: Iterable[str]) -> int:
        return _mask(self.category_code(n) for n in names)

    def to_dict(self) -> dict[str, Any]:
        return {"districts": list(self.districts), "categories": list(self.categories)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Vocabulary:
        return cls(tuple(data["districts"]), tuple(data["categories"]))


def _columns(cls: type[_Columns], data: Mapping[str, Any]) -> dict[str, Any]:
    """The constructor arguments of a column table from plain data: arrays in each column's
    dtype, text columns as tuples."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        value = data[f.name]
        if f.name in cls.dtypes:
            out[f.name] = np.asarray(value, dtype=cls.dtypes[f.name])
        else:
            out[f.name] = tuple(str(v) for v in value)
    return out


def _mask(codes: Iterable[int]) -> int:
    value = 0
    for code in codes:
        value |= 1 << code
    return value


class _Columns:
    """Shared behaviour of the column tables: dtype coercion, length check, (de)serialising."""

    dtypes: ClassVar[dict[str, Any]]
    id: IntArray

    def __post_init__(self) -> None:
        lengths = set()
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if f.name in self.dtypes:
                array = np.ascontiguousarray(value, dtype=self.dtypes[f.name])
                if array.ndim != 1:
                    raise ValueError(f"{f.name} must be one-dimensional")
                object.__setattr__(self, f.name, array)
                lengths.add(array.shape[0])
            else:
                object.__setattr__(self, f.name, tuple(str(v) for v in value))
                lengths.add(len(value))
        if len(lengths) > 1:
            raise ValueError(f"{type(self).__name__}: all columns need the same length")
        if np.unique(self.id).shape[0] != self.id.shape[0]:
            raise ValueError(f"{type(self).__name__}: ids must be unique")

    def __len__(self) -> int:
        return int(self.id.shape[0])

    def to_dict(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            out[f.name] = value.tolist() if isinstance(value, np.ndarray) else list(value)
        return out

    def _digest_into(self, h: Any) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            h.update(f.name.encode())
            if isinstance(value, np.ndarray):
                h.update(value.astype(value.dtype.newbyteorder("<")).tobytes())
            else:
                h.update("\x1f".join(value).encode())


@dataclass(frozen=True, eq=False)
class Households(_Columns):
    """Waiting households (one entry per waiting-list entry with *tilsagn*).

    Priority inputs (see ``husly.matching.priority``): ``medical``, ``social``, ``children``
    (assessed levels 0–3), ``urgency`` (:class:`Urgency` codes), ``waited_days``, ``manual_points``
    with ``manual_reasons``.

    Constraints: ``size`` (persons, for the occupancy norm), ``allowed_districts`` (bit mask over
    :attr:`Vocabulary.districts`, ``-1`` = any: the household's stated area limits),
    ``preferred_district`` (code or ``-1``), ``categories`` (bit mask of dwelling categories the
    decision approves), ``needs_wheelchair``, ``max_floor_without_lift`` (highest floor reachable
    by stairs; 0 = ground floor only), ``heavy_needs`` (counts toward the spread rule).
    """

    id: IntArray
    size: IntArray
    medical: FloatArray
    social: FloatArray
    children: FloatArray
    urgency: IntArray
    waited_days: IntArray
    manual_points: FloatArray
    manual_reasons: tuple[str, ...]
    allowed_districts: IntArray
    preferred_district: IntArray
    categories: IntArray
    needs_wheelchair: BoolArray
    max_floor_without_lift: IntArray
    heavy_needs: BoolArray

    dtypes: ClassVar[dict[str, Any]] = {
        "id": np.int64,
        "size": np.int64,
        "medical": np.float64,
        "social": np.float64,
        "children": np.float64,
        "urgency": np.int64,
        "waited_days": np.int64,
        "manual_points": np.float64,
        "allowed_districts": np.int64,
        "preferred_district": np.int64,
        "categories": np.int64,
        "needs_wheelchair": np.bool_,
        "max_floor_without_lift": np.int64,
        "heavy_needs": np.bool_,
    }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Households:
        return cls(**_columns(cls, data))

    @classmethod
    def from_records(cls, records: Sequence[HouseholdRecord], vocab: Vocabulary) -> Households:
        data: dict[str, Any] = {
            "id": [r.id for r in records],
            "size": [r.size for r in records],
            "medical": [r.medical for r in records],
            "social": [r.social for r in records],
            "children": [r.children for r in records],
            "urgency": [int(r.urgency) for r in records],
            "waited_days": [r.waited_days for r in records],
            "manual_points": [r.manual_points for r in records],
            "manual_reasons": tuple(r.manual_reason for r in records),
            "allowed_districts": [vocab.district_mask(r.allowed_districts) for r in records],
            "preferred_district": [
                -1 if r.preferred_district is None else vocab.district_code(r.preferred_district)
                for r in records
            ],
            "categories": [vocab.category_mask(r.categories) for r in records],
            "needs_wheelchair": [r.needs_wheelchair for r in records],
            "max_floor_without_lift": [r.max_floor_without_lift for r in records],
            "heavy_needs": [r.heavy_needs for r in records],
        }
        return cls(**_columns(cls, data))


@dataclass(frozen=True, eq=False)
class Dwellings(_Columns):
    """Vacant dwellings: ``district`` and ``category`` are :class:`Vocabulary` codes; ``rooms``
    counts the living room; ``floor`` 0 is the ground floor."""

    id: IntArray
    building_id: IntArray
    district: IntArray
    rooms: IntArray
    category: IntArray
    floor: IntArray
    has_lift: BoolArray
    wheelchair_accessible: BoolArray

    dtypes: ClassVar[dict[str, Any]] = {
        "id": np.int64,
        "building_id": np.int64,
        "district": np.int64,
        "rooms": np.int64,
        "category": np.int64,
        "floor": np.int64,
        "has_lift": np.bool_,
        "wheelchair_accessible": np.bool_,
    }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Dwellings:
        return cls(**_columns(cls, data))

    @classmethod
    def from_records(cls, records: Sequence[DwellingRecord], vocab: Vocabulary) -> Dwellings:
        data: dict[str, Any] = {
            "id": [r.id for r in records],
            "building_id": [r.building_id for r in records],
            "district": [vocab.district_code(r.district) for r in records],
            "rooms": [r.rooms for r in records],
            "category": [vocab.category_code(r.category) for r in records],
            "floor": [r.floor for r in records],
            "has_lift": [r.has_lift for r in records],
            "wheelchair_accessible": [r.wheelchair_accessible for r in records],
        }
        return cls(**_columns(cls, data))


@dataclass(frozen=True, eq=False)
class Buildings(_Columns):
    """Buildings holding vacant dwellings: tenants with heavy follow-up needs already living there,
    and an optional building-specific limit (``-1`` = use the policy's limit)."""

    id: IntArray
    heavy_needs_tenants: IntArray
    heavy_needs_limit: IntArray

    dtypes: ClassVar[dict[str, Any]] = {
        "id": np.int64,
        "heavy_needs_tenants": np.int64,
        "heavy_needs_limit": np.int64,
    }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Buildings:
        return cls(**_columns(cls, data))

    @classmethod
    def from_records(cls, records: Sequence[BuildingRecord]) -> Buildings:
        data: dict[str, Any] = {
            "id": [r.id for r in records],
            "heavy_needs_tenants": [r.heavy_needs_tenants for r in records],
            "heavy_needs_limit": [
                -1 if r.heavy_needs_limit is None else r.heavy_needs_limit for r in records
            ],
        }
        return cls(**_columns(cls, data))


@dataclass(frozen=True)
class HouseholdRecord:
    """One waiting household, by name; see :class:`Households` for the meaning of each field.

    ``allowed_districts=None`` means any district.
    """

    id: int
    size: int
    categories: frozenset[str]
    medical: float = 0.0
    social: float = 0.0
    children: float = 0.0
    urgency: Urgency = Urgency.NONE
    waited_days: int = 0
    manual_points: float = 0.0
    manual_reason: str = ""
    allowed_districts: frozenset[str] | None = None
    preferred_district: str | None = None
    needs_wheelchair: bool = False
    max_floor_without_lift: int = NO_FLOOR_LIMIT
    heavy_needs: bool = False


@dataclass(frozen=True)
class DwellingRecord:
    """One vacant dwelling, by name; see :class:`Dwellings`."""

    id: int
    building_id: int
    district: str
    rooms: int
    category: str
    floor: int = 0
    has_lift: bool = False
    wheelchair_accessible: bool = False


@dataclass(frozen=True)
class BuildingRecord:
    """One building; see :class:`Buildings`."""

    id: int
    heavy_needs_tenants: int = 0
    heavy_needs_limit: int | None = None


@dataclass(frozen=True, eq=False)
class MatchingInput:
    """Everything one matching run reads. Serialisable (:meth:`to_dict`) and digestible, so that a
    stored proposal can be replayed (``husly.matching.replay``) and shown to be the same run."""

    households: Households
    dwellings: Dwellings
    buildings: Buildings
    vocabulary: Vocabulary
    priority_policy: PriorityPolicy
    matching_policy: MatchingPolicy
    seed: int = 0

    FORMAT: ClassVar[str] = "husly.matching.input/1"

    def __post_init__(self) -> None:
        missing = np.setdiff1d(self.dwellings.building_id, self.buildings.id)
        if missing.size:
            raise ValueError(f"dwellings refer to unknown buildings: {missing[:10].tolist()}")
        n_d, n_c = len(self.vocabulary.districts), len(self.vocabulary.categories)
        if len(self.dwellings) and (
            self.dwellings.district.min() < 0
            or self.dwellings.district.max() >= n_d
            or self.dwellings.category.min() < 0
            or self.dwellings.category.max() >= n_c
        ):
            raise ValueError("dwelling district or category code outside the vocabulary")
        if len(self.households) and self.households.preferred_district.max() >= n_d:
            raise ValueError("preferred district code outside the vocabulary")

    def to_dict(self) -> dict[str, Any]:
        """Plain data (lists, numbers, strings); :meth:`from_dict` turns it back into the input."""
        return {
            "format": self.FORMAT,
            "seed": self.seed,
            "vocabulary": self.vocabulary.to_dict(),
            "priority_policy": self.priority_policy.to_mapping(),
            "matching_policy": self.matching_policy.to_mapping(),
            "households": self.households.to_dict(),
            "dwellings": self.dwellings.to_dict(),
            "buildings": self.buildings.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MatchingInput:
        if data.get("format") != cls.FORMAT:
            raise ValueError(f"not a {cls.FORMAT} snapshot: {data.get('format')!r}")
        return cls(
            households=Households.from_dict(data["households"]),
            dwellings=Dwellings.from_dict(data["dwellings"]),
            buildings=Buildings.from_dict(data["buildings"]),
            vocabulary=Vocabulary.from_dict(data["vocabulary"]),
            priority_policy=PriorityPolicy.from_mapping(data["priority_policy"]),
            matching_policy=MatchingPolicy.from_mapping(data["matching_policy"]),
            seed=int(data["seed"]),
        )

    def digest(self) -> str:
        """SHA-256 over the canonical content (array bytes, policies, seed)."""
        h = hashlib.sha256()
        h.update(self.FORMAT.encode())
        h.update(str(self.seed).encode())
        h.update(repr(self.vocabulary.to_dict()).encode())
        h.update(self.priority_policy.digest().encode())
        h.update(self.matching_policy.digest().encode())
        self.households._digest_into(h)
        self.dwellings._digest_into(h)
        self.buildings._digest_into(h)
        return h.hexdigest()
