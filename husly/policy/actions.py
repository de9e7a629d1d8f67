"""The one state change of policy simulation: run one and store it.

``simulation_run`` is the entry point a job can call (keyword arguments only, plain values):
it reads today's state and the rates from the database (``husly.policy.inputs``), runs today's
policy and the scenario from the same start with the same seed (common random numbers, so the
difference is the levers, not the luck), and stores both with the input, seed and code version.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.audit.events import record_change
from husly.organisation.access import require_permission
from husly.organisation.models import Municipality, User
from husly.policy import inputs
from husly.policy.models import SimulationRun
from husly.policy.selectors import SIMULATION_ROLES, code_version
from husly.simulation import Levers, simulate

MAX_RUNS = 200
MAX_MONTHS = 240


def simulation_run(
    *,
    actor: User | None,
    municipality: Municipality,
    label: str,
    changes: Mapping[str, Any],
    runs: int = 50,
    horizon_months: int = 60,
    seed: int | None = None,
    today: dt.date | None = None,
) -> SimulationRun:
    """Run today's policy and the scenario (today's levers with ``changes``) and store both."""
    require_permission(actor, municipality.pk, SIMULATION_ROLES)
    if not 1 <= runs <= MAX_RUNS:
        raise ValidationError({"runs": _("Choose between 1 and %(n)d runs.") % {"n": MAX_RUNS}})
    if not 12 <= horizon_months <= MAX_MONTHS:  # noqa: PLR2004
        raise ValidationError(
            {"horizon_months": _("Choose between 12 and %(n)d months.") % {"n": MAX_MONTHS}}
        )
    today = today or timezone.localdate()
    seed = secrets.randbelow(2**31) if seed is None else seed
    baseline, basis = inputs.simulation_input(
        municipality, today, runs=runs, horizon_months=horizon_months, seed=seed
    )
    try:
        levers = Levers.from_dict({**baseline.levers.to_dict(), **dict(changes)})
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("The levers are not valid: %(error)s") % {"error": exc}) from exc
    scenario = baseline.with_levers(levers)
    today_result = simulate(baseline)
    scenario_result = simulate(scenario)
    with transaction.atomic():
        run = SimulationRun(
            municipality=municipality,
            label=label.strip() or _("Scenario"),
            levers=levers.to_dict(),
            baseline_levers=baseline.levers.to_dict(),
            input=baseline.to_dict(),
            input_digest=baseline.digest(),
            rates_basis=basis,
            seed=seed,
            runs=runs,
            horizon_months=horizon_months,
            code_version=code_version(),
            baseline_result=today_result.to_dict(),
            result=scenario_result.to_dict(),
            seconds=today_result.seconds + scenario_result.seconds,
            created_by=actor,
        )
        run.full_clean()
        run.save()
        # the event names the run and what defines it; the input and results stay on the run
        record_change(
            actor=actor,
            action="simulation_run",
            instance=run,
            municipality=municipality,
            changes={
                "label": [None, run.label],
                "levers": [None, run.levers],
                "seed": [None, seed],
                "runs": [None, runs],
                "horizon_months": [None, horizon_months],
                "input_digest": [None, run.input_digest],
                "code_version": [None, run.code_version],
            },
        )
        return run
