"""A policy simulation asked for on the simulation page runs on the queue, with a real worker:
the page shows it queued, the worker runs it as the leader who asked and stores it, the state
page then leads to the result; the stored run replays identically and is the run a direct call
with the same seed and day gives; a retry stores nothing twice; a lost right ends it not run,
with the reason; only the municipality's leaders and administrators see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from husly.audit.models import ChangeEvent
from husly.organisation.models import Membership
from husly.policy import actions, inputs
from husly.policy.forms import LeversForm
from husly.policy.models import SimulationRequest, SimulationRequestStatus, SimulationRun
from husly.policy.selectors import replays_identically
from husly.simulation import SimulationResult
from tests.allocation.helpers import approve, make_dwelling, make_household
from tests.jobs.conftest import run_worker

pytestmark = pytest.mark.postgres


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def simulation_world(raelingen, routing, sara, geir, eirik) -> None:  # type: ignore[no-untyped-def]
    for name in ("Berg", "Haugen", "Lie"):
        approve(sara, geir, make_household(raelingen, name))
    for rooms in (1, 2, 2, 3):
        make_dwelling(raelingen, eirik, rooms=rooms)


def _form(raelingen, **changed: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    data = LeversForm.initial_from(inputs.todays_levers(raelingen))
    data.update({"label": "Treårige kontrakter", "runs": 20, "horizon_months": 12, **changed})
    return {k: v for k, v in data.items() if v is not False}


def test_a_simulation_asked_for_on_the_page_runs_on_the_queue(  # type: ignore[no-untyped-def]
    queue, simulation_world, raelingen, lise, arne
) -> None:
    client = _client(lise)
    response = client.post(reverse("policy:simulation"), _form(raelingen, lease_length_months=36))
    asked = SimulationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("policy:request_detail", args=[asked.pk])
    assert (asked.status, asked.requested_by, asked.changes["lease_length_months"]) == (
        SimulationRequestStatus.QUEUED,
        lise,
        36,
    )
    assert not SimulationRun.objects.exists()  # nothing before the worker
    job = ProcrastinateJob.objects.get(pk=asked.job_id)
    assert (job.task_name, job.status, job.args["municipality_id"]) == (
        "policy_simulate",
        "todo",
        raelingen.pk,
    )
    assert ChangeEvent.objects.filter(action="simulation_queue", actor=lise).count() == 1
    waiting = client.get(response["Location"]).content.decode()
    assert "I kø" in waiting and 'hx-trigger="every 3s"' in waiting
    assert "Treårige kontrakter" in client.get(reverse("policy:simulation")).content.decode()
    # The administrator sees it among the municipality's jobs.
    assert "Simulering av politikk" in _client(arne).get(reverse("jobs:job_list")).content.decode()

    run_worker()
    assert ProcrastinateJob.objects.get(pk=asked.job_id).status == "succeeded"
    asked.refresh_from_db()
    run = SimulationRun.objects.get()
    assert (asked.status, asked.run, run.created_by) == (SimulationRequestStatus.DONE, run, lise)
    assert run.levers["lease_length_months"] == 36 and run.seed == asked.seed
    assert ChangeEvent.objects.filter(action="simulation_run", actor=lise).count() == 1
    assert replays_identically(run)
    # The same run as a direct call with the seed and day chosen when it was asked for.
    direct = actions.simulation_run(
        actor=lise,
        municipality=raelingen,
        label="direkte",
        changes=asked.changes,
        runs=asked.runs,
        horizon_months=asked.horizon_months,
        seed=asked.seed,
        today=asked.as_of,
    )
    assert SimulationResult.from_dict(direct.result).same_outcome(
        SimulationResult.from_dict(run.result)
    )
    # The polling page turns done; opened again, the state page leads to the result.
    polled = client.get(reverse("policy:request_detail", args=[asked.pk]), HTTP_HX_REQUEST="true")
    body = polled.content.decode()
    assert "Fullført" in body and "hx-trigger" not in body
    assert reverse("policy:run_detail", args=[run.pk]) in body
    again = client.get(reverse("policy:request_detail", args=[asked.pk]))
    assert again.status_code == 302
    assert again["Location"] == reverse("policy:run_detail", args=[run.pk])

    # A rerun of the job (a retry after a crash) stores nothing twice.
    app.tasks["policy_simulate"].defer(request_id=asked.pk, municipality_id=raelingen.pk)
    run_worker()
    assert SimulationRun.objects.filter(label="Treårige kontrakter").count() == 1


def test_a_queued_simulation_whose_asker_lost_the_right_is_not_run_and_says_why(  # type: ignore[no-untyped-def]
    queue, simulation_world, raelingen, lise, arne
) -> None:
    asked = actions.simulation_queue(
        actor=lise, municipality=raelingen, label="Uten rett", changes={}, runs=1, horizon_months=12
    )
    Membership.objects.filter(user=lise).delete()
    run_worker()
    asked.refresh_from_db()
    assert asked.status == SimulationRequestStatus.FAILED
    assert asked.error == "Du har ikke lenger rett til å kjøre simuleringer."
    assert not SimulationRun.objects.exists()
    page = _client(arne).get(reverse("policy:request_detail", args=[asked.pk])).content.decode()
    assert "Feilet" in page and "ikke lenger rett" in page


def test_bad_levers_are_refused_on_the_page_and_nothing_is_queued(  # type: ignore[no-untyped-def]
    queue, simulation_world, raelingen, lise
) -> None:
    response = _client(lise).post(reverse("policy:simulation"), _form(raelingen, runs=7))
    assert response.status_code == 200
    assert not SimulationRequest.objects.exists()
    assert not ProcrastinateJob.objects.filter(task_name="policy_simulate").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("lise", 200), ("arne", 200), ("sara", 404), ("geir", 404), ("eirik", 404), ("olga", 404)],
)
def test_the_state_page_per_role(request, raelingen, lise, who, status) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    asked = SimulationRequest.objects.create(
        municipality=raelingen,
        label="I kø",
        changes={},
        runs=1,
        horizon_months=12,
        seed=1,
        as_of=dt.date(2026, 12, 3),
        requested_by=lise,
    )
    user = request.getfixturevalue(who)
    response = _client(user).get(reverse("policy:request_detail", args=[asked.pk]))
    assert response.status_code == status
