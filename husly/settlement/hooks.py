"""Households the people register shows the refugee service (husly.people.hooks) and persons
the retention job must keep (husly.retention.hooks)."""

from __future__ import annotations

from husly.people.models import HouseholdMember
from husly.settlement.models import CaseStatus, SettlementCase
from husly.settlement.selectors import households_settled

__all__ = ["households_settled", "settlement_in_use"]


def settlement_in_use(candidate_ids: set[int]) -> set[int]:
    """Members of a household whose settlement is under way (not yet arrived): the refugee
    service still needs them. After arrival the lease and the case keep them as any tenant."""
    households = SettlementCase.objects.exclude(status=CaseStatus.ARRIVED).values("household_id")
    return set(
        HouseholdMember.objects.filter(
            person_id__in=candidate_ids, household_id__in=households
        ).values_list("person_id", flat=True)
    )
