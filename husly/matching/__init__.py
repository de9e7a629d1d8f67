"""Husly's matching and priority engine: pure Python + NumPy/SciPy, no Django.

Plain data in (:class:`MatchingInput`: column arrays of households, dwellings, buildings, two
versioned policies and a seed), plain data plus explanations out. Entry points:

* :func:`score_priority`: vectorised priority points with a per-household breakdown;
* :func:`shortlist_for_dwelling`: ranked compatible households for one dwelling, with reasons;
* :func:`propose_batch`: optimal proposal for a round of vacancies; :func:`replay` re-runs a
  stored proposal and checks it is identical;
* :func:`propose_greedy`: highest-priority-first baseline, for comparison.

See ``docs/matching.md``.
"""

from husly.matching.batch import (
    Assignment,
    BatchProposal,
    DwellingExplanation,
    HouseholdExplanation,
    ReplayMismatchError,
    SolverOptions,
    SolverReport,
    propose_batch,
    propose_greedy,
    replay,
)
from husly.matching.constraints import Prepared, prepare
from husly.matching.data import (
    ANY_DISTRICT,
    NO_FLOOR_LIMIT,
    BuildingRecord,
    Buildings,
    DwellingRecord,
    Dwellings,
    HouseholdRecord,
    Households,
    MatchingInput,
    Vocabulary,
)
from husly.matching.explain import CONSTRAINT_BITS, Reason
from husly.matching.policy import (
    FitWeights,
    MatchingPolicy,
    OccupancyNorm,
    load_matching_policy,
)
from husly.matching.priority import (
    COMPONENTS,
    PriorityBreakdown,
    PriorityItem,
    PriorityPolicy,
    PriorityScores,
    Urgency,
    load_priority_policy,
    score_priority,
)
from husly.matching.shortlist import Candidate, Exclusion, Shortlist, shortlist_for_dwelling

__all__ = [
    "ANY_DISTRICT",
    "COMPONENTS",
    "CONSTRAINT_BITS",
    "NO_FLOOR_LIMIT",
    "Assignment",
    "BatchProposal",
    "BuildingRecord",
    "Buildings",
    "Candidate",
    "DwellingExplanation",
    "DwellingRecord",
    "Dwellings",
    "Exclusion",
    "FitWeights",
    "HouseholdExplanation",
    "HouseholdRecord",
    "Households",
    "MatchingInput",
    "MatchingPolicy",
    "OccupancyNorm",
    "Prepared",
    "PriorityBreakdown",
    "PriorityItem",
    "PriorityPolicy",
    "PriorityScores",
    "Reason",
    "ReplayMismatchError",
    "Shortlist",
    "SolverOptions",
    "SolverReport",
    "Urgency",
    "Vocabulary",
    "load_matching_policy",
    "load_priority_policy",
    "prepare",
    "propose_batch",
    "propose_greedy",
    "replay",
    "score_priority",
    "shortlist_for_dwelling",
]
