"""The webhook events, written by the actions' extension points in their own transaction.

Payloads carry ids and codes, no personal data: a receiver that needs more reads the resource
through the API with its token, and that read is scoped and audited like any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from husly.allocation.extensions import on_offer_made
from husly.api.actions import webhook_event_record
from husly.api.models import EventKind
from husly.cases.hooks import on_decision_issued
from husly.tenancy.extensions import on_lease_signed

if TYPE_CHECKING:
    from husly.allocation.models import Offer
    from husly.cases.models import Decision
    from husly.organisation.models import User
    from husly.tenancy.models import Lease


def decision_issued(decision: Decision, actor: User) -> None:
    case = decision.case
    webhook_event_record(
        municipality_id=case.municipality_id,
        kind=EventKind.DECISION_ISSUED,
        object_id=decision.pk,
        payload={
            "decision_id": decision.pk,
            "case_id": case.pk,
            "case_number": case.number,
            "help_kind": decision.help_kind,
            "outcome": decision.kind,
            "issued_on": decision.issued_on.isoformat() if decision.issued_on else None,
        },
    )


def offer_made(offer: Offer) -> None:
    webhook_event_record(
        municipality_id=offer.entry.municipality_id,
        kind=EventKind.OFFER_MADE,
        object_id=offer.pk,
        payload={
            "offer_id": offer.pk,
            "dwelling_id": offer.dwelling_id,
            "made_on": offer.made_on.isoformat(),
            "answer_due": offer.answer_due.isoformat(),
        },
    )


def lease_signed(lease: Lease) -> None:
    webhook_event_record(
        municipality_id=lease.municipality_id,
        kind=EventKind.LEASE_SIGNED,
        object_id=lease.pk,
        payload={
            "lease_id": lease.pk,
            "dwelling_id": lease.dwelling_id,
            "start_date": lease.start_date.isoformat(),
        },
    )


def register() -> None:
    on_decision_issued(decision_issued)
    on_offer_made(offer_made)
    on_lease_signed(lease_signed)
