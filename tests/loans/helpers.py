"""Shared set-up for the start-loan tests: a household applying for a cooperative flat."""

from __future__ import annotations

import datetime as dt
from typing import Any

from husly.cases import actions as cases_actions
from husly.loans import actions as loans

COOPERATIVE = {
    "net_income_monthly": 42_000,
    "income_documented": True,
    "other_fixed_costs_monthly": 1_200,
    "debt_total": 40_000,
    "savings": 25_000,
    "dwelling_kind": "cooperative",
    "dwelling_address": "Løvenskiolds gate 4 B, 2008 Fjerdingby",
    "dwelling_municipality_number": "3224",
    "price": 1_900_000,
    "common_debt": 600_000,
    "housing_costs_monthly": 6_500,
    "bank_co_financing": 0,
    "loan_amount": 2_500_000,
}
FACTS = {
    "has_long_term_financing_problems": True,
    "bank_cannot_finance": True,
    "has_used_opportunity_to_save": True,
    "dwelling_is_suitable": True,
    "dwelling_price_is_reasonable": True,
    "permanently_low_income": True,
    "dwelling_suits_long_term": True,
    "renting_unsuitable_or_dearer": True,
    "shorter_term_not_responsible": True,
}


def apply(actor: Any, household: Any, **changes: Any) -> Any:
    return loans.loan_application_create(
        actor=actor,
        household=household,
        channel="meeting",
        data={**COOPERATIVE, **changes},
        case_data={
            "lived_in_municipality_since": dt.date(2019, 1, 1),
            "housing_kind": "rented_private",
        },
    )


def prepared(nina: Any, household: Any, **changes: Any) -> Any:
    """Applied, facts recorded, credit check and oral explanation done, assessed."""
    application = apply(nina, household, **changes)
    loans.loan_facts_record(actor=nina, application=application, data=FACTS)
    loans.loan_credit_check_record(
        actor=nina, application=application, result="Ingen betalingsanmerkninger."
    )
    loans.loan_explanation_record(actor=nina, application=application, how="Møte på NAV")
    return application


def issued_approval(nina: Any, nils: Any, household: Any, **changes: Any) -> Any:
    """An application through the team (fixed rate) to an issued approval; returns its terms."""
    from husly.cases import actions as cases
    from husly.loans.models import LoanApproval

    application = prepared(nina, household, **{"net_income_monthly": 44_000, **changes})
    loans.loan_assess(actor=nina, application=application)
    r = loans.recommendation_make(
        actor=nina, application=application, outcome="approve", step="fixed_rate", text="Ok."
    )
    r = loans.recommendation_decide(
        actor=nina,
        recommendation=r,
        outcome="approve",
        step="fixed_rate",
        minutes="Teamet er enig.",
        reasoning="Fast rente gir positiv margin.",
    )
    cases.decision_approve(actor=nils, decision=r.decision)
    cases.decision_issue(actor=nina, decision=r.decision)
    return LoanApproval.objects.get(decision=r.decision)


def _advice(nina: Any, application: Any, recommendation: Any) -> Any:
    """A written advice against with its letter, stored as the team's flow stores it."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from husly.loans.models import AdviceAgainst

    advice = AdviceAgainst(
        application=application,
        recommendation=recommendation,
        margin=-800,
        reasons="Ingen løsning gir positiv margin.",
        issued_on=timezone.localdate(),
        issued_by=nina,
    )
    advice.letter.save("fraradning-test.pdf", ContentFile(b"%PDF-1.4\n% test\n"), save=False)
    advice.save()
    return advice


def loan_world(routing: Any, household: Any) -> dict[str, Any]:
    """Objects for the URL and read tests: NAV's caseworker and unit head, an application with a
    recommendation in a meeting, an issued approval and a disbursed loan, all ``household``'s."""
    from django.utils import timezone

    from tests.cases.helpers import nav_staff

    nina, nils = nav_staff(routing)
    approval = issued_approval(nina, nils, household)
    loans.loan_purchase_record(
        actor=nina,
        approval=approval,
        address="Kjøpt 1",
        price=2_400_000,
        accepted_on=timezone.localdate(),
    )
    loans.loan_documents_record(
        actor=nina,
        approval=approval,
        signed_on=timezone.localdate(),
        registered_on=timezone.localdate(),
        priority=1,
    )
    loan = loans.loan_disburse(actor=nina, approval=approval, on=timezone.localdate())
    application = prepared(nina, household)
    loans.loan_assess(actor=nina, application=application)
    recommendation = loans.recommendation_make(
        actor=nina, application=application, outcome="approve", step="fixed_rate", text="Ok."
    )
    meeting = loans.team_meeting_create(
        actor=nina, municipality=household.municipality, held_on=timezone.localdate()
    )
    exception = loans.loan_exception_record(
        actor=nina,
        application=application,
        criterion_id="4",
        exception_id="4.a.barn",
        reason="Barn i husstanden.",
    )
    candidate = loans.candidate_propose(actor=nina, household=household, note="Leietaker.")
    grant = loans.grant_application_create(
        actor=nina,
        household=household,
        grant_kind="adaptation",
        data={"purpose": "Rampe", "cost": 60_000, "amount_sought": 50_000},
        case_data={"housing_kind": "rented_private"},
    )
    document = loans.loan_document_request(
        actor=nina,
        application=application,
        title="Lønnsslipper",
        due_on=timezone.localdate() + dt.timedelta(days=14),
    )
    return {
        "loan_exception": exception,
        "loan_candidate": candidate,
        "grant": grant,
        "loan_document": document,
        "loan_advice": _advice(nina, application, recommendation),
        "loan_caseworker": nina,
        "loan_bare_case": bare_start_loan_case(nina, household),
        "loan_application": application,
        "loan_recommendation": recommendation,
        "loan_meeting": meeting,
        "loan_approval": approval,
        "loan": loan,
    }


def bare_start_loan_case(actor: Any, household: Any) -> Any:
    """A case from the general application form with a start loan ticked: no loan details yet."""
    return cases_actions.case_create(
        actor=actor,
        household=household,
        channel="meeting",
        help_kinds=["start_loan"],
        data={"housing_kind": "rented_private"},
        submit=True,
    )
