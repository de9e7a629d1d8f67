"""Who may see and change start-loan cases, and the reads the start-loan team works from.

The unit that handles start loans is the one the municipality's ``RoutingRule`` sends the kind
of help ``start_loan`` to (NAV in Rælingen). Its caseworkers and approvers work the cases; its
approver (the unit head) approves decisions (four eyes, ``cases.decision_approve``). Everyone
else gets 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db.models import Count, Q, QuerySet, Sum

from husly.cases.models import HelpKind, RoutingRule
from husly.loans.models import (
    AdviceAgainst,
    ApprovalStatus,
    ArrearsFollowUp,
    DocumentRequest,
    Loan,
    LoanApplication,
    LoanApproval,
    LoanStatus,
    Recommendation,
    TeamMeeting,
)
from husly.organisation.access import get_or_404, require_permission
from husly.organisation.models import Membership, Municipality, Role, Unit, User

LOAN_WORK = frozenset({Role.CASEWORKER, Role.APPROVER})


def start_loan_unit(municipality: Municipality | int) -> Unit | None:
    """The unit that handles start loans in the municipality (its RoutingRule)."""
    rule = (
        RoutingRule.objects.filter(municipality=municipality, help_kind=HelpKind.START_LOAN)
        .select_related("unit")
        .first()
    )
    return rule.unit if rule else None


def loan_unit_ids(user: User) -> list[int]:
    """The start-loan units in which ``user`` is a caseworker or approver."""
    units = Membership.objects.filter(user=user, role__in=LOAN_WORK).values_list(
        "unit_id", "unit__municipality_id"
    )
    return [
        unit_id
        for unit_id, municipality_id in units
        if (unit := start_loan_unit(municipality_id)) is not None and unit.pk == unit_id
    ]


def require_loan_role(actor: User | None, municipality: Municipality | int) -> None:
    """Refuse (PermissionDenied) unless ``actor`` is a caseworker or approver of the unit that
    handles start loans in the municipality."""
    unit = start_loan_unit(municipality)
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    require_permission(
        actor,
        municipality_id,
        unit_roles=LOAN_WORK,
        unit_ids=[unit.pk] if unit else [],
        stacklevel=2,
    )


def applications_for_user(user: User) -> QuerySet[LoanApplication]:
    """The one access function for start-loan applications."""
    units = loan_unit_ids(user)
    return LoanApplication.objects.filter(case__routings__unit_id__in=units).distinct()


def application_get_for_user(user: User, pk: object) -> LoanApplication:
    return cast(LoanApplication, get_or_404(applications_for_user(user), pk))


def loans_for_user(user: User) -> QuerySet[Loan]:
    units = loan_unit_ids(user)
    municipalities = Unit.objects.filter(pk__in=units).values("municipality_id")
    return Loan.objects.filter(municipality_id__in=municipalities)


def loan_get_for_user(user: User, pk: object) -> Loan:
    return cast(Loan, get_or_404(loans_for_user(user), pk))


def meetings_for_user(user: User) -> QuerySet[TeamMeeting]:
    units = loan_unit_ids(user)
    municipalities = Unit.objects.filter(pk__in=units).values("municipality_id")
    return TeamMeeting.objects.filter(municipality_id__in=municipalities)


def meeting_get_for_user(user: User, pk: object) -> TeamMeeting:
    return cast(TeamMeeting, get_or_404(meetings_for_user(user), pk))


def documents_overdue(user: User, today: dt.date) -> QuerySet[DocumentRequest]:
    """Documents asked of applicants whose deadline has passed without them arriving, in the
    cases ``user`` may work (the start-loan work list)."""
    return (
        DocumentRequest.objects.filter(
            application__in=applications_for_user(user),
            received_on__isnull=True,
            due_on__lt=today,
        )
        .select_related("application__case")
        .order_by("due_on", "pk")
    )


def approvals_expiring(municipality: Municipality, today: dt.date) -> QuerySet[LoanApproval]:
    """Valid approvals without a purchase: the work list shows them by their validity."""
    return LoanApproval.objects.filter(
        decision__case__municipality=municipality, status=ApprovalStatus.VALID
    ).order_by("valid_until")


def approvals_without_purchase(
    municipality: Municipality, today: dt.date
) -> QuerySet[LoanApproval]:
    """Approvals whose validity ran out with no purchase: to be followed up, not lost
    (raelingen L4110–4116)."""
    return approvals_expiring(municipality, today).filter(valid_until__lt=today)


@dataclass(frozen=True)
class LoanFigures:
    """The leaders' start-loan figures for one year, counted from the stored records."""

    applications: int
    approvals: int
    refusals: int
    advice_against: int
    loans_paid_out: int
    amount_paid_out: int
    households_with_children: int
    refugees: int
    median_days_to_decision: int | None
    approvals_without_purchase: int
    loans_in_arrears: int
    losses: int
    forced_sales: int


def loan_figures(municipality: Municipality, year: int, today: dt.date) -> LoanFigures:
    apps = LoanApplication.objects.filter(
        case__municipality=municipality, case__received_on__year=year
    )
    decided = Recommendation.objects.filter(
        application__in=apps, decision__status="issued"
    ).select_related("decision", "application__case")
    days = sorted(
        (r.decision.issued_on - r.application.case.received_on).days
        for r in decided
        if r.decision and r.decision.issued_on and r.application.case.received_on
    )
    loans = Loan.objects.filter(municipality=municipality, disbursed_on__year=year)
    children = apps.filter(Q(case__household__members__relation="child")).distinct()
    arrears = (
        ArrearsFollowUp.objects.filter(loan__municipality=municipality, closed_on__isnull=True)
        .values("loan_id")
        .distinct()
    )
    ended = Loan.objects.filter(municipality=municipality).aggregate(
        loss=Sum("loss"), forced=Count("pk", filter=Q(status=LoanStatus.FORCED_SALE))
    )
    return LoanFigures(
        applications=apps.count(),
        approvals=decided.filter(decision__kind="approval").count(),
        refusals=decided.filter(decision__kind="refusal").count(),
        advice_against=AdviceAgainst.objects.filter(application__in=apps).count(),
        loans_paid_out=loans.count(),
        amount_paid_out=loans.aggregate(s=Sum("principal"))["s"] or 0,
        households_with_children=children.count(),
        refugees=apps.filter(is_refugee=True).count(),
        median_days_to_decision=days[len(days) // 2] if days else None,
        approvals_without_purchase=approvals_without_purchase(municipality, today).count(),
        loans_in_arrears=arrears.count(),
        losses=ended["loss"] or 0,
        forced_sales=ended["forced"] or 0,
    )
