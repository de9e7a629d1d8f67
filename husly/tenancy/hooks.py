"""Renewal decisions, in the issuing transaction (husly.cases.hooks)."""

from __future__ import annotations

from husly.cases.models import Decision, DecisionKind
from husly.organisation.models import User
from husly.tenancy.actions import renewal_decision_issued
from husly.tenancy.models import RenewalApplication


def decision_issued(decision: Decision, actor: User) -> None:
    if decision.kind not in {DecisionKind.RENEWAL, DecisionKind.RENEWAL_REFUSAL}:
        return
    renewal = RenewalApplication.objects.filter(case_id=decision.case_id).first()
    if renewal is not None:
        renewal_decision_issued(renewal, decision)
