"""Refusals for the residence requirement (Rælingen 5.3: lived in the municipality for the last
three years) are read from the records — the refusal's stored assessment — and the simulation's
residence lever acts on the share they give (ADR 0033).

Hand-computed: five applications in the window. Haugen (a child) and Lie moved here last year
and meet everything else: refused for residence only. Berg meets the residence requirement
but the caseworker judged the need not met: refused, not for residence. Dahl fails both: it
would be refused without the requirement too. Nilsen is approved and on the list. So families
with children: 1 application, 1 refused for residence (share 1); others: Lie and Nilsen
applied, Lie refused for residence (share 1/2); Berg and Dahl are not applicants that the
requirement kept out."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from husly.cases import actions
from husly.cases.models import Decision
from husly.people.models import Person
from husly.policy import inputs
from husly.simulation import GROUPS, simulate
from tests.allocation.helpers import approve, issue, make_dwelling, make_household
from tests.cases.helpers import ELIGIBLE, judge_all

pytestmark = pytest.mark.django_db

FAMILIES = GROUPS.index("families_with_children")
OTHER = GROUPS.index("other")


def _refused(sara, geir, household, *, need_met: bool, **application):  # type: ignore[no-untyped-def]
    case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data={**ELIGIBLE, **application},
        submit=True,
    )
    actions.assessment_run(actor=sara, case=case)
    judged = judge_all(case, sara, "met" if need_met else "not_met")
    actions.assessment_run(actor=sara, case=case, judgements=judged)
    return issue(sara, geir, case, kind="refusal")


def test_residence_refusals_are_read_from_the_records_and_the_lever_acts_on_them(
    raelingen, routing, sara, geir, eirik
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    recent = today - dt.timedelta(days=400)  # a year here: three are required
    haugen = make_household(raelingen, "Haugen", children=1)
    Person.objects.filter(memberships__household=haugen, memberships__relation="child").update(
        date_of_birth=dt.date(2018, 3, 1)
    )
    _refused(
        sara,
        geir,
        haugen,
        need_met=True,
        lived_in_municipality_since=recent,
    )
    lie = _refused(
        sara,
        geir,
        make_household(raelingen, "Lie"),
        need_met=True,
        lived_in_municipality_since=recent,
    )
    _refused(sara, geir, make_household(raelingen, "Berg"), need_met=False)
    _refused(
        sara,
        geir,
        make_household(raelingen, "Dahl"),
        need_met=False,
        lived_in_municipality_since=recent,
    )
    approve(sara, geir, make_household(raelingen, "Nilsen"))
    make_dwelling(raelingen, eirik, rooms=2)

    criteria = {c["kind"]: c["outcome"] for c in lie.assessment.record["criteria"]}
    assert criteria["residence_period"] == "not_met"  # what the count rests on

    counts, templates = inputs.history(raelingen, today)
    assert counts.residence_refused[FAMILIES] == 1
    assert counts.residence_refused[OTHER] == 1
    assert sum(counts.residence_refused) == 2
    assert counts.applications[FAMILIES] == 1
    assert counts.applications[OTHER] == 2  # Lie and Nilsen; Berg and Dahl would be refused anyway
    assert templates is not None and len(templates) == 3

    inp, basis = inputs.simulation_input(raelingen, today, runs=40, horizon_months=24, seed=3)
    assert inp.rates.residence_fail_share[FAMILIES] == pytest.approx(1.0)
    assert inp.rates.residence_fail_share[OTHER] == pytest.approx(0.5)
    assert basis["counts"]["residence_refused"][OTHER] == 1

    # the lever: with the requirement the residence share is refused at the door; without it
    # every applicant comes onto the list
    kept = simulate(inp).counters
    lifted = simulate(
        inp.with_levers(dataclasses.replace(inp.levers, residence_requirement=False))
    ).counters
    assert sum(kept["residence_refused"]) > 0
    assert sum(lifted["residence_refused"]) == 0
    assert sum(lifted["arrivals"]) > sum(kept["arrivals"])
    refused = sum(kept["residence_refused"])
    applied = sum(sum(row) for row in kept["applications"])
    # the share refused is the records' share, weighted by the arrival rates (1 and 1/2 of
    # 1 and 2 a month's worth): 2 of 3
    assert refused / applied == pytest.approx(2 / 3, abs=0.1)


def test_a_refusal_replaced_after_an_appeal_is_not_counted(raelingen, routing, sara, geir) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    refusal = _refused(
        sara,
        geir,
        make_household(raelingen, "Lie"),
        need_met=True,
        lived_in_municipality_since=today - dt.timedelta(days=400),
    )
    assert inputs.residence_refusals(raelingen, today - dt.timedelta(days=30), today)
    # the appeal body's new decision replaces the refusal (written as the record it leaves)
    Decision.objects.create(
        case=refusal.case,
        help_kind="rental_dwelling",
        kind="approval",
        status="issued",
        facts="Husstanden har bodd i kommunen siden 2015.",
        reasoning="Klagen er tatt til følge.",
        drafted_by=sara,
        approved_by=geir,
        replaces=refusal,
        issued_on=today,
    )
    assert inputs.residence_refusals(raelingen, today - dt.timedelta(days=30), today) == []
