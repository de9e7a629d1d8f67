"""The needs-survey rows of test_action_permissions' TABLE (boligsosial lov § 5), and the round
and registration they act on: the leader opens and closes rounds; caseworkers, approvers and
follow-up workers register for their own unit (NAV's caseworker registering for the housing
office is refused)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from husly.needs import actions as needs
from husly.needs.models import NeedsRegistration, NeedsRound

CW, AP, FU, LE = "caseworker", "approver", "follow_up", "leader"
DATA = {
    "household_type": "single",
    "persons": 1,
    "children": 0,
    "age_group": "u25",
    "situation": "with_others",
    "dwelling_need": "ordinary",
}

ROWS: dict[str, tuple[set[str], Any]] = {
    "husly.needs.actions.needs_round_open": (
        {LE},
        lambda w, a: needs.needs_round_open(
            actor=a,
            municipality=w.municipality,
            year=2031,
            title="Kartlegging 2031",
            deadline=dt.date(2031, 10, 1),
        ),
    ),
    "husly.needs.actions.needs_round_close": (
        {LE},
        lambda w, a: needs.needs_round_close(actor=a, needs_round=w.get(NeedsRound, "needs_round")),
    ),
    "husly.needs.actions.needs_registration_create": (
        {CW, AP, FU},
        lambda w, a: needs.needs_registration_create(
            actor=a,
            needs_round=w.get(NeedsRound, "needs_round"),
            unit=w.housing_office,
            data=DATA,
        ),
    ),
    "husly.needs.actions.needs_registration_withdraw": (
        {CW, AP, FU},
        lambda w, a: needs.needs_registration_withdraw(
            actor=a, registration=w.get(NeedsRegistration, "needs_registration")
        ),
    ),
}


def build(w: Any) -> None:
    needs_round = needs.needs_round_open(
        actor=w.actors[LE],
        municipality=w.municipality,
        year=2030,
        title="Kartlegging 2030",
        deadline=dt.date(2030, 10, 1),
    )
    w.ids["needs_round"] = needs_round.pk
    w.ids["needs_registration"] = needs.needs_registration_create(
        actor=w.actors[CW], needs_round=needs_round, unit=w.housing_office, data=DATA
    ).pk
