"""Priority points for waiting households (pure Python + NumPy, no Django).

A municipality's priority policy is configuration: a versioned :class:`PriorityPolicy` loaded from a
plain mapping (or YAML text). :func:`score_priority` scores every waiting household at once, from
arrays, and keeps one column per component so each household's total can be shown broken down
(:meth:`PriorityScores.breakdown`); the components always sum to the total.

Where each rule comes from:

* **What counts** (medical and social circumstances, children's situation): Rælingen's allocation
  guidelines point 6 *Prioritering* (raelingen L5451–5463): "particular weight is given to medical
  and/or social circumstances and to children's situation"; point 5.1 (L5361–5368): "children's
  situation shall be given weight". Oslo allocates on social-medical grounds (*sosialmedisinsk
  grunnlag*) since 1976 (oslo L1459–1467).
* **Urgency** (homeless, temporary accommodation, about to lose the dwelling): Rælingen point 5.4
  (raelingen L5386–5405): without suitable housing, or about to become so (lease ends or discharge
  from an institution within six months, dwelling unsuitable); Oslo's situation categories
  without dwelling / at risk / unsuitable (oslo L2676–2682); temporary accommodation is meant to be
  short, national target max 3 months (oslo L1196–1200).
* **Time waited**, capped: Rælingen point 7.1 (raelingen L5483–5485): an applicant with *tilsagn*
  shall be allocated a dwelling within 6 months, so waiting time raises priority; but needs
  testing replaced seniority (*ansiennitet*) in Oslo (oslo L1459–1467, L4257–4259), so the
  waiting-time component is capped and cannot outgrow need.
* **Manual adjustment with a mandatory reason**: Rælingen points 5.1 and 6 (raelingen L5361–5368,
  L5451–5463): exceptions "in case of acute need or strong humanitarian considerations" and an
  overall assessment (*samlet vurdering*); peers.md §1.5 and §3.2 (Huume: "manual override with
  mandatory reason"). :func:`score_priority` refuses an adjustment without a reason.
* **Bands**: UK choice-based-lettings bands and the French *cotation* grid (peers.md §1.4–1.5); the
  top band is the group the batch solver protects first (see ``husly.matching.batch``).

No source gives a scoring formula (raelingen L5451–5463 is discretionary, nova.md notes that
priority rules must be configurable per municipality). The default weights below are a design
default for a municipality to replace, not a legal rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Protocol

import numpy as np
import yaml
from numpy.typing import NDArray

__all__ = [
    "COMPONENTS",
    "COMPONENT_LABELS",
    "PriorityBreakdown",
    "PriorityInputs",
    "PriorityItem",
    "PriorityPolicy",
    "PriorityScores",
    "Urgency",
    "load_priority_policy",
    "score_priority",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class Urgency(IntEnum):
    """The household's housing situation, most urgent last.

    Source: Rælingen guidelines point 5.4 a–c (raelingen L5386–5405) and Oslo's situation
    categories (oslo L2676–2682); temporary accommodation: oslo L1196–1200.
    """

    NONE = 0
    UNSUITABLE_DWELLING = 1
    LEASE_ENDING = 2
    LEAVING_INSTITUTION = 3
    TEMPORARY_ACCOMMODATION = 4
    HOMELESS = 5


URGENCY_LABELS: dict[Urgency, str] = {
    Urgency.NONE: "ingen særskilt hastegrad",
    Urgency.UNSUITABLE_DWELLING: "bor i uegnet bolig",
    Urgency.LEASE_ENDING: "leieforholdet opphører innen seks måneder",
    Urgency.LEAVING_INSTITUTION: "utskrives fra institusjon innen seks måneder uten bolig",
    Urgency.TEMPORARY_ACCOMMODATION: "bor i midlertidig botilbud",
    Urgency.HOMELESS: "bostedsløs",
}

#: Component names, in the order of the columns of :attr:`PriorityScores.points`.
COMPONENTS: tuple[str, ...] = (
    "base",
    "medical",
    "social",
    "children",
    "urgency",
    "waiting_time",
    "manual",
)

#: Norwegian labels for the components, for caseworkers and letters.
COMPONENT_LABELS: dict[str, str] = {
    "base": "Grunnpoeng (tilsagn)",
    "medical": "Medisinske forhold",
    "social": "Sosiale forhold",
    "children": "Barns situasjon",
    "urgency": "Hastegrad (bosituasjon)",
    "waiting_time": "Ventetid",
    "manual": "Manuell justering",
}

#: Assessed levels for medical, social and children's circumstances run from 0 (none) to this.
MAX_LEVEL = 3.0


class PriorityInputs(Protocol):
    """What the scorer reads: one array entry per waiting household (``Households`` fits this).

    ``medical``, ``social`` and ``children`` are the caseworker's assessed levels 0–3 (0 none,
    3 very heavy); ``urgency`` holds :class:`Urgency` codes; ``manual_points`` is the manual
    adjustment and ``manual_reasons`` its reason ("" when there is none).
    """

    @property
    def id(self) -> IntArray: ...
    @property
    def medical(self) -> FloatArray: ...
    @property
    def social(self) -> FloatArray: ...
    @property
    def children(self) -> FloatArray: ...
    @property
    def urgency(self) -> IntArray: ...
    @property
    def waited_days(self) -> IntArray: ...
    @property
    def manual_points(self) -> FloatArray: ...
    @property
    def manual_reasons(self) -> tuple[str, ...]: ...


def _default_urgency_points() -> tuple[float, ...]:
    return (0.0, 10.0, 15.0, 20.0, 25.0, 30.0)


@dataclass(frozen=True)
class PriorityPolicy:
    """A municipality's priority policy, one version of it.

    Points = ``base_points``
    + ``medical_weight`` × medical level + ``social_weight`` × social level
    + ``children_weight`` × children's-situation level (levels 0–3)
    + ``urgency_points[urgency]``
    + ``waiting_points_per_month`` × min(months waited, ``waiting_cap_months``)
    + manual adjustment.

    Sources: module docstring (raelingen L5451–5463, L5361–5368, L5386–5405, L5483–5485; oslo
    L1459–1467, L2676–2682). ``bands`` are (name, minimum points), highest first; the first band
    is the top band (peers.md §1.5).
    """

    version: str
    base_points: float = 1.0
    medical_weight: float = 10.0
    social_weight: float = 8.0
    children_weight: float = 8.0
    urgency_points: tuple[float, ...] = field(default_factory=_default_urgency_points)
    waiting_points_per_month: float = 1.0
    waiting_cap_months: float = 12.0
    bands: tuple[tuple[str, float], ...] = (("A", 70.0), ("B", 40.0), ("C", 0.0))

    def __post_init__(self) -> None:
        if len(self.urgency_points) != len(Urgency):
            raise ValueError(f"urgency_points needs {len(Urgency)} values, one per Urgency")
        if not self.bands:
            raise ValueError("a priority policy needs at least one band")
        minima = [m for _, m in self.bands]
        if minima != sorted(minima, reverse=True):
            raise ValueError("bands must be listed highest minimum first")
        numbers = (
            self.base_points,
            self.medical_weight,
            self.social_weight,
            self.children_weight,
            self.waiting_points_per_month,
            self.waiting_cap_months,
            *self.urgency_points,
        )
        if any(not np.isfinite(x) or x < 0 for x in numbers):
            raise ValueError("priority weights must be finite and non-negative")

    @property
    def band_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.bands)

    @property
    def top_band(self) -> str:
        return self.bands[0][0]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> PriorityPolicy:
        """Build from plain configuration data (as loaded from YAML or JSON).

        ``urgency_points`` is a mapping from :class:`Urgency` names in lower case
        (``homeless``, ``temporary_accommodation`` ...) to points; missing names keep the default.
        ``bands`` is a mapping from band name to minimum points (any order).
        """
        known = {
            "version",
            "base_points",
            "medical_weight",
            "social_weight",
            "children_weight",
            "urgency_points",
            "waiting_points_per_month",
            "waiting_cap_months",
            "bands",
        }
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown priority policy keys: {sorted(unknown)}")
        kwargs: dict[str, Any] = {k: data[k] for k in known & set(data)}
        kwargs["version"] = str(data["version"])
        for key in known - {"version", "urgency_points", "bands"}:
            if key in kwargs:
                kwargs[key] = float(kwargs[key])
        if "urgency_points" in data:
            points = list(_default_urgency_points())
            for name, value in dict(data["urgency_points"]).items():
                points[Urgency[str(name).upper()]] = float(value)
            kwargs["urgency_points"] = tuple(points)
        if "bands" in data:
            pairs = [(str(k), float(v)) for k, v in dict(data["bands"]).items()]
            kwargs["bands"] = tuple(sorted(pairs, key=lambda p: -p[1]))
        return cls(**kwargs)

    def to_mapping(self) -> dict[str, Any]:
        """The inverse of :meth:`from_mapping`: plain, JSON-serialisable data."""
        return {
            "version": self.version,
            "base_points": self.base_points,
            "medical_weight": self.medical_weight,
            "social_weight": self.social_weight,
            "children_weight": self.children_weight,
            "urgency_points": {u.name.lower(): self.urgency_points[u] for u in Urgency},
            "waiting_points_per_month": self.waiting_points_per_month,
            "waiting_cap_months": self.waiting_cap_months,
            "bands": dict(self.bands),
        }

    def digest(self) -> str:
        """A short content hash, so a stored proposal names the exact policy it used."""
        text = json.dumps(self.to_mapping(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def band_of(self, points: FloatArray) -> NDArray[np.int8]:
        """Band index per household (0 = top band)."""
        minima = np.array([m for _, m in self.bands], dtype=np.float64)
        # number of band minima strictly above the points = index of the band the points reach
        index = np.sum(points[:, None] < minima[None, :], axis=1)
        out: NDArray[np.int8] = np.minimum(index, len(self.bands) - 1).astype(np.int8)
        return out


def load_priority_policy(text: str) -> PriorityPolicy:
    """Load a :class:`PriorityPolicy` from YAML text (configuration, not code)."""
    data = yaml.safe_load(text)
    if not isinstance(data, Mapping):
        raise ValueError("a priority policy must be a YAML mapping")
    return PriorityPolicy.from_mapping(data)


@dataclass(frozen=True)
class PriorityItem:
    """One line of a priority breakdown."""

    component: str
    label: str
    points: float
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "label": self.label,
            "points": self.points,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class PriorityBreakdown:
    """A household's priority, itemised; ``sum(item.points) == total``."""

    household_id: int
    total: float
    band: str
    items: tuple[PriorityItem, ...]
    policy_version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "household_id": self.household_id,
            "total": self.total,
            "band": self.band,
            "items": [item.to_dict() for item in self.items],
            "policy_version": self.policy_version,
        }


