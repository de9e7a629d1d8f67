"""The person's start-loan applications, loans and candidacies in the art. 15 export. Imported
by ``husly.audit.export.autodiscover``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from husly.audit.export import Scope, Section, plain, register
from husly.loans.models import (
    AdviceAgainst,
    ArrearsFollowUp,
    Candidate,
    DocumentRequest,
    GrantApplication,
    Loan,
    LoanApplication,
    LoanApproval,
    LoanAssessment,
    LoanExceptionUse,
    LoanFact,
    LoanPayment,
    Recommendation,
)
from husly.people.models import Person


@register(
    "start_loans",
    order=80,
    models=[
        LoanApplication,
        LoanApproval,
        AdviceAgainst,
        DocumentRequest,
        LoanAssessment,
        Recommendation,
        LoanExceptionUse,
        # Coded events for the leaders' figures (no names, no free text), linked to the case
        # whose application, decision and loan are exported here in full.
        LoanFact,
    ],
)
def export_applications(person: Person, scope: Scope) -> Section | None:
    applications = LoanApplication.objects.filter(
        case__household_id__in=scope.household_ids
    ).select_related("case")
    rows = []
    for a in applications.order_by("created_at", "pk"):
        approval = a.approvals.filter(decision__status="issued").first()
        advice = a.advice_against.first()
        rows.append(
            {
                "case": a.case.number,
                "dwelling": f"{a.dwelling_address} ({a.get_dwelling_kind_display()})",
                "price": a.total_price,
                "loan": a.loan_amount,
                "income": a.net_income_monthly,
                "credit_check": f"{plain(a.credit_checked_on)} {a.credit_check_result}".strip(),
                "explained": plain(a.explained_on),
                "approval": (
                    f"{approval.amount} / {approval.term_years} / {plain(approval.valid_until)}"
                    if approval
                    else ""
                ),
                "advice": plain(advice.issued_on) if advice else "",
                "documents": ", ".join(
                    f"{d.title} ({plain(d.due_on)}: {plain(d.received_on) or '-'})"
                    for d in a.document_requests.all()
                ),
                "assessments": ", ".join(
                    f"{plain(x.created_at)}: {x.first_working_step or '-'}"
                    for x in a.assessments.all()
                ),
                "team": ", ".join(
                    f"{r.get_team_outcome_display() or '-'}: {r.minutes}"
                    for r in a.recommendations.all()
                ),
                "exceptions": ", ".join(
                    f"{x.exception_id} ({x.criterion_id}): {x.reason}"
                    + (f" [{_('withdrawn')} {plain(x.withdrawn_at)}]" if x.withdrawn_at else "")
                    for x in a.exception_uses.all()
                ),
            }
        )
    if not rows:
        return None
    return Section(
        key="start_loans",
        title=_("Start-loan applications"),
        fields=[
            ("case", _("Case")),
            ("dwelling", _("Dwelling")),
            ("price", _("Price with common debt (NOK)")),
            ("loan", _("Start loan applied for (NOK)")),
            ("income", _("Income after tax per month (NOK)")),
            ("credit_check", _("Credit check")),
            ("explained", _("Oral explanation given")),
            ("approval", _("Approval: loan / years / valid until")),
            ("advice", _("Written advice against")),
            ("documents", _("Documents requested")),
            ("assessments", _("Assessments: smallest help that works")),
            ("team", _("Decision team")),
            ("exceptions", _("Exceptions from the criteria")),
        ],
        rows=rows,
    )


@register("loans", order=81, models=[Loan, Candidate, LoanPayment, ArrearsFollowUp])
def export_loans(person: Person, scope: Scope) -> Section | None:
    rows = [
        {
            "loan": loan.number,
            "principal": loan.principal,
            "balance": loan.balance,
            "rate": str(loan.annual_rate),
            "term": loan.term_years,
            "disbursed": plain(loan.disbursed_on),
            "status": loan.get_status_display(),
            "payments": ", ".join(
                f"{plain(p.due_on)}: {p.amount_paid}/{p.amount_due}" for p in loan.payments.all()
            ),
            "follow_ups": ", ".join(
                f"{plain(f.opened_on)}: {f.get_measure_display() or '-'} {f.note}".strip()
                for f in loan.follow_ups.all()
            ),
        }
        for loan in Loan.objects.filter(household_id__in=scope.household_ids)
    ]
    rows += [
        {
            "loan": _("Proposed as a candidate"),
            "principal": "",
            "balance": "",
            "rate": "",
            "term": "",
            "disbursed": plain(c.created_at),
            "status": c.note,
            "payments": "",
            "follow_ups": "",
        }
        for c in Candidate.objects.filter(household_id__in=scope.household_ids)
    ]
    if not rows:
        return None
    return Section(
        key="loans",
        title=_("Start loans"),
        fields=[
            ("loan", _("Loan")),
            ("principal", _("Loan (NOK)")),
            ("balance", _("Balance (NOK)")),
            ("rate", _("Interest rate")),
            ("term", _("Repayment term (years)")),
            ("disbursed", _("Disbursed")),
            ("status", _("Status")),
            ("payments", _("Payments")),
            ("follow_ups", _("Follow-up of missed payments")),
        ],
        rows=rows,
    )


@register("grants", order=82, models=[GrantApplication])
def export_grants(person: Person, scope: Scope) -> Section | None:
    """The household's grant applications (establishment, adaptation) and where they stand."""
    grants = GrantApplication.objects.filter(
        case__household_id__in=scope.household_ids
    ).select_related("case")
    rows = [
        {
            "case": g.case.number,
            "grant": g.get_grant_kind_display(),
            "purpose": g.purpose,
            "cost": g.cost,
            "sought": g.amount_sought,
            "status": g.get_status_display(),
            "amount": g.amount if g.amount is not None else "",
            "decided": plain(g.decided_on),
            "paid": plain(g.paid_on),
        }
        for g in grants.order_by("created_at", "pk")
    ]
    if not rows:
        return None
    return Section(
        key="grants",
        title=_("Grants"),
        fields=[
            ("case", _("Case")),
            ("grant", _("Grant")),
            ("purpose", _("What the grant is for")),
            ("cost", _("Cost")),
            ("sought", _("Grant applied for")),
            ("status", _("Status")),
            ("amount", _("Grant awarded")),
            ("decided", _("Decided")),
            ("paid", _("Paid out")),
        ],
        rows=rows,
    )
