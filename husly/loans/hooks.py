"""Retention: borrowers with a loan that is not ended, and households with an approval not yet
used, are in active use (their data is kept)."""

from __future__ import annotations

from husly.loans.models import ApprovalStatus, Loan, LoanApproval, LoanStatus
from husly.people.models import HouseholdMember


def borrowers_in_use(candidate_ids: set[int]) -> set[int]:
    households = set(
        Loan.objects.filter(status=LoanStatus.ACTIVE).values_list("household_id", flat=True)
    ) | set(
        LoanApproval.objects.filter(
            status__in=[ApprovalStatus.VALID, ApprovalStatus.PURCHASED]
        ).values_list("decision__case__household_id", flat=True)
    )
    return set(
        HouseholdMember.objects.filter(
            person_id__in=candidate_ids, household_id__in=households
        ).values_list("person_id", flat=True)
    )