@dataclass(frozen=True)
class PriorityScores:
    """Scores for many households: ``points[:, k]`` is component ``COMPONENTS[k]``."""

    policy: PriorityPolicy
    household_ids: IntArray
    points: FloatArray
    total: FloatArray
    band: NDArray[np.int8]
    inputs: PriorityInputs

    def index_of(self, household_id: int) -> int:
        hits = np.flatnonzero(self.household_ids == household_id)
        if hits.size != 1:
            raise KeyError(f"household {household_id} is not in these scores")
        return int(hits[0])

    def band_name(self, index: int) -> str:
        return self.policy.bands[int(self.band[index])][0]

    def breakdown(self, index: int) -> PriorityBreakdown:
        """The breakdown for the household at array position ``index``."""
        inp = self.inputs
        urgency = Urgency(int(inp.urgency[index]))
        months = float(inp.waited_days[index]) / 30.4375
        details = {
            "base": "oppført på ventelisten med tilsagn",
            "medical": f"vurdert nivå {inp.medical[index]:g} av {MAX_LEVEL:g}",
            "social": f"vurdert nivå {inp.social[index]:g} av {MAX_LEVEL:g}",
            "children": f"vurdert nivå {inp.children[index]:g} av {MAX_LEVEL:g}",
            "urgency": URGENCY_LABELS[urgency],
            "waiting_time": (
                f"{months:.1f}".replace(".", ",") + " måneder på ventelisten "
                f"(teller høyst {self.policy.waiting_cap_months:g} måneder)"
            ),
            "manual": inp.manual_reasons[index] or "ingen manuell justering",
        }
        items = tuple(
            PriorityItem(
                component=name,
                label=COMPONENT_LABELS[name],
                points=float(self.points[index, k]),
                detail=details[name],
            )
            for k, name in enumerate(COMPONENTS)
        )
        return PriorityBreakdown(
            household_id=int(self.household_ids[index]),
            total=float(self.total[index]),
            band=self.band_name(index),
            items=items,
            policy_version=self.policy.version,
        )


