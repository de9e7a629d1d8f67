"""Members of a household with an open arrears case are kept by the retention job (the claim and
the procedure still use them); closed cases follow the household's other records."""

from __future__ import annotations

from husly.arrears.models import ArrearsCase, CaseStatus
from husly.people.models import HouseholdMember


def persons_with_open_cases(candidate_ids: set[int]) -> set[int]:
    households = ArrearsCase.objects.filter(status=CaseStatus.OPEN).values("household_id")
    return set(
        HouseholdMember.objects.filter(
            person_id__in=candidate_ids, household_id__in=households
        ).values_list("person_id", flat=True)
    )
