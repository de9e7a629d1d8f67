"""Demo data for allocation: the waiting list comes from the demo's issued approvals (through
the decision hook); this adds one allocation meeting with a proposal for the vacancies."""

from __future__ import annotations

import datetime as dt

from husly.allocation import actions
from husly.organisation.models import Municipality, User


def seed_allocation(municipality: Municipality, member: User, as_of: dt.date) -> None:
    meeting = actions.allocation_meeting_create(
        actor=member,
        municipality=municipality,
        data={"title": "Tildelingsmøte", "held_on": as_of, "members": "Tone, Sara, Geir"},
    )
    actions.allocation_meeting_propose(actor=member, meeting=meeting, seed=1)
