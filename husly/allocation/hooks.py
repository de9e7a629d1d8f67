"""Decisions and closed cases that change the waiting list, in the deciding action's
transaction (husly.cases.hooks); households the retention job must keep (husly.retention.hooks)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from husly.allocation import actions
from husly.allocation.models import (
    LIVE_ENTRY,
    LIVE_OFFER,
    EntryStatus,
    Offer,
    OfferStatus,
    WaitingListEntry,
)
from husly.cases.models import Case, CloseReason, Decision, DecisionKind
from husly.organisation.models import User
from husly.people.models import HouseholdMember

ENDS_THE_ENTRY = {
    CloseReason.WITHDRAWN: "Søknaden er trukket.",
    CloseReason.MOVED: "Husstanden har flyttet fra kommunen.",
}
"""Closing reasons after which the household no longer waits for a dwelling (ADR 0012), with
the reason stored on an open offer withdrawn for it (record text)."""


def _end(actor: User, entry: WaitingListEntry, *, why: str, status: str) -> None:
    """End a live entry: its open offers are withdrawn (``why`` is stored on them as record
    text), then the entry is closed with ``status``."""
    for offer in entry.offers.filter(status=OfferStatus.OPEN):
        actions.offer_withdraw(actor=actor, offer=offer, reason=why)
    entry.refresh_from_db()
    actions.waiting_list_close(actor=actor, entry=entry, status=status)


def decision_issued(decision: Decision, actor: User) -> None:
    """Place an approval on the waiting list; a decision replacing the approval of a live entry
    carries the entry over (a new approval) or ends it (a lapse, or a decision that does not
    approve)."""
    entry = None
    if decision.replaces_id:
        entry = WaitingListEntry.objects.filter(
            decision_id=decision.replaces_id, status__in=LIVE_ENTRY
        ).first()
    if entry is None:
        if decision.kind != DecisionKind.LAPSE:
            actions.waiting_list_place(actor=actor, decision=decision)
        return
    if decision.kind in actions.WAITING_LIST_KINDS:
        actions.waiting_list_transfer(actor=actor, entry=entry, decision=decision)
        return
    if decision.kind == DecisionKind.LAPSE:
        _end(actor, entry, why="Tilsagnet har falt bort.", status=EntryStatus.LAPSED)
    else:  # e.g. an approval corrected to a refusal (forvaltningsloven § 35)
        _end(
            actor,
            entry,
            why="Tilsagnet er erstattet av et nytt vedtak.",
            status=EntryStatus.WITHDRAWN,
        )


def case_closed(case: Case, actor: User) -> None:
    """A case closed because the application was withdrawn or the household moved away ends
    the waiting-list entry its approval created: open offers are withdrawn and the entry
    closed as withdrawn. An accepted offer (the dwelling is reserved for the household) must
    be settled first, so the closing is refused. Other reasons leave the entry as it is: a
    completed case's household still waits for its dwelling (ADR 0012)."""
    why = ENDS_THE_ENTRY.get(CloseReason(case.close_reason))
    if why is None:
        return
    entries = WaitingListEntry.objects.select_for_update().filter(
        decision__case=case, status__in=LIVE_ENTRY
    )
    for entry in entries:
        accepted = entry.offers.filter(status=OfferStatus.ACCEPTED).select_related("dwelling")
        if accepted:
            raise ValidationError(
                _(
                    "The household has accepted the offer of %(dwelling)s, and the dwelling is "
                    "reserved for it. Settle the offer before you close the case."
                )
                % {"dwelling": accepted[0].dwelling}
            )
        _end(actor, entry, why=why, status=EntryStatus.WITHDRAWN)


def waiting_in_use(candidate_ids: set[int]) -> set[int]:
    """Members of a household on the waiting list (a live entry) or with an open or accepted
    offer: allocation still uses them."""
    live = WaitingListEntry.objects.filter(status__in=LIVE_ENTRY).values("household_id")
    offered = Offer.objects.filter(status__in=LIVE_OFFER).values("entry__household_id")
    return set(
        HouseholdMember.objects.filter(person_id__in=candidate_ids)
        .filter(Q(household_id__in=live) | Q(household_id__in=offered))
        .values_list("person_id", flat=True)
    )
