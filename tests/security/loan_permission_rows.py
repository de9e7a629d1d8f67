"""The start-loan rows of test_action_permissions' TABLE, and the loan objects they act on.

Start loans are routed to NAV in the test world, so the actor allowed is NAV's caseworker
("caseworker of another unit" in the table's labels); the housing office's roles are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from husly.cases import actions as cases
from husly.cases.models import Case
from husly.loans import actions as loans
from husly.loans.models import (
    ArrearsFollowUp,
    Candidate,
    DocumentRequest,
    GrantApplication,
    Loan,
    LoanApplication,
    LoanApproval,
    LoanExceptionUse,
    Recommendation,
)
from husly.people.models import Household
from tests.allocation.helpers import make_household
from tests.loans.helpers import FACTS, bare_start_loan_case, prepared

NAV = "caseworker of another unit"
CW, AP, FU, RES = "caseworker", "approver", "follow_up", "resident of the household"
LOAN = {NAV}
GRANT = {CW, AP}
"""Grants go where the municipality routes «grant»: the housing office in the test world."""

ROWS: dict[str, tuple[set[str], Any]] = {
    "husly.loans.actions.loan_application_create": (
        {CW, AP, NAV, RES},
        lambda w, a: loans.loan_application_create(
            actor=a,
            household=w.get(Household, "household"),
            channel="meeting",
            data={
                "net_income_monthly": 30_000,
                "dwelling_kind": "freehold",
                "dwelling_address": "X 1",
                "dwelling_municipality_number": "3224",
                "price": 2_000_000,
                "loan_amount": 2_000_000,
            },
        ),
    ),
    "husly.loans.actions.loan_application_apply_self": (
        {RES},
        lambda w, a: loans.loan_application_apply_self(
            actor=a,
            municipality=w.municipality,
            applicant={"given_name": "Ida", "family_name": "Berg"},
            data={
                "net_income_monthly": 30_000,
                "dwelling_kind": "cooperative",
                "dwelling_address": "X 1",
                "dwelling_municipality_number": "3224",
                "price": 1_500_000,
                "common_debt": 500_000,
                "loan_amount": 2_000_000,
            },
            case_data={"housing_kind": "rented_private"},
            consent=True,
        ),
    ),
    "husly.loans.actions.loan_application_complete": (
        LOAN,
        lambda w, a: loans.loan_application_complete(
            actor=a,
            case=w.get(Case, "loan_bare_case"),
            data={
                "net_income_monthly": 30_000,
                "dwelling_kind": "freehold",
                "dwelling_address": "X 1",
                "dwelling_municipality_number": "3224",
                "price": 2_000_000,
                "loan_amount": 2_000_000,
            },
        ),
    ),
    "husly.loans.actions.loan_facts_record": (
        LOAN,
        lambda w, a: loans.loan_facts_record(
            actor=a, application=w.get(LoanApplication, "loan_app"), data={"is_refugee": True}
        ),
    ),
    "husly.loans.actions.loan_document_request": (
        LOAN,
        lambda w, a: loans.loan_document_request(
            actor=a,
            application=w.get(LoanApplication, "loan_app"),
            title="Lønnsslipp",
            due_on=timezone.localdate() + dt.timedelta(days=14),
        ),
    ),
    "husly.loans.actions.loan_document_receive": (
        LOAN,
        lambda w, a: loans.loan_document_receive(
            actor=a, request=w.get(DocumentRequest, "doc_request"), received_on=timezone.localdate()
        ),
    ),
    "husly.loans.actions.loan_credit_check_record": (
        LOAN,
        lambda w, a: loans.loan_credit_check_record(
            actor=a, application=w.get(LoanApplication, "loan_app"), result="Ok."
        ),
    ),
    "husly.loans.actions.loan_explanation_record": (
        LOAN,
        lambda w, a: loans.loan_explanation_record(
            actor=a, application=w.get(LoanApplication, "loan_app"), how="Telefon"
        ),
    ),
    "husly.loans.actions.loan_assess": (
        LOAN,
        lambda w, a: loans.loan_assess(actor=a, application=w.get(LoanApplication, "loan_app")),
    ),
    "husly.loans.actions.team_meeting_create": (
        LOAN,
        lambda w, a: loans.team_meeting_create(
            actor=a, municipality=w.municipality, held_on=timezone.localdate()
        ),
    ),
    "husly.loans.actions.recommendation_make": (
        LOAN,
        lambda w, a: loans.recommendation_make(
            actor=a,
            application=w.get(LoanApplication, "loan_app"),
            outcome="approve",
            step="fixed_rate",
            text="Ok.",
        ),
    ),
    "husly.loans.actions.recommendation_decide": (
        LOAN,
        lambda w, a: loans.recommendation_decide(
            actor=a,
            recommendation=w.get(Recommendation, "recommendation"),
            outcome="approve",
            step="fixed_rate",
            minutes="M.",
            reasoning="R.",
        ),
    ),
    "husly.loans.actions.loan_approval_extend": (
        LOAN,
        lambda w, a: loans.loan_approval_extend(
            actor=a,
            approval=w.get(LoanApproval, "valid_approval"),
            until=timezone.localdate() + dt.timedelta(days=200),
            reason="Syk i perioden.",
        ),
    ),
    "husly.loans.actions.loan_purchase_record": (
        LOAN,
        lambda w, a: loans.loan_purchase_record(
            actor=a,
            approval=w.get(LoanApproval, "valid_approval"),
            address="Kjøpt 1",
            price=2_000_000,
            accepted_on=timezone.localdate(),
        ),
    ),
    "husly.loans.actions.loan_documents_record": (
        LOAN,
        lambda w, a: loans.loan_documents_record(
            actor=a,
            approval=w.get(LoanApproval, "valid_approval"),
            signed_on=timezone.localdate(),
            registered_on=timezone.localdate(),
            priority=1,
        ),
    ),
    "husly.loans.actions.loan_disburse": (
        LOAN,
        lambda w, a: loans.loan_disburse(
            actor=a, approval=w.get(LoanApproval, "valid_approval"), on=timezone.localdate()
        ),
    ),
    "husly.loans.actions.loan_approval_follow_up": (
        LOAN,
        lambda w, a: loans.loan_approval_follow_up(
            actor=a, approval=w.get(LoanApproval, "valid_approval"), note="Ringt."
        ),
    ),
    "husly.loans.actions.loan_payment_record": (
        LOAN,
        lambda w, a: loans.loan_payment_record(
            actor=a,
            loan=w.get(Loan, "loan"),
            due_on=timezone.localdate(),
            amount_due=10_000,
            amount_paid=10_000,
            paid_on=timezone.localdate(),
        ),
    ),
    "husly.loans.actions.loan_payments_import": (
        LOAN,
        lambda w, a: loans.loan_payments_import(actor=a, municipality=w.municipality, rows=[]),
    ),
    "husly.loans.actions.arrears_follow_up_update": (
        LOAN,
        lambda w, a: loans.arrears_follow_up_update(
            actor=a,
            follow_up=w.get(ArrearsFollowUp, "follow_up"),
            measure="conversation",
            note="Samtale.",
        ),
    ),
    "husly.loans.actions.loan_end": (
        LOAN,
        lambda w, a: loans.loan_end(actor=a, loan=w.get(Loan, "loan"), status="repaid"),
    ),
    "husly.loans.actions.candidate_propose": (
        {CW, AP, FU, NAV},
        lambda w, a: loans.candidate_propose(
            actor=a, household=w.get(Household, "household"), note="Leietaker med god økonomi."
        ),
    ),
    "husly.loans.actions.funding_record": (
        LOAN,
        lambda w, a: loans.funding_record(
            actor=a, municipality=w.municipality, year=2026, data={"nav_recommended": 1}
        ),
    ),
    "husly.loans.actions.loan_exception_record": (
        LOAN,
        lambda w, a: loans.loan_exception_record(
            actor=a,
            application=w.get(LoanApplication, "loan_app"),
            criterion_id="4",
            exception_id="4.b",
            reason="Refinansiering.",
        ),
    ),
    "husly.loans.actions.loan_exception_withdraw": (
        LOAN,
        lambda w, a: loans.loan_exception_withdraw(
            actor=a, use=w.get(LoanExceptionUse, "loan_exception")
        ),
    ),
    "husly.loans.actions.loan_loss_record": (
        LOAN,
        lambda w, a: loans.loan_loss_record(
            actor=a, loan=w.get(Loan, "loan"), amount=1_000, on=timezone.localdate(), note="Tap."
        ),
    ),
    "husly.loans.actions.loan_forced_sale_record": (
        LOAN,
        lambda w, a: loans.loan_forced_sale_record(
            actor=a,
            loan=w.get(Loan, "loan"),
            sold_on=timezone.localdate(),
            price=1_900_000,
            loss=0,
            note="Solgt.",
        ),
    ),
    "husly.loans.actions.candidate_invite": (
        LOAN,
        lambda w, a: loans.candidate_invite(
            actor=a, candidate=w.get(Candidate, "candidate"), note="Ringt."
        ),
    ),
    "husly.loans.actions.candidate_set_aside": (
        LOAN,
        lambda w, a: loans.candidate_set_aside(
            actor=a, candidate=w.get(Candidate, "candidate"), note="Ikke nå."
        ),
    ),
    "husly.loans.actions.grant_application_create": (
        {CW, AP, NAV, RES},  # one door in, as any application
        lambda w, a: loans.grant_application_create(
            actor=a,
            household=w.get(Household, "household"),
            grant_kind="adaptation",
            data={"purpose": "Rampe", "cost": 60_000, "amount_sought": 50_000},
            case_data={"housing_kind": "rented_private"},
        ),
    ),
    "husly.loans.actions.grant_facts_record": (
        GRANT,
        lambda w, a: loans.grant_facts_record(
            actor=a,
            grant=w.get(GrantApplication, "grant"),
            data={"adaptation_is_appropriate": True},
        ),
    ),
    "husly.loans.actions.grant_assess": (
        GRANT,
        lambda w, a: loans.grant_assess(actor=a, grant=w.get(GrantApplication, "grant")),
    ),
    "husly.loans.actions.grant_decide": (
        GRANT,
        lambda w, a: loans.grant_decide(
            actor=a,
            grant=w.get(GrantApplication, "grant"),
            outcome="refuse",
            reasoning="Kan betale selv.",
        ),
    ),
    "husly.loans.actions.grant_pay": (
        GRANT,
        lambda w, a: loans.grant_pay(
            actor=a, grant=w.get(GrantApplication, "grant"), on=timezone.localdate()
        ),
    ),
    "husly.loans.actions.grant_budget_set": (
        LOAN,
        lambda w, a: loans.grant_budget_set(
            actor=a, municipality=w.municipality, year=2026, grant_kind="adaptation", amount=1
        ),
    ),
}


def build(w: Any, unit_head: Any) -> None:
    """A start-loan application with a recommendation waiting for the team, an issued valid
    approval, and a disbursed loan with an open arrears follow-up."""
    nina = w.actors[NAV]
    raelingen = w.municipality
    open_app = prepared(nina, make_household(raelingen, "Lånesøker"), net_income_monthly=44_000)
    w.ids["loan_app"] = open_app.pk
    w.ids["loan_bare_case"] = bare_start_loan_case(nina, make_household(raelingen, "Bare")).pk
    w.ids["doc_request"] = loans.loan_document_request(
        actor=nina,
        application=open_app,
        title="Skattemelding",
        due_on=timezone.localdate() + dt.timedelta(days=14),
    ).pk
    loans.loan_assess(actor=nina, application=open_app)
    w.ids["recommendation"] = loans.recommendation_make(
        actor=nina, application=open_app, outcome="approve", step="fixed_rate", text="Ok."
    ).pk

    def approved(name: str) -> LoanApproval:
        app = prepared(nina, make_household(raelingen, name), net_income_monthly=44_000)
        loans.loan_facts_record(actor=nina, application=app, data=FACTS)
        loans.loan_assess(actor=nina, application=app)
        r = loans.recommendation_make(
            actor=nina, application=app, outcome="approve", step="fixed_rate", text="Ok."
        )
        r = loans.recommendation_decide(
            actor=nina,
            recommendation=r,
            outcome="approve",
            step="fixed_rate",
            minutes="M.",
            reasoning="R.",
        )
        cases.decision_approve(actor=unit_head, decision=r.decision)
        cases.decision_issue(actor=nina, decision=r.decision)
        return LoanApproval.objects.get(decision=r.decision)

    w.ids["valid_approval"] = approved("Tilsagn").pk
    bought = approved("Kjøper")
    loans.loan_purchase_record(
        actor=nina,
        approval=bought,
        address="K 1",
        price=2_000_000,
        accepted_on=timezone.localdate(),
    )
    loans.loan_documents_record(
        actor=nina,
        approval=bought,
        signed_on=timezone.localdate(),
        registered_on=timezone.localdate(),
        priority=1,
    )
    loan = loans.loan_disburse(actor=nina, approval=bought, on=timezone.localdate())
    w.ids["loan"] = loan.pk
    loans.loan_payment_record(
        actor=nina,
        loan=loan,
        due_on=timezone.localdate() - dt.timedelta(days=3),
        amount_due=loan.monthly_payment,
        amount_paid=0,
        paid_on=None,
    )
    w.ids["follow_up"] = loan.follow_ups.get().pk
    w.ids["loan_exception"] = loans.loan_exception_record(
        actor=nina,
        application=open_app,
        criterion_id="1",
        exception_id="4.a.barn",
        reason="Barn i husstanden.",
    ).pk
    household = make_household(raelingen, "Kandidat")
    w.ids["candidate"] = loans.candidate_propose(
        actor=nina, household=household, note="Leietaker med god økonomi."
    ).pk
    grant = loans.grant_application_create(
        actor=nina,
        household=household,
        grant_kind="adaptation",
        data={"purpose": "Rampe", "cost": 60_000, "amount_sought": 50_000},
        case_data={"housing_kind": "rented_private"},
    )
    w.ids["grant"] = grant.pk
