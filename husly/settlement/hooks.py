"""Households the people register shows the refugee service (husly.people.hooks) and persons
the retention job must keep (husly.retention.hooks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from husly.audit.models import ChangeEvent
from husly.people.models import HouseholdMember
from husly.settlement.models import CaseStatus, RequestStatus, SettlementCase, SettlementRequest
from husly.settlement.selectors import households_settled

__all__ = [
    "declined_requests_purge",
    "household_anonymised",
    "households_settled",
    "settlement_in_use",
]

ERASED = "–"


def settlement_in_use(candidate_ids: set[int]) -> set[int]:
    """Members of a household whose settlement is under way (not yet arrived): the refugee
    service still needs them. After arrival the lease and the case keep them as any tenant."""
    households = SettlementCase.objects.exclude(status=CaseStatus.ARRIVED).values("household_id")
    return set(
        HouseholdMember.objects.filter(
            person_id__in=candidate_ids, household_id__in=households
        ).values_list("person_id", flat=True)
    )


def declined_requests_rule(today: dt.date, report: Any) -> None:
    """The retention run's rule (``husly.retention.hooks.retention_rule``): counts go in its
    report."""
    for key, count in declined_requests_purge(today).items():
        report.counts[key] += count


def declined_requests_purge(today: dt.date) -> dict[str, int]:
    """A declined request never reached the person register; its facts about the household
    (name, ages, needs, wishes, the reason given) are erased as long after the answer as a
    closed case is kept (``HUSLY_RETENTION_CLOSED_CASE_YEARS``), with the change events that
    hold copies of them. The reference, dates and size stay for the statistics."""
    from husly.retention.jobs import audit_purge, years_before

    cutoff = years_before(today, settings.HUSLY_RETENTION_CLOSED_CASE_YEARS)
    due = list(
        SettlementRequest.objects.filter(
            status=RequestStatus.DECLINED, answered_on__lt=cutoff, anonymised_on__isnull=True
        ).values_list("pk", flat=True)
    )
    if not due:
        return {}
    for request in SettlementRequest.objects.filter(pk__in=due).exclude(answer_letter=""):
        request.answer_letter.delete(save=False)
    SettlementRequest.objects.filter(pk__in=due).update(
        answer_letter="",
        answer_letter_sha256="",
        family_name=ERASED,
        ages="",
        needs="",
        preferences="",
        reception_centre="",
        decline_reason=ERASED,
        anonymised_on=today,
    )
    events = audit_purge(
        ChangeEvent.objects.filter(
            object_type="settlement.settlementrequest", object_id__in=[str(pk) for pk in due]
        )
    )
    return {"settlement_requests": len(due), "change_events_deleted": events}


def household_anonymised(household_id: int) -> dict[str, int]:
    """When the retention job anonymises a household, the settlement letters naming it (the
    answer to IMDi, the self-settlement letter) are deleted and the self-settlement's free
    text blanked; the reference, dates and the stored fact stay for the statistics."""
    from husly.settlement.models import SelfSettlement

    deleted = 0
    for request in SettlementRequest.objects.filter(case__household_id=household_id).exclude(
        answer_letter=""
    ):
        request.answer_letter.delete(save=False)
        request.answer_letter_sha256 = ""
        request.save(update_fields=["answer_letter", "answer_letter_sha256"])
        deleted += 1
    approvals = SelfSettlement.objects.filter(case__household_id=household_id)
    for approval in approvals.exclude(letter=""):
        approval.letter.delete(save=False)
        deleted += 1
    blanked = approvals.update(
        letter="", letter_sha256="", landlord_concern="", note=ERASED, landlord=ERASED
    )
    result = {"settlement_letters_deleted": deleted} if deleted else {}
    if blanked:
        result["self_settlements_blanked"] = blanked
    return result
