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

from django.db.models import QuerySet, Sum

from husly.cases.models import Case, DecisionStatus, HelpKind, RoutingRule
from husly.loans.models import (
    ApprovalStatus,
    Candidate,
    CandidateStatus,
    DocumentRequest,
    Funding,
    GrantApplication,
    GrantBudget,
    GrantKind,
    GrantStatus,
    Loan,
    LoanApplication,
    LoanApproval,
    LoanFact,
    LoanFactKind,
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


def cases_without_loan_details(user: User) -> QuerySet[Case]:
    """Open cases routed to the user's start-loan unit that came in through the general
    application form (Min side or the desk) with a start loan ticked but without the loan's own
    facts: the start-loan unit completes them (``loan_application_complete``)."""
    return (
        Case.objects.filter(
            routings__help_kind=HelpKind.START_LOAN,
            routings__unit_id__in=loan_unit_ids(user),
            loan_application__isnull=True,
        )
        .exclude(status__in=["closed", "draft"])
        .distinct()
        .order_by("pk")
    )


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
    """The year's figures counted from the stored facts (LoanFact), which the actions write."""
    del today  # the facts carry their own dates
    facts = LoanFact.objects.filter(municipality=municipality, on__year=year)
    loans = facts.filter(grant_kind="")

    def count(kind: str) -> int:
        return loans.filter(kind=kind).count()

    def total(kind: str) -> int:
        return int(loans.filter(kind=kind).aggregate(s=Sum("amount"))["s"] or 0)

    applications = loans.filter(kind=LoanFactKind.APPLICATION)
    days = sorted(
        d
        for d in loans.filter(
            kind__in=[LoanFactKind.APPROVAL, LoanFactKind.REFUSAL], days_to_decision__isnull=False
        ).values_list("days_to_decision", flat=True)
        if d is not None
    )
    return LoanFigures(
        applications=applications.count(),
        approvals=count(LoanFactKind.APPROVAL),
        refusals=count(LoanFactKind.REFUSAL),
        advice_against=count(LoanFactKind.ADVICE_AGAINST),
        loans_paid_out=count(LoanFactKind.DISBURSED),
        amount_paid_out=total(LoanFactKind.DISBURSED),
        households_with_children=applications.filter(with_children=True).count(),
        refugees=applications.filter(refugee=True).count(),
        median_days_to_decision=days[len(days) // 2] if days else None,
        approvals_without_purchase=count(LoanFactKind.NO_PURCHASE),
        loans_in_arrears=count(LoanFactKind.ARREARS),
        losses=total(LoanFactKind.LOSS),
        forced_sales=count(LoanFactKind.FORCED_SALE),
    )


# --- grants --------------------------------------------------------------------------------------


def grant_unit(municipality: Municipality | int) -> Unit | None:
    """The unit that handles grants in the municipality (its RoutingRule for «grant»)."""
    rule = (
        RoutingRule.objects.filter(municipality=municipality, help_kind=HelpKind.GRANT)
        .select_related("unit")
        .first()
    )
    return rule.unit if rule else None


def grant_unit_ids(user: User) -> list[int]:
    units = Membership.objects.filter(user=user, role__in=LOAN_WORK).values_list(
        "unit_id", "unit__municipality_id"
    )
    return [
        unit_id
        for unit_id, municipality_id in units
        if (unit := grant_unit(municipality_id)) is not None and unit.pk == unit_id
    ]


def require_grant_role(actor: User | None, case: Case) -> None:
    """Refuse unless ``actor`` is a caseworker or approver of the unit that handles grants."""
    unit = grant_unit(case.municipality_id)
    require_permission(
        actor,
        case.municipality_id,
        unit_roles=LOAN_WORK,
        unit_ids=[unit.pk] if unit else [],
        stacklevel=2,
    )


def grants_for_user(user: User) -> QuerySet[GrantApplication]:
    """The one access function for grant applications."""
    return GrantApplication.objects.filter(
        case__routings__unit_id__in=grant_unit_ids(user)
    ).distinct()


def grant_get_for_user(user: User, pk: object) -> GrantApplication:
    return cast(GrantApplication, get_or_404(grants_for_user(user), pk))


COMMITTED = (GrantStatus.DECIDED, GrantStatus.APPROVED, GrantStatus.PAID)


@dataclass(frozen=True)
class GrantBudgetRow:
    grant_kind: str
    label: str
    budget: int | None
    committed: int
    paid: int

    @property
    def left(self) -> int | None:
        return None if self.budget is None else self.budget - self.committed


def grant_budget_rows(municipality: Municipality | int, year: int) -> list[GrantBudgetRow]:
    """Per kind of grant: the year's budget, what is committed (decided, awarded or paid) and
    what is paid."""
    budgets = dict(
        GrantBudget.objects.filter(municipality=municipality, year=year).values_list(
            "grant_kind", "amount"
        )
    )
    grants = GrantApplication.objects.filter(
        case__municipality=municipality, decided_on__year=year, status__in=COMMITTED
    ).exclude(decision__status=DecisionStatus.DISCARDED)
    rows = []
    for kind in GrantKind:
        mine = grants.filter(grant_kind=kind)
        rows.append(
            GrantBudgetRow(
                grant_kind=kind.value,
                label=str(kind.label),
                budget=budgets.get(kind.value),
                committed=int(mine.aggregate(s=Sum("amount"))["s"] or 0),
                paid=int(mine.filter(status=GrantStatus.PAID).aggregate(s=Sum("amount"))["s"] or 0),
            )
        )
    return rows


def grant_budget_left(municipality: Municipality | int, year: int, grant_kind: str) -> int | None:
    """What is left of the year's budget for one kind of grant; None without a budget."""
    row = next(r for r in grant_budget_rows(municipality, year) if r.grant_kind == grant_kind)
    return row.left


# --- funding and candidates ----------------------------------------------------------------------


@dataclass(frozen=True)
class FundingView:
    year: int
    funding: Funding | None
    lent: int
    loans: int

    @property
    def left(self) -> int | None:
        if self.funding is None or not self.funding.granted_by_husbanken:
            return None
        return self.funding.granted_by_husbanken - self.lent


def funding_for_year(municipality: Municipality, year: int) -> FundingView:
    """The year's start-loan funding and what has been lent of it (the loans disbursed that
    year, counted from the portfolio)."""
    disbursed = Loan.objects.filter(municipality=municipality, disbursed_on__year=year)
    return FundingView(
        year=year,
        funding=Funding.objects.filter(municipality=municipality, year=year).first(),
        lent=int(disbursed.aggregate(s=Sum("principal"))["s"] or 0),
        loans=disbursed.count(),
    )


def candidates_for_user(user: User) -> QuerySet[Candidate]:
    """The team's list of possible future candidates: the start-loan unit sees its
    municipality's."""
    units = loan_unit_ids(user)
    municipalities = Unit.objects.filter(pk__in=units).values("municipality_id")
    return Candidate.objects.filter(municipality_id__in=municipalities)


def candidate_get_for_user(user: User, pk: object) -> Candidate:
    return cast(Candidate, get_or_404(candidates_for_user(user), pk))


OPEN_CANDIDATES = (CandidateStatus.PROPOSED, CandidateStatus.INVITED)
