from __future__ import annotations

import datetime as dt

import pytest

from husly.cases.models import Application, Case, HelpKind, RoutingRule
from husly.organisation.models import Municipality, Unit, User
from husly.people.models import Household, HouseholdMember
from tests.factories import HouseholdFactory, PersonFactory


@pytest.fixture
def routing(raelingen: Municipality, housing_office: Unit) -> Unit:
    """Every kind of help goes to the housing office, except start loans (NAV)."""
    nav = Unit.objects.create(municipality=raelingen, name="NAV Rælingen", kind="nav")
    for kind in HelpKind:
        RoutingRule.objects.create(
            municipality=raelingen,
            help_kind=kind,
            unit=nav if kind == HelpKind.START_LOAN else housing_office,
        )
    return nav


@pytest.fixture
def household(raelingen: Municipality) -> Household:
    """An adult citizen registered in Rælingen for ten years, with one child."""
    applicant = PersonFactory(
        municipality=raelingen,
        residence_permit="citizen",
        registered_municipality_number="3224",
        registered_since=dt.date(2015, 1, 1),
        address="Torvvegen 1",
        postal_code="2008",
        postal_town="Fjerdingby",
    )
    household = HouseholdFactory(municipality=raelingen, applicant=applicant, name="Nordmann")
    HouseholdMember.objects.create(
        household=household, relation="child", person=PersonFactory(municipality=raelingen)
    )
    return household


ELIGIBLE = {
    "housing_kind": "no_home",
    "is_without_suitable_housing": True,
    "has_alternative_housing_options": False,
    "has_offer_of_brokered_private_dwelling": False,
    "lived_in_municipality_since": dt.date(2015, 1, 1),
    "gross_annual_income": 250_000,
    "wealth": 0,
    "debt": 0,
    "municipal_arrears": 0,
    "needs_follow_up": False,
}


def judge_all(case: Case, actor: User, outcome: str = "met") -> dict[str, tuple[str, str]]:
    """Judgements for every discretionary criterion of the case's latest assessment."""
    from husly.cases.letters import _flat_criteria

    record = case.assessments.first().record
    return {
        c["criterion_id"]: (outcome, "Vurdert i kartleggingssamtalen.")
        for c in _flat_criteria(record["criteria"])
        if c["kind"] == "judgement"
    }


__all__ = ["ELIGIBLE", "Application", "judge_all"]
