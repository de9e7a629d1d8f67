"""Running a policy simulation from the records: stored with inputs, levers, seed and code
version, replayed identically; leaders and administrators only; the household's estimate in
Min side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from husly.audit.models import ChangeEvent
from husly.policy import actions
from husly.policy.models import SimulationRun
from husly.policy.selectors import replays_identically, wait_estimate
from tests.allocation.helpers import approve, entry_of, make_dwelling, make_household
from tests.factories import synthetic_number

pytestmark = pytest.mark.django_db

MY_NUMBER = synthetic_number(dt.date(1988, 4, 5))
TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def _on_today() -> Iterator[None]:
    """The records are made on TODAY, the day the simulations start from (the counts below
    are of what stood that day; records made on a later real day would not count)."""
    with time_machine.travel(dt.datetime(2026, 12, 3, 11, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def world(raelingen, routing, sara, geir, eirik, housing_office):  # type: ignore[no-untyped-def]
    mine = make_household(raelingen, "Berg", national_id=MY_NUMBER)
    others = [make_household(raelingen, "Haugen", children=2), make_household(raelingen, "Lie")]
    decisions = {h.name: approve(sara, geir, h) for h in [*others, mine]}
    for rooms in (1, 2, 2, 3):
        make_dwelling(raelingen, eirik, rooms=rooms)
    return decisions["Berg"]


def _run(actor, municipality, **changes):  # type: ignore[no-untyped-def]
    return actions.simulation_run(
        actor=actor,
        municipality=municipality,
        label="Treårige kontrakter",
        changes=changes or {"lease_length_months": 36},
        runs=20,
        horizon_months=12,
        seed=5,
        today=TODAY,
    )


def test_a_leader_runs_a_simulation_and_it_is_stored_and_replays_identically(
    world, raelingen, lise
) -> None:
    run = _run(lise, raelingen)
    assert run.levers["lease_length_months"] == 36
    assert run.baseline_levers["lease_length_months"] != 36 or run.levers == run.baseline_levers
    assert run.input["waiting"]["id"] and len(run.input["stock"]["id"]) == 4
    assert run.rates_basis["waiting"] == 3
    assert len(run.code_version) == 16
    assert replays_identically(run)
    event = ChangeEvent.objects.get(action="simulation_run", object_id=str(run.pk))
    assert event.changes["seed"] == [None, 5]
    # the stored input alone reproduces the run: change it and the replay no longer matches
    run.input["seed"] = 6
    assert not replays_identically(run)


def test_only_leaders_and_administrators_may_run_one(world, raelingen, sara, arne) -> None:
    with pytest.raises(PermissionDenied):
        _run(sara, raelingen)
    assert not SimulationRun.objects.exists()
    assert _run(arne, raelingen).pk


def test_bad_levers_are_refused_in_plain_words_and_nothing_is_stored(
    world, raelingen, lise
) -> None:
    with pytest.raises(ValidationError):
        _run(lise, raelingen, refugee_share=2.0)
    with pytest.raises(ValidationError):
        actions.simulation_run(
            actor=lise, municipality=raelingen, label="x", changes={}, runs=0, today=TODAY
        )
    assert not SimulationRun.objects.exists()


@pytest.mark.parametrize(
    ("who", "page", "detail"),
    [
        ("lise", 200, 200),
        ("arne", 200, 200),
        ("sara", 404, 404),
        ("geir", 404, 404),
        ("eirik", 404, 404),
        ("olga", 404, 404),
    ],
)
def test_the_pages_per_role(world, raelingen, lise, request, who, page, detail) -> None:  # type: ignore[no-untyped-def]
    run = _run(lise, raelingen)
    client = Client()
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("policy:simulation")).status_code == page
    assert client.get(reverse("policy:run_detail", args=[run.pk])).status_code == detail


def test_the_run_page_compares_the_scenario_with_todays_policy(world, raelingen, lise) -> None:
    run = _run(lise, raelingen)
    client = Client()
    client.force_login(lise)
    html = client.get(reverse("policy:run_detail", args=[run.pk])).content.decode()
    assert "Dagens politikk" in html and "Scenario" in html
    assert "Lengde på nye og fornyede leiekontrakter" in html  # the lever by its name
    assert "lease_length_months" not in html
    assert "Berg" not in html and "Haugen" not in html  # aggregates only


def test_the_household_sees_its_chance_of_an_offer_in_plain_words(world, raelingen, lise) -> None:
    client = Client()
    client.post(reverse("portal:login"), {"national_id": MY_NUMBER})
    url = reverse("portal:case", args=[world.case_id])
    assert "Vi har ikke noe anslag" in client.get(url).content.decode()
    _run(lise, raelingen)
    estimate = wait_estimate(raelingen, entry_of(world.case.household).pk)
    assert estimate is not None
    assert 0 <= estimate["within"][3] <= estimate["within"][6] <= estimate["within"][12] <= 1
    html = client.get(url).content.decode()
    assert "husstander som din" in html
    assert "innen seks måneder" in html
    assert "ikke et løfte" in html


def test_the_command_runs_and_stores_a_simulation_as_the_system(world, raelingen) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "simulate",
        "--municipality",
        "3224",
        "--runs",
        "5",
        "--months",
        "12",
        "--seed",
        "3",
        stdout=out,
    )
    run = SimulationRun.objects.get()
    assert run.created_by is None and run.seed == 3
    assert f"Stored simulation {run.pk}" in out.getvalue()


def test_a_household_that_has_accepted_an_offer_is_not_simulated_as_waiting(
    world, raelingen, sara, eirik, lise
) -> None:
    """Min side's estimate starts from households still waiting for an offer: one that has
    accepted an offer (its lease written or not) has its dwelling, and is told so, not a
    chance; the dwelling is let to it from today."""
    from husly.allocation import actions as allocation
    from husly.policy import inputs
    from husly.tenancy import actions as tenancy

    mine = entry_of(world.case.household)
    home = make_dwelling(raelingen, eirik, rooms=1, address="Tilbudsvegen 1")
    offer = allocation.offer_make(actor=sara, entry=mine, dwelling=home)
    # an open offer may still be refused: the household is simulated as waiting
    inp, basis = inputs.simulation_input(raelingen, TODAY, runs=5, horizon_months=12, seed=1)
    assert mine.pk in inp.waiting.id.tolist() and basis["waiting"] == 3

    allocation.offer_accept(actor=sara, offer=offer)
    inp, basis = inputs.simulation_input(raelingen, TODAY, runs=5, horizon_months=12, seed=1)
    assert mine.pk not in inp.waiting.id.tolist() and basis["waiting"] == 2
    k = inp.stock.id.tolist().index(home.pk)
    assert bool(inp.stock.occupied[k])  # let to it, not free for the others on the list
    assert int(inp.stock.lease_end_month[k]) == inp.levers.lease_length_months

    start = dt.date(2027, 1, 1)
    tenancy.lease_create(
        actor=sara,
        offer=offer,
        data={
            "start_date": start,
            "end_date": dt.date(2029, 12, 31),
            "term_kind": "standard",
            "term_basis": "",
            "monthly_rent": 9800,
            "deposit_kind": "nav_guarantee",
            "deposit_amount": 29_400,
            "handover_on": start,
            "inspection_on": start + dt.timedelta(days=60),
        },
    )
    inp, basis = inputs.simulation_input(raelingen, TODAY, runs=5, horizon_months=12, seed=1)
    assert mine.pk not in inp.waiting.id.tolist() and basis["waiting"] == 2
    k = inp.stock.id.tolist().index(home.pk)
    assert bool(inp.stock.occupied[k]) and int(inp.stock.lease_end_month[k]) == 37  # its lease

    _run(lise, raelingen)
    assert wait_estimate(raelingen, mine.pk) is None
    client = Client()
    client.post(reverse("portal:login"), {"national_id": MY_NUMBER})
    html = client.get(reverse("portal:case", args=[world.case_id])).content.decode()
    assert "Du har takket ja til et tilbud om bolig" in html
    assert "husstander som din" not in html and "Vi har ikke noe anslag" not in html
