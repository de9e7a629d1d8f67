"""The policy-simulation rows of test_action_permissions' TABLE: leaders and the
municipality's administrator run simulations (aggregates only); nobody else."""

from __future__ import annotations

from typing import Any

from husly.policy import actions as policy

LE, AD = "leader", "administrator"

ROWS: dict[str, tuple[set[str], Any]] = {
    "husly.policy.actions.simulation_run": (
        {LE, AD},
        lambda w, a: policy.simulation_run(
            actor=a,
            municipality=w.municipality,
            label="Treårige kontrakter",
            changes={"lease_length_months": 36},
            runs=1,
            horizon_months=12,
            seed=1,
        ),
    ),
    "husly.policy.actions.simulation_queue": (
        {LE, AD},
        lambda w, a: policy.simulation_queue(
            actor=a,
            municipality=w.municipality,
            label="Treårige kontrakter i kø",
            changes={"lease_length_months": 36},
            runs=1,
            horizon_months=12,
            seed=1,
        ),
    ),
}
