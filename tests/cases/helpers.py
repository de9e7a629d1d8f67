"""Shared data for case tests."""

from __future__ import annotations

import datetime as dt

from husly.cases.models import Case
from husly.organisation.models import Membership, Unit, User

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
        if c.get("judgeable") or c["kind"] == "judgement"
    }


def nav_staff(nav: Unit) -> tuple[User, User]:
    """A caseworker and an approver at NAV, the unit the ``routing`` fixture sends start loans
    to: only staff of the unit a part is routed to may decide it."""
    from tests.conftest import PASSWORD

    staff = []
    for username, role in (("nina", "caseworker"), ("nils", "approver")):
        user = User.objects.create_user(
            username=username, password=PASSWORD, first_name=username.capitalize(), last_name="Nav"
        )
        Membership.objects.create(user=user, unit=nav, role=role)
        staff.append(user)
    return staff[0], staff[1]