def _check_levels(name: str, values: FloatArray) -> None:
    if values.size == 0:
        return
    if np.any(~np.isfinite(values)) or values.min() < 0 or values.max() > MAX_LEVEL:
        raise ValueError(f"{name} levels must lie between 0 and {MAX_LEVEL:g}")


def score_priority(policy: PriorityPolicy, households: PriorityInputs) -> PriorityScores:
    """Score all households at once (vectorised); see :class:`PriorityPolicy` for the formula.

    Raises ``ValueError`` when a manual adjustment has no reason (raelingen L5361–5368: exceptions
    rest on a stated assessment; peers.md §3.2: manual override with mandatory reason).
    """
    medical = np.asarray(households.medical, dtype=np.float64)
    social = np.asarray(households.social, dtype=np.float64)
    children = np.asarray(households.children, dtype=np.float64)
    urgency = np.asarray(households.urgency, dtype=np.int64)
    waited = np.asarray(households.waited_days, dtype=np.float64)
    manual = np.asarray(households.manual_points, dtype=np.float64)
    reasons: Sequence[str] = households.manual_reasons
    n = medical.shape[0]
    for name, values in (("medical", medical), ("social", social), ("children", children)):
        _check_levels(name, values)
    if n and (urgency.min() < 0 or urgency.max() >= len(Urgency)):
        raise ValueError("urgency codes must be Urgency values")
    if n and waited.min() < 0:
        raise ValueError("waited_days cannot be negative")
    if len(reasons) != n:
        raise ValueError("one manual reason (possibly empty) is needed per household")
    missing = [
        int(households.id[i]) for i in np.flatnonzero(manual != 0) if not reasons[int(i)].strip()
    ]
    if missing:
        raise ValueError(f"manual adjustment without a reason for households {missing[:10]}")

    urgency_table = np.asarray(policy.urgency_points, dtype=np.float64)
    months = np.minimum(waited / 30.4375, policy.waiting_cap_months)
    points = np.empty((n, len(COMPONENTS)), dtype=np.float64)
    points[:, 0] = policy.base_points
    points[:, 1] = policy.medical_weight * medical
    points[:, 2] = policy.social_weight * social
    points[:, 3] = policy.children_weight * children
    points[:, 4] = urgency_table[urgency]
    points[:, 5] = policy.waiting_points_per_month * months
    points[:, 6] = manual
    total = points.sum(axis=1)
    if n and total.min() < 0:
        raise ValueError("a manual adjustment cannot make the total priority negative")
    return PriorityScores(
        policy=policy,
        household_ids=np.asarray(households.id, dtype=np.int64),
        points=points,
        total=total,
        band=policy.band_of(total),
        inputs=households,
    )
