"""Renewal decisions, in the issuing transaction (husly.cases.hooks); tenants the retention job
must keep (husly.retention.hooks)."""

from __future__ import annotations

from husly.cases.models import Decision, DecisionKind
from husly.organisation.models import User
from husly.people.models import HouseholdMember
from husly.tenancy.actions import renewal_decision_issued
from husly.tenancy.models import PENDING_LEASE, Lease, LeaseStatus, RenewalApplication


def decision_issued(decision: Decision, actor: User) -> None:
    if decision.kind not in {DecisionKind.RENEWAL, DecisionKind.RENEWAL_REFUSAL}:
        return
    renewal = RenewalApplication.objects.filter(case_id=decision.case_id).first()
    if renewal is not None:
        renewal_decision_issued(renewal, decision)


def tenants_in_use(candidate_ids: set[int]) -> set[int]:
    """Members of a household with an active lease, or one being written or signed: the
    tenancy still uses them, however old the case that housed them."""
    households = Lease.objects.filter(status__in=[LeaseStatus.ACTIVE, *PENDING_LEASE]).values(
        "household_id"
    )
    return set(
        HouseholdMember.objects.filter(
            person_id__in=candidate_ids, household_id__in=households
        ).values_list("person_id", flat=True)
    )
