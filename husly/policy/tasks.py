"""The simulation's job: a simulation asked for on the page runs on the queue (ADR 0034)."""

from __future__ import annotations

from husly.jobs.registry import job
from husly.policy.actions import simulation_request_run


@job("policy_simulate")
def policy_simulate(*, request_id: int, municipality_id: int) -> int | None:
    """Run the asked-for simulation; ``municipality_id`` shows the job to that municipality's
    administrators. Safe to run twice: a request is run once."""
    del municipality_id
    return simulation_request_run(request_id=request_id)
