"""A deposit guarantee issued by NAV is linked to the landlord agreement in the issuing
transaction (husly.cases.hooks); landlords and brokered tenants the retention job must keep
(husly.retention.hooks)."""

from __future__ import annotations

from django.db.models import Q

from husly.cases.models import Decision, DecisionKind, HelpKind
from husly.landlords.actions import guarantee_granted
from husly.landlords.models import Agreement, AgreementKind, AgreementStatus, Landlord
from husly.organisation.models import User
from husly.people.models import HouseholdMember


def decision_issued(decision: Decision, actor: User) -> None:
    if decision.kind != DecisionKind.APPROVAL or decision.help_kind != HelpKind.DEPOSIT_GUARANTEE:
        return
    for agreement in Agreement.objects.filter(
        kind=AgreementKind.DEPOSIT_GUARANTEE,
        guarantee_case_id=decision.case_id,
        guarantee_decision__isnull=True,
    ).exclude(status=AgreementStatus.ENDED):
        guarantee_granted(agreement, decision)


def landlords_in_use(candidate_ids: set[int]) -> set[int]:
    """Landlords still in the register or with an agreement not ended, and the members of a
    household with such an agreement: the private-market work still uses them."""
    live = Agreement.objects.exclude(status=AgreementStatus.ENDED)
    landlords = set(
        Landlord.objects.filter(person_id__in=candidate_ids)
        .filter(Q(active=True) | Q(agreements__in=live))
        .values_list("person_id", flat=True)
    )
    tenants = set(
        HouseholdMember.objects.filter(
            person_id__in=candidate_ids, household_id__in=live.values("household_id")
        ).values_list("person_id", flat=True)
    )
    return landlords | tenants
