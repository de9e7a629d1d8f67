"""Who may run and read policy simulations, and the reads the pages and Min side make."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from husly.organisation.access import get_or_404, scoped
from husly.organisation.models import Municipality, Role, User
from husly.policy.models import SimulationRequest, SimulationRequestStatus, SimulationRun
from husly.simulation import Levers, SimulationInput, SimulationResult, compare, simulate

if TYPE_CHECKING:
    from husly.jobs.selectors import JobState

SIMULATION_ROLES = frozenset({Role.LEADER, Role.ADMINISTRATOR})
"""Leaders (and the municipality's administrator) run simulations; they show aggregates only."""


@cache
def code_version() -> str:
    """Digest of the source the results depend on (the simulation and the matching packages)."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for package in ("simulation", "matching"):
        for path in sorted((root / package).glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def runs_for(user: User) -> QuerySet[SimulationRun]:
    return scoped(SimulationRun.objects.all(), user, SIMULATION_ROLES, "municipality_id")  # type: ignore[return-value]


def run_for(user: User, pk: int) -> SimulationRun:
    """The one access function for a stored run: leaders and administrators of its
    municipality; anyone else gets 404."""
    run: SimulationRun = get_or_404(runs_for(user), pk)  # type: ignore[assignment]
    return run


def requests_for(user: User) -> QuerySet[SimulationRequest]:
    return scoped(SimulationRequest.objects.all(), user, SIMULATION_ROLES, "municipality_id")  # type: ignore[return-value]


def request_for(user: User, pk: int) -> SimulationRequest:
    """The one access function for a simulation asked for on the queue: as its run, leaders
    and administrators of its municipality; anyone else gets 404."""
    request: SimulationRequest = get_or_404(requests_for(user), pk)  # type: ignore[assignment]
    return request


def request_state(request: SimulationRequest) -> JobState:
    """The request's state as its page shows it (husly.jobs.selectors.job_state)."""
    from husly.jobs.selectors import job_state

    return job_state(
        done=request.status == SimulationRequestStatus.DONE,
        failed=request.error if request.status == SimulationRequestStatus.FAILED else None,
        job_id=request.job_id,
        stopped=_(
            "The simulation stopped on a technical error and nothing was stored. "
            "The administrator can see the cause under Background jobs and run it again."
        ),
    )


def comparison(run: SimulationRun) -> list[dict[str, Any]]:
    return compare(
        SimulationResult.from_dict(run.baseline_result), SimulationResult.from_dict(run.result)
    )


def latest_estimate_run(municipality: Municipality) -> SimulationRun | None:
    """The newest run of the municipality with at least 12 months ahead (its baseline holds
    each waiting household's chance of an offer within 3, 6 and 12 months)."""
    return (
        SimulationRun.objects.filter(municipality=municipality, horizon_months__gte=12)
        .only("pk", "created_at", "runs", "horizon_months", "rates_basis", "baseline_result")
        .first()
    )


def wait_estimate(municipality: Municipality, entry_id: int) -> dict[str, Any] | None:
    """The household's chance of an offer within 3, 6 and 12 months under today's policy, from
    the newest stored simulation; ``None`` when no simulation has been run since the household
    came onto the list."""
    run = latest_estimate_run(municipality)
    if run is None:
        return None
    result = SimulationResult.from_dict(run.baseline_result)
    shares = result.offer_within((3, 6, 12)).get(entry_id)
    if shares is None:
        return None
    return {
        "within": dict(zip((3, 6, 12), shares, strict=True)),
        "in_ten": {n: round(10 * s) for n, s in zip((3, 6, 12), shares, strict=True)},
        "runs": run.runs,
        "computed_on": run.created_at,
        "basis": run.rates_basis,
    }


def replay(run: SimulationRun) -> tuple[SimulationResult, SimulationResult]:
    """Run a stored simulation again from its stored input, levers and seed (no database
    reads): both results are identical to the stored ones when the code version is the same."""
    baseline = SimulationInput.from_dict(run.input)
    scenario = baseline.with_levers(Levers.from_dict(run.levers))
    return simulate(baseline), simulate(scenario)


def replays_identically(run: SimulationRun) -> bool:
    today_result, scenario_result = replay(run)
    return today_result.same_outcome(
        SimulationResult.from_dict(run.baseline_result)
    ) and scenario_result.same_outcome(SimulationResult.from_dict(run.result))
