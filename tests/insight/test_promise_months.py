"""A municipality whose allocation promise is three months, not Rælingen's six: its own
parameter file (``municipal.<number>.allocation.promise_months``, loaded and checked by the
parameter loader and put in force with ``params.tree_in_use``) drives the dashboard's figures
and texts, the work list's deadline, the waiting list's promise and the approval letter."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.allocation import engine
from husly.allocation.selectors import RankedList
from husly.cases.letters import decision_letter_context
from husly.cases.models import CaseRouting, HelpKind
from husly.cases.selectors import work_list
from husly.insight import dashboard as figures
from husly.rules import deadlines
from husly.rules.language import date_in
from husly.rules.params import PARAMETERS_ROOT, load_parameter_tree, tree_in_use
from tests.insight.helpers import _entry, _offer

pytestmark = pytest.mark.django_db

LORENSKOG = """\
description: Lørenskog kommune, a test municipality whose allocation promise is three months.
label_nb: Lørenskog kommune
allocation:
  description: The test municipality's allocation guidelines.
  label_nb: Tildeling av kommunal utleiebolig i Lørenskog
  promise_months:
    description: The allocation promise of the test municipality, three months.
    label_nb: Frist for tildeling etter tilsagn
    unit: months
    reference:
      - title: Test municipality, allocation guideline (made up for the test)
    last_checked: 2026-12-03
    values:
      2020-01-01:
        value: 3
        confirmed: true
"""

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def three_months(tmp_path, lorenskog) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    root = tmp_path / "parameters"
    shutil.copytree(PARAMETERS_ROOT, root)
    (root / "municipal" / f"{lorenskog.number}.yaml").write_text(LORENSKOG, encoding="utf-8")
    with tree_in_use(load_parameter_tree(root)):
        yield lorenskog


def test_the_parameter_is_in_force_for_that_municipality_only(three_months) -> None:  # type: ignore[no-untyped-def]
    assert deadlines.allocation_promise_months(three_months.number, TODAY) == 3
    assert deadlines.allocation_promise_months("3224", TODAY) == 6
    assert deadlines.allocation_promise_months(three_months.number, dt.date(2019, 1, 1)) == 6


def test_the_dashboard_counts_the_promise_by_three_months(three_months, olga) -> None:  # type: ignore[no-untyped-def]
    m = three_months
    # placed 10.01: three months run out 10.04 (six would be 10.07, still pending today)
    _entry(m, olga, "Tremåneder", dt.date(2026, 1, 10))
    # placed 20.01, offered 01.05: broken by three months (20.04), kept by six
    late = _entry(m, olga, "Sent", dt.date(2026, 1, 20), status="offered")
    from tests.factories import BuildingFactory, DwellingFactory

    _offer(
        late,
        DwellingFactory(building=BuildingFactory(municipality=m)),
        dt.date(2026, 5, 1),
        "open",
        olga,
    )
    facts = {f.household_id: f for f in figures.entry_facts(m, TODAY)}
    assert sorted(f.deadline for f in facts.values()) == [
        dt.date(2026, 4, 10),
        dt.date(2026, 4, 20),
    ]
    promise = figures.promise_figures(list(facts.values()), TODAY)
    assert (promise["kept"], promise["broken"], promise["overdue_now"]) == (0, 2, 1)
    assert figures.dashboard(m, TODAY)["promise_months"] == 3
    client = Client()
    client.force_login(olga)
    body = client.get(reverse("insight:dashboard")).content.decode()
    assert "Løftet om tilbud innen 3 måneder" in body
    assert "innen 3 måneder (kommunens retningslinjer for tildeling)" in body
    assert "Forbi 3 måneder i dag, uten tilbud ennå" in body
    # (the urgency labels "innen seks måneder" are about leases and institutions, not the promise)
    assert "Seksmåneders" not in body and "forbi seks måneder" not in body.lower()
    breakdown = client.get(reverse("insight:dashboard_list", args=["promise_broken"]))
    assert "Løfter om tilbud innen 3 måneder brutt i perioden" in breakdown.content.decode()


def test_the_work_list_waiting_list_and_letter_count_three_months(three_months, olga) -> None:  # type: ignore[no-untyped-def]
    m = three_months
    today = timezone.localdate()
    placed = today - dt.timedelta(days=10)
    entry = _entry(m, olga, "Ventende", placed)
    decision = entry.decision
    CaseRouting.objects.create(
        case=decision.case, help_kind=HelpKind.RENTAL_DWELLING, unit=olga.memberships.get().unit
    )
    due = deadlines.add_months(placed, 3)
    # the work list
    items = [d for d in work_list(olga, today=today).deadlines if d.what == "allocation_promise"]
    assert [(d.case.pk, d.due) for d in items] == [(decision.case.pk, due)]
    # the waiting list
    assert RankedList([entry], engine.DEFAULT_PRIORITY, today)[0].promise == due
    # the approval letter
    context = decision_letter_context(decision, "nb")
    assert f"Vi skal gi deg tilbud innen {date_in(due, 'nb')}" in context["waiting_text"]


def test_the_pages_name_the_promise_without_six_months(three_months, olga) -> None:  # type: ignore[no-untyped-def]
    m = three_months
    today = timezone.localdate()
    placed = today - dt.timedelta(days=10)
    entry = _entry(m, olga, "Ventende", placed)
    CaseRouting.objects.create(
        case=entry.decision.case,
        help_kind=HelpKind.RENTAL_DWELLING,
        unit=olga.memberships.get().unit,
    )
    client = Client()
    client.force_login(olga)
    body = client.get(reverse("cases:work_list")).content.decode()
    assert "Bolig tildelt innen fristen etter tilsagn" in body
    assert date_in(deadlines.add_months(placed, 3), "nb") in body or (
        deadlines.add_months(placed, 3).strftime("%d.%m.%Y") in body
    )
    assert "seks måneder etter tilsagn" not in body


def test_the_simulation_names_the_promise_by_its_months(three_months, olga) -> None:  # type: ignore[no-untyped-def]
    from husly.policy.actions import simulation_run
    from tests.conftest import _user
    from tests.factories import BuildingFactory, DwellingFactory

    m = three_months
    leader = _user("lars", olga.memberships.get().unit, "leader")
    _entry(m, olga, "Venter", dt.date(2026, 3, 1))
    DwellingFactory(building=BuildingFactory(municipality=m), rooms=2)
    client = Client()
    client.force_login(leader)
    page = client.get(reverse("policy:simulation")).content.decode()
    assert "løftet om tilbud innen 3 måneder" in page
    assert "seksmåneders" not in page.lower() and "seks måneder" not in page
    run = simulation_run(
        actor=leader,
        municipality=m,
        label="Treårige kontrakter",
        changes={"lease_length_months": 36},
        runs=5,
        horizon_months=12,
        seed=1,
        today=TODAY,
    )
    assert run.input["promise_months"] == 3  # what the simulation counted
    detail = client.get(reverse("policy:run_detail", args=[run.pk])).content.decode()
    assert "Løftet om tilbud innen 3 måneder holdt (andel)" in detail
    assert "seksmåneders" not in detail.lower()
