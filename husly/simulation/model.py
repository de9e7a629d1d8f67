"""Plain input data for the policy simulation (no Django): today's state, rates, levers.

Column-oriented like ``husly.matching.data``: one NumPy array per attribute. Everything
serialises to JSON-able data (:meth:`SimulationInput.to_dict`) and back, with a content digest,
so a stored run can be replayed and shown to be the same run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from husly.matching.policy import MatchingPolicy
from husly.matching.priority import PriorityPolicy

__all__ = [
    "GROUPS",
    "MAX_ROOMS",
    "ArrivalTemplates",
    "Levers",
    "Rates",
    "SimulationInput",
    "Stock",
    "Waiting",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Household groups followed in the output (the fairness groups of issue 16); each household has
#: one primary group, the first that applies in this order.
GROUPS: tuple[str, ...] = (
    "families_with_children",
    "refugees",
    "young",
    "disability",
    "substance_use",
    "other",
)
#: Dwellings with more rooms are counted as this many (a class of the allocation).
MAX_ROOMS = 7
#: Days per month, as in ``husly.matching.priority`` (30.4375 = 365.25 / 12).
DAYS_PER_MONTH = 30.4375


class _Table:
    """Shared behaviour of the column tables: dtype coercion, length check, (de)serialising."""

    dtypes: ClassVar[dict[str, Any]]

    def __post_init__(self) -> None:
        self._coerce()
        fields = {f.name for f in dataclasses.fields(self)}  # type: ignore[arg-type]
        for name in ("medical", "social", "children"):
            if name in fields:
                levels = getattr(self, name)
                if levels.size and (
                    np.any(levels != np.round(levels)) or levels.min() < 0 or levels.max() > 3  # noqa: PLR2004
                ):
                    raise ValueError(f"{name} levels must be whole numbers 0-3")
        if "urgency" in fields:
            urgency = vars(self)["urgency"]
            if urgency.size and (urgency.min() < 0 or urgency.max() > 5):  # noqa: PLR2004
                raise ValueError("urgency codes must be husly.matching.Urgency values")
        if "size" in fields:
            size = vars(self)["size"]
            if size.size and size.min() < 1:
                raise ValueError("a household has at least one person")

    def _coerce(self) -> None:
        lengths = set()
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            array = np.ascontiguousarray(getattr(self, f.name), dtype=self.dtypes[f.name])
            if array.ndim != 1:
                raise ValueError(f"{f.name} must be one-dimensional")
            object.__setattr__(self, f.name, array)
            lengths.add(array.shape[0])
        if len(lengths) > 1:
            raise ValueError(f"{type(self).__name__}: all columns need the same length")

    def __len__(self) -> int:
        first = dataclasses.fields(self)[0]  # type: ignore[arg-type]
        return int(getattr(self, first.name).shape[0])

    def to_dict(self) -> dict[str, list[Any]]:
        return {
            f.name: getattr(self, f.name).tolist()
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
        }

    def digest_into(self, h: Any) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            h.update(f.name.encode())
            h.update(value.astype(value.dtype.newbyteorder("<")).tobytes())


@dataclass(frozen=True, eq=False)
class Waiting(_Table):
    """Today's waiting list: one entry per household with *tilsagn* waiting for a dwelling.

    ``id`` is the waiting-list entry's id (the wait estimate in Min side is keyed by it); ``group``
    an index into :data:`GROUPS`; priority inputs as in ``husly.matching.Households``;
    ``in_temporary``: lives in a temporary place now (§ 27 stay).
    """

    id: IntArray
    size: IntArray
    group: IntArray
    urgency: IntArray
    medical: FloatArray
    social: FloatArray
    children: FloatArray
    needs_wheelchair: BoolArray
    waited_days: IntArray
    in_temporary: BoolArray
    refusals: IntArray

    dtypes: ClassVar[dict[str, Any]] = {
        "id": np.int64,
        "size": np.int64,
        "group": np.int64,
        "urgency": np.int64,
        "medical": np.float64,
        "social": np.float64,
        "children": np.float64,
        "needs_wheelchair": np.bool_,
        "waited_days": np.int64,
        "in_temporary": np.bool_,
        "refusals": np.int64,
    }


@dataclass(frozen=True, eq=False)
class Stock(_Table):
    """Today's rental stock. ``lease_end_month``: months from today until the lease in force ends
    (0 = this month; ``-1`` = no end date, or vacant); ``tenant_group``: the tenant's group
    (``-1`` when vacant); ``ready_month``: for a vacant dwelling, the month it can be let."""

    id: IntArray
    rooms: IntArray
    wheelchair_accessible: BoolArray
    occupied: BoolArray
    lease_end_month: IntArray
    tenant_group: IntArray
    ready_month: IntArray

    dtypes: ClassVar[dict[str, Any]] = {
        "id": np.int64,
        "rooms": np.int64,
        "wheelchair_accessible": np.bool_,
        "occupied": np.bool_,
        "lease_end_month": np.int64,
        "tenant_group": np.int64,
        "ready_month": np.int64,
    }


@dataclass(frozen=True, eq=False)
class ArrivalTemplates(_Table):
    """What new applicants look like: the attributes of recent arrivals (from the history).
    A simulated arrival of group *g* copies a template of group *g* drawn at random."""

    group: IntArray
    size: IntArray
    urgency: IntArray
    medical: FloatArray
    social: FloatArray
    children: FloatArray
    needs_wheelchair: BoolArray

    dtypes: ClassVar[dict[str, Any]] = {
        "group": np.int64,
        "size": np.int64,
        "urgency": np.int64,
        "medical": np.float64,
        "social": np.float64,
        "children": np.float64,
        "needs_wheelchair": np.bool_,
    }


def _floats(values: Any, n: int, name: str) -> tuple[float, ...]:
    out = tuple(float(v) for v in values)
    if len(out) != n:
        raise ValueError(f"{name} needs {n} values, one per group")
    return out


@dataclass(frozen=True)
class Rates:
    """Rates estimated from the history (``husly.policy.inputs`` does it from the database).

    * ``arrivals_per_month``: applications approved onto the list per month, by group, before
      the residence requirement (those who would fail it are counted in
      ``residence_fail_share``).
    * ``refusal_share``: share of offers refused.
    * ``move_out_per_month`` and ``eviction_per_month``: monthly hazards for a tenancy in force.
    * ``leave_at_lease_end``: share of tenants who do not ask to renew at the end of the lease.
    * ``renewal_test_fail_share``: share of those who ask that the renewal (income) test refuses.
    * ``return_after_nonrenewal`` / ``return_after_eviction``: share of those who come back onto
      the list (in a temporary place).
    * ``turnaround_months``: months from a tenant moving out to the dwelling being let again
      (vacancy for repair and letting).

    What the rates were read from (``None``: treated as known, every run uses them as they
    are; ``husly.simulation.synthetic`` and older stored runs have none):

    * ``arrivals_observed``: applications counted per group in the window the arrival rates
      were read from;
    * ``ends_observed``: moves and evictions counted over the tenancy-months the two hazards
      were read from;
    * ``offers_observed``: offers counted for ``refusal_share``.

    With them, each run draws its own rates from their uncertainty before it starts
    (:func:`husly.simulation.common.draw_run_rates`): a rate read as *k* events in an exposure
    *T* is the posterior of a Poisson rate (or hazard) under the scale-free prior 1/λ,
    Gamma(shape *k*, rate *T*), i.e. the estimate times a Gamma(*k*, 1/*k*) multiplier of
    mean 1 (five arrivals: about ±45 % between runs); a share of *r* in *n* is
    Beta(*r*, *n* − *r*); the mix of arrivals within a group is a Bayesian bootstrap of the
    templates (Dirichlet(1, ..., 1) shares per run). The mean stays the estimate; the runs,
    and so the bands and the chances told, carry how little the history says (ADR 0033).
    """

    arrivals_per_month: tuple[float, ...]
    residence_fail_share: tuple[float, ...]
    refusal_share: float = 0.15
    move_out_per_month: float = 0.006
    eviction_per_month: float = 0.0005
    leave_at_lease_end: float = 0.2
    renewal_test_fail_share: float = 0.2
    return_after_nonrenewal: float = 0.3
    return_after_eviction: float = 0.6
    turnaround_months: int = 1
    arrivals_observed: tuple[int, ...] | None = None
    ends_observed: int | None = None
    offers_observed: int | None = None

    def __post_init__(self) -> None:
        n = len(GROUPS)
        if self.arrivals_observed is not None:
            observed = tuple(int(v) for v in self.arrivals_observed)
            if len(observed) != n or min(observed) < 0:
                raise ValueError("arrivals_observed needs a count per group, none negative")
            object.__setattr__(self, "arrivals_observed", observed)
        for name in ("ends_observed", "offers_observed"):
            value = getattr(self, name)
            if value is not None:
                if int(value) < 0:
                    raise ValueError(f"{name} cannot be negative")
                object.__setattr__(self, name, int(value))
        object.__setattr__(
            self, "arrivals_per_month", _floats(self.arrivals_per_month, n, "arrivals")
        )
        object.__setattr__(
            self, "residence_fail_share", _floats(self.residence_fail_share, n, "residence")
        )
        if any(x < 0 or not np.isfinite(x) for x in self.arrivals_per_month):
            raise ValueError("arrival rates must be finite and non-negative")
        shares = (
            *self.residence_fail_share,
            self.refusal_share,
            self.leave_at_lease_end,
            self.renewal_test_fail_share,
            self.return_after_nonrenewal,
            self.return_after_eviction,
        )
        if any(not 0 <= x <= 1 for x in shares):
            raise ValueError("shares must lie between 0 and 1")
        if not 0 <= self.move_out_per_month + self.eviction_per_month <= 1:
            raise ValueError("monthly hazards must lie between 0 and 1")
        if self.leave_at_lease_end + self.renewal_test_fail_share > 1:
            raise ValueError("leave_at_lease_end + renewal_test_fail_share cannot exceed 1")
        if self.turnaround_months < 0:
            raise ValueError("turnaround_months cannot be negative")

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["arrivals_per_month"] = list(self.arrivals_per_month)
        out["residence_fail_share"] = list(self.residence_fail_share)
        if self.arrivals_observed is not None:
            out["arrivals_observed"] = list(self.arrivals_observed)
        # left out when not known, so a run stored before they existed keeps its digest
        return {k: v for k, v in out.items() if v is not None}

    @property
    def uncertain(self) -> bool:
        """Whether the runs draw their rates from what they were read from."""
        counts = (self.arrivals_observed, self.ends_observed, self.offers_observed)
        return any(x is not None for x in counts)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rates:
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown rate keys: {sorted(unknown)}")
        return cls(**dict(data))


@dataclass(frozen=True)
class Levers:
    """What a leader can change.

    * ``lease_length_months``: length of new and renewed leases (0 = no end date).
    * ``renewal_income_test``: whether the renewal test can refuse a renewal.
    * ``refusals_allowed``: refusals a household may make and keep its place (0 = the approval
      lapses at the first refusal, Rælingen 7.3 b; a large number = no sanction).
    * ``residence_requirement``: whether applicants without the required residence are refused.
    * ``priority``: the priority policy (weights), as ``husly.matching.PriorityPolicy`` data.
    * ``refugee_share``: share of vacancies set aside for settling refugees outside the list.
    * ``bought_per_year``, ``head_leased_per_year``, ``sold_per_year``: stock change.
    * ``start_loans_per_year``: households on the list who buy with a start loan instead.
    """

    priority: Mapping[str, Any]
    lease_length_months: int = 60
    renewal_income_test: bool = True
    refusals_allowed: int = 0
    residence_requirement: bool = True
    refugee_share: float = 0.0
    bought_per_year: float = 0.0
    head_leased_per_year: float = 0.0
    sold_per_year: float = 0.0
    start_loans_per_year: float = 0.0

    def __post_init__(self) -> None:
        PriorityPolicy.from_mapping(self.priority)  # refuses bad weights early
        if self.lease_length_months < 0 or self.refusals_allowed < 0:
            raise ValueError("lease length and refusals allowed cannot be negative")
        if not 0 <= self.refugee_share <= 1:
            raise ValueError("refugee_share must lie between 0 and 1")
        numbers = (
            self.bought_per_year,
            self.head_leased_per_year,
            self.sold_per_year,
            self.start_loans_per_year,
        )
        if any(x < 0 or not np.isfinite(x) for x in numbers):
            raise ValueError("yearly numbers must be finite and non-negative")

    @property
    def priority_policy(self) -> PriorityPolicy:
        return PriorityPolicy.from_mapping(self.priority)

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["priority"] = self.priority_policy.to_mapping()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Levers:
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown lever keys: {sorted(unknown)}")
        return cls(**dict(data))

    def changed(self, **changes: Any) -> Levers:
        return dataclasses.replace(self, **changes)


def _default_matching() -> dict[str, Any]:
    return MatchingPolicy(version="simulation").to_mapping()


@dataclass(frozen=True, eq=False)
class SimulationInput:
    """Everything a simulation reads; ``runs`` seeded runs of ``horizon_months`` months."""

    waiting: Waiting
    stock: Stock
    templates: ArrivalTemplates
    rates: Rates
    levers: Levers
    horizon_months: int = 120
    runs: int = 100
    seed: int = 0
    matching: Mapping[str, Any] = field(default_factory=_default_matching)
    #: Months within which an approved applicant shall have an offer (the municipality's
    #: promise, a dated parameter: ``municipal.<number>.allocation.promise_months``).
    promise_months: int = 6

    FORMAT: ClassVar[str] = "husly.simulation.input/1"

    def __post_init__(self) -> None:
        if self.horizon_months < 1 or self.runs < 1:
            raise ValueError("at least one month and one run")
        if self.seed < 0:
            raise ValueError("the seed cannot be negative")
        if self.promise_months < 1:
            raise ValueError("the promise is at least one month")
        n = len(GROUPS)
        for name, table in (("waiting", self.waiting), ("templates", self.templates)):
            group = table.group
            if len(table) and (group.min() < 0 or group.max() >= n):
                raise ValueError(f"{name}: group outside GROUPS")
        counts = np.bincount(self.templates.group, minlength=n)
        missing = [
            GROUPS[g] for g in range(n) if self.rates.arrivals_per_month[g] > 0 and counts[g] == 0
        ]
        if missing:
            raise ValueError(f"arrivals without templates for groups {missing}")
        if len(self.stock) and self.stock.rooms.min() < 1:
            raise ValueError("a dwelling has at least one room")
        self.matching_policy  # noqa: B018 - refuses bad matching data early

    @property
    def matching_policy(self) -> MatchingPolicy:
        return MatchingPolicy.from_mapping(self.matching)

    def with_levers(self, levers: Levers) -> SimulationInput:
        return dataclasses.replace(self, levers=levers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.FORMAT,
            "horizon_months": self.horizon_months,
            "runs": self.runs,
            "seed": self.seed,
            "promise_months": self.promise_months,
            "matching": self.matching_policy.to_mapping(),
            "rates": self.rates.to_dict(),
            "levers": self.levers.to_dict(),
            "waiting": self.waiting.to_dict(),
            "stock": self.stock.to_dict(),
            "templates": self.templates.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SimulationInput:
        if data.get("format") != cls.FORMAT:
            raise ValueError(f"not a {cls.FORMAT} snapshot: {data.get('format')!r}")
        return cls(
            waiting=Waiting(**data["waiting"]),
            stock=Stock(**data["stock"]),
            templates=ArrivalTemplates(**data["templates"]),
            rates=Rates.from_dict(data["rates"]),
            levers=Levers.from_dict(data["levers"]),
            horizon_months=int(data["horizon_months"]),
            runs=int(data["runs"]),
            seed=int(data["seed"]),
            matching=dict(data["matching"]),
            promise_months=int(data.get("promise_months", 6)),
        )

    def digest(self) -> str:
        """SHA-256 over the canonical content."""
        h = hashlib.sha256()
        head = {
            k: v for k, v in self.to_dict().items() if k not in ("waiting", "stock", "templates")
        }
        h.update(json.dumps(head, sort_keys=True, separators=(",", ":")).encode())
        self.waiting.digest_into(h)
        self.stock.digest_into(h)
        self.templates.digest_into(h)
        return h.hexdigest()
