"""Decisions that change the waiting list, in the issuing transaction (husly.cases.hooks)."""

from __future__ import annotations

from husly.allocation import actions
from husly.allocation.models import LIVE_ENTRY, OfferStatus, WaitingListEntry
from husly.cases.models import Decision, DecisionKind
from husly.organisation.models import User


def decision_issued(decision: Decision, actor: User) -> None:
    if decision.kind == DecisionKind.LAPSE and decision.replaces_id:
        entry = WaitingListEntry.objects.filter(
            decision_id=decision.replaces_id, status__in=LIVE_ENTRY
        ).first()
        if entry is None:
            return
        for offer in entry.offers.filter(status=OfferStatus.OPEN):
            actions.offer_withdraw(actor=actor, offer=offer, reason="Tilsagnet har falt bort.")
        actions.waiting_list_close(actor=actor, entry=entry, status="lapsed")
        return
    actions.waiting_list_place(actor=actor, decision=decision)
