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

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.audit.events import record_change
from husly.organisation.access import require_permission
from husly.organisation.models import Municipality, User
from husly.policy import inputs
from husly.policy.models import SimulationRequest, SimulationRequestStatus, SimulationRun
from husly.policy.selectors import SIMULATION_ROLES, code_version
from husly.simulation import Levers, simulate

MAX_RUNS = 200
MAX_MONTHS = 240


def _check_size(runs: int, horizon_months: int) -> None:
    if not 1 <= runs <= MAX_RUNS:
        raise ValidationError({"runs": _("Choose between 1 and %(n)d runs.") % {"n": MAX_RUNS}})
    if not 12 <= horizon_months <= MAX_MONTHS:  # noqa: PLR2004
        raise ValidationError(
            {"horizon_months": _("Choose between 12 and %(n)d months.") % {"n": MAX_MONTHS}}
        )


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
    _check_size(runs, horizon_months)
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


def simulation_queue(
    *,
    actor: User,
    municipality: Municipality,
    label: str,
    changes: Mapping[str, Any],
    runs: int = 50,
    horizon_months: int = 60,
    seed: int | None = None,
    today: dt.date | None = None,
) -> SimulationRequest:
    """Ask for a simulation on the job queue (ADR 0034): checked now (right, size, levers), run
    by the job ``policy_simulate`` through ``simulation_run`` as the user who asked, from the day
    asked and with the seed chosen now. The job is deferred in this transaction: no request
    without its job, no job for a request that rolled back."""
    from husly.policy.tasks import policy_simulate

    require_permission(actor, municipality.pk, SIMULATION_ROLES)
    _check_size(runs, horizon_months)
    try:
        Levers.from_dict({**inputs.todays_levers(municipality).to_dict(), **dict(changes)})
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("The levers are not valid: %(error)s") % {"error": exc}) from exc
    with transaction.atomic():
        request = SimulationRequest.objects.create(
            municipality=municipality,
            label=label.strip() or _("Scenario"),
            changes=dict(changes),
            runs=runs,
            horizon_months=horizon_months,
            seed=secrets.randbelow(2**31) if seed is None else seed,
            as_of=today or timezone.localdate(),
            requested_by=actor,
        )
        request.job_id = policy_simulate.defer(
            request_id=request.pk, municipality_id=municipality.pk
        )
        request.save(update_fields=["job_id"])
        record_change(
            actor=actor,
            action="simulation_queue",
            instance=request,
            municipality=municipality,
            changes={
                "label": [None, request.label],
                "changes": [None, request.changes],
                "seed": [None, request.seed],
                "runs": [None, runs],
                "horizon_months": [None, horizon_months],
            },
        )
    return request


def simulation_request_run(*, request_id: int) -> int | None:
    """The queue job's work: run the asked-for simulation once and store it (the run's own
    audit event names the user who asked). A rerun (a retry after a crash) finds the request
    no longer queued and does nothing; a crash before the commit stores nothing, and the retry
    runs it again with the same seed and day, so the stored run is the same. A lost right or
    levers no longer valid end the request *not run* with the reason; any other error rolls
    back and is raised, so the queue retries it."""
    with transaction.atomic():
        request = (
            SimulationRequest.objects.select_for_update()
            .select_related("municipality", "requested_by")
            .filter(pk=request_id)
            .first()
        )
        if request is None or request.status != SimulationRequestStatus.QUEUED:
            return request.run_id if request is not None else None
        try:
            with transaction.atomic():
                run = simulation_run(
                    actor=request.requested_by,
                    municipality=request.municipality,
                    label=request.label,
                    changes=request.changes,
                    runs=request.runs,
                    horizon_months=request.horizon_months,
                    seed=request.seed,
                    today=request.as_of,
                )
        except PermissionDenied:
            request.status = SimulationRequestStatus.FAILED
            request.error = _("You no longer have the right to run simulations.")
        except ValidationError as error:
            request.status = SimulationRequestStatus.FAILED
            request.error = _("The simulation was not run: %(errors)s") % {
                "errors": " ".join(error.messages)
            }
        else:
            request.status = SimulationRequestStatus.DONE
            request.run = run
        request.finished_at = timezone.now()
        request.save(update_fields=["status", "error", "run", "finished_at"])
        return request.run_id
