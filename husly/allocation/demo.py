"""Demo data for allocation: the waiting list comes from the demo's issued approvals (through
the decision hook); this adds one allocation meeting with a proposal for the vacancies, where
the members have confirmed two offers so far, one accepted, its lease sent and signed by the
tenant (waiting for the landlord's signature). The municipality's lease terms and house rules
are recorded."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from husly.allocation import actions
from husly.allocation.models import ItemDecision
from husly.organisation.models import Municipality, Role, User

DEMO_TERMS = {
    "payment_account": "12345678903",  # synthetic, with a valid MOD11 check digit
    "payment_due_day": 1,
    "house_rules": (
        "Det skal være ro i huset mellom klokka 23 og 07.\n"
        "Søppel kastes i containerne ved inngangen, sortert.\n"
        "Røyking er ikke lov i fellesarealer eller på balkongen.\n"
        "Fellesarealer skal holdes ryddige; ingenting skal stå i trappeoppgangen.\n"
        "Skader på boligen meldes til eiendomsavdelingen så snart som mulig."
    ),
}


def seed_allocation(municipality: Municipality, member: User, as_of: dt.date) -> None:
    from husly.tenancy.actions import (
        default_terms,
        lease_create,
        lease_send,
        lease_sign,
        tenancy_terms_save,
    )

    keeper = User.objects.filter(
        memberships__unit__municipality=municipality, memberships__role=Role.PROPERTY
    ).first()
    tenancy_terms_save(actor=keeper or member, municipality=municipality, data=DEMO_TERMS)

    meeting = actions.allocation_meeting_create(
        actor=member,
        municipality=municipality,
        data={"title": "Tildelingsmøte", "held_on": as_of, "members": "Tone, Sara, Geir"},
    )
    actions.allocation_meeting_propose(actor=member, meeting=meeting, seed=1)
    items = list(meeting.items.filter(proposed_entry__isnull=False).order_by("pk")[:2])
    for item in items:
        actions.meeting_item_decide(actor=member, item=item, confirm=True, reason="")
    if not items:
        return
    first = items[0]
    first.refresh_from_db()
    assert first.decision == ItemDecision.CONFIRMED  # noqa: S101 - demo invariant
    offer = first.offers.get()
    actions.offer_accept(actor=member, offer=offer)
    start = timezone.localdate() + dt.timedelta(days=14)
    lease = lease_create(actor=member, offer=offer, data=default_terms(offer.dwelling, start))
    lease_send(actor=member, lease=lease)
    lease_sign(
        actor=member, lease=lease, party="tenant", signed_on=timezone.localdate(), how="scanned"
    )
