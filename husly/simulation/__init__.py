"""Husly's policy simulation: pure Python + NumPy, no Django.

Plain data in (:class:`SimulationInput`: today's waiting list and stock, rates from the history,
the levers a leader can change, runs and a seed), plain data out (:class:`SimulationResult`:
per-run counters, figures with bands across runs, each household's chance of an offer within N
months). It calls the production priority and matching code (``husly.matching``) for priority
points, the occupancy norm and fit. See ``docs/leaders-guide.md`` and ADR 0019.

* :func:`simulate`: vectorised over runs (NumPy);
* :func:`simulate_reference`: the same model with per-household Python loops, an exact oracle
  on small inputs and the baseline of ``./dev bench simulation``.
"""

from husly.simulation.engine import simulate
from husly.simulation.model import (
    GROUPS,
    ArrivalTemplates,
    Levers,
    Rates,
    SimulationInput,
    Stock,
    Waiting,
)
from husly.simulation.reference import simulate_reference
from husly.simulation.result import BAND, FIGURES, Band, SimulationResult, compare

__all__ = [
    "BAND",
    "FIGURES",
    "GROUPS",
    "ArrivalTemplates",
    "Band",
    "Levers",
    "Rates",
    "SimulationInput",
    "SimulationResult",
    "Stock",
    "Waiting",
    "compare",
    "simulate",
    "simulate_reference",
]
